import type { ConnectionSettings } from '../config/connectionSettings';
import type { PasswordProvider, SchemaDriver } from './driver';
import { MysqlDriver } from './mysql/mysqlDriver';
import { PgliteDriver } from './pglite/pgliteDriver';
import { PostgresDriver } from './postgres/postgresDriver';
import { SnapshotFileDriver } from './snapshotFile/snapshotFileDriver';

export interface DriverContext {
  /** Supplies passwords for server connections; front ends decide where they live. */
  passwords: PasswordProvider;
  /** The folder relative paths (embedded schema files, snapshot files) are resolved against. */
  root: string;
}

/** The one place that maps a connection's `driver` to the class that talks to it. */
export function createDriver(settings: ConnectionSettings, context: DriverContext): SchemaDriver {
  switch (settings.driver) {
    case 'postgres':
      return new PostgresDriver(settings, context.passwords);
    case 'mysql':
      return new MysqlDriver(settings, context.passwords);
    case 'pglite':
      return new PgliteDriver(settings, context.root);
    case 'snapshot':
      return new SnapshotFileDriver(settings, context.root);
  }
}
