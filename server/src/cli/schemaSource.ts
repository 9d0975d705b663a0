import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseConnection, type ConnectionSettings } from '../config/connectionSettings';
import { createDriver } from '../db/createDriver';
import { DatabaseError, type PrepareChecker, type SchemaDriver, type StatementDescriber } from '../db/driver';
import { environmentPasswords } from '../db/password';
import type { SchemaSnapshot } from '../schema/snapshot';
import type { LiveSchemaSettings } from '../config/settings';
import { loadCliConfig, pickConnection, UsageError } from './config';
import { embeddedConnection } from '../engine/defaultConnection';
import { describeSettingsErrors } from '../engine/settingsErrors';
import { describeDiscoveryWarning } from '../engine/discoveryWarnings';

/** The schema-source flags shared by the commands that read a schema (`check`, `scan`). */
export interface SchemaSourceFlags {
  url?: string;
  snapshot?: string;
  'schema-files'?: string;
  connection?: string;
}

/** One schema source from the flags; the configured connection (or the embedded one) otherwise. */
export function chooseSource(
  values: SchemaSourceFlags,
  configured: (() => ConnectionSettings | undefined) | undefined,
  cwd: string,
  command = 'check',
): { connection: ConnectionSettings; root: string } {
  const given = [values.url, values.snapshot, values['schema-files'], values.connection].filter((v) => v !== undefined);
  if (given.length > 1)
    throw new UsageError('choose one schema source: --connection, --url, --snapshot or --schema-files');
  const make = (raw: Record<string, unknown>): ConnectionSettings => {
    const parsed = parseConnection(raw, process.env, command);
    if ('errors' in parsed) throw new UsageError(describeSettingsErrors(parsed.errors));
    return parsed.connection;
  };
  if (values.url !== undefined) return { connection: make({ name: 'url', url: values.url }), root: cwd };
  if (values.snapshot !== undefined) {
    // The user named this file, wherever it is: its folder is the root it must stay inside.
    const file = path.resolve(cwd, values.snapshot);
    return { connection: make({ name: 'snapshot', driver: 'snapshot', path: file }), root: path.dirname(file) };
  }
  if (values['schema-files'] !== undefined) {
    // Every `.sql` file under the folder (`migrations/`, `db/`), in path order, or the one file named.
    const given = path.resolve(cwd, values['schema-files']);
    const isFile = existsSync(given) && statSync(given).isFile();
    return {
      connection: embeddedConnection([isFile ? path.basename(given) : '**/*.sql']),
      root: isFile ? path.dirname(given) : given,
    };
  }
  const connection = configured?.();
  if (connection) return { connection, root: cwd };
  return { connection: embeddedConnection(), root: cwd };
}

/** A schema read once for a command, with the driver kept open for the live check until `close`. */
export interface OpenSchema {
  settings: LiveSchemaSettings;
  connection: ConnectionSettings;
  snapshot: SchemaSnapshot;
  /** The read-only PREPARE check of a live PostgreSQL or MySQL connection, if it has one. */
  prepareChecker: PrepareChecker | undefined;
  /** Describes a statement's row on the live server (never executed), if the driver can. */
  describer: StatementDescriber | undefined;
  close(): Promise<void>;
}

/**
 * The CLI configuration (`--config` or the default file under `root`) and the schema of the
 * source the flags choose, or else of the configured connection, discovered once.
 */
export async function openSchema(
  values: SchemaSourceFlags & { config?: string },
  root: string,
  command: string,
): Promise<OpenSchema> {
  const { settings } = loadCliConfig(values.config, root);
  const chosen = chooseSource(
    values,
    settings.connections.length ? () => pickConnection(settings, values.connection) : undefined,
    root,
    command,
  );
  const { connection } = chosen;
  const driver = createDriver(connection, { root: chosen.root, passwords: environmentPasswords(process.env) });
  try {
    // Warnings go to stderr; a database error becomes a `UsageError` (exit 2).
    const result = await driver.discover();
    for (const warning of result.warnings) process.stderr.write(`${describeDiscoveryWarning(warning)}\n`);
    const prepareChecker = 'prepareCheck' in driver ? (driver as SchemaDriver & PrepareChecker) : undefined;
    const describer = 'describe' in driver ? (driver as SchemaDriver & StatementDescriber) : undefined;
    return {
      settings,
      connection,
      snapshot: result.snapshot,
      prepareChecker,
      describer,
      close: () => driver.close(),
    };
  } catch (error) {
    await driver.close();
    if (error instanceof DatabaseError)
      throw new UsageError(`cannot read the schema from "${connection.name}": ${error.message}`);
    throw error;
  }
}

/** The configuration and the schema, for commands that need no live check. */
export async function readSchema(
  values: SchemaSourceFlags & { config?: string },
  cwd: string,
  command: string,
): Promise<{ settings: LiveSchemaSettings; snapshot: SchemaSnapshot }> {
  const open = await openSchema(values, cwd, command);
  await open.close();
  return { settings: open.settings, snapshot: open.snapshot };
}
