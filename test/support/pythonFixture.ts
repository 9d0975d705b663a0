/**
 * A fresh database seeded with test/fixtures/migrate/{postgres,mysql}.sql, discovered for real,
 * and the Python schema module generated from what was discovered (what a user's migrated file
 * imports).
 */
import { readFileSync } from 'node:fs';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { createDriver } from '../../server/src/db/createDriver';
import { generatePythonSchemaModule } from '../../server/src/migrate/schemaModule/pythonModule';
import type { Dialect } from '../../server/src/schema/snapshot';
import { createMysqlDatabase, createPostgresDatabase, mysqlServer, pgServer, type TestDatabase } from './databases';

export interface PythonFixture {
  database: TestDatabase;
  schemaModule: string;
}

export async function createPythonFixture(dialect: Dialect): Promise<PythonFixture> {
  const postgres = dialect === 'postgres';
  const ddl = readFileSync(`test/fixtures/migrate/${postgres ? 'postgres' : 'mysql'}.sql`, 'utf8');
  const database = await (postgres ? createPostgresDatabase(ddl) : createMysqlDatabase(ddl));
  const settings = postgres
    ? { driver: 'postgres', ...pgServer }
    : { driver: 'mysql', host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  try {
    const parsed = parseConnection({ name: 'equivalence', ...settings, database: database.name }, {}, 'test');
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    const driver = createDriver(parsed.connection, {
      passwords: () => Promise.resolve(mysqlServer.password || undefined),
      root: process.cwd(),
    });
    try {
      const { snapshot } = await driver.discover();
      const fingerprint = await driver.fingerprint();
      return {
        database,
        schemaModule: generatePythonSchemaModule(snapshot, { connection: 'equivalence', fingerprint }),
      };
    } finally {
      await driver.close();
    }
  } catch (error) {
    await database.drop();
    throw error;
  }
}
