import path from 'node:path';
import { parseConnection, type ConnectionSettings } from '../config/connectionSettings';
import { createDriver } from '../db/createDriver';
import { environmentPasswords } from '../db/password';
import { DatabaseError } from '../db/driver';
import type { SchemaSnapshot } from '../schema/snapshot';
import type { LiveSchemaSettings } from '../config/settings';
import { loadCliConfig, pickConnection, UsageError } from './config';

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
    if ('errors' in parsed) throw new UsageError(parsed.errors.map((e) => `${e.key}: ${e.message}`).join('\n'));
    return parsed.connection;
  };
  if (values.url !== undefined) return { connection: make({ name: 'url', url: values.url }), root: cwd };
  if (values.snapshot !== undefined) {
    // The user named this file, wherever it is: its folder is the root it must stay inside.
    const file = path.resolve(cwd, values.snapshot);
    return { connection: make({ name: 'snapshot', driver: 'snapshot', path: file }), root: path.dirname(file) };
  }
  if (values['schema-files'] !== undefined)
    return {
      connection: make({ name: 'embedded', driver: 'pglite' }),
      root: path.resolve(cwd, values['schema-files']),
    };
  const connection = configured?.();
  if (connection) return { connection, root: cwd };
  return { connection: make({ name: 'embedded', driver: 'pglite' }), root: cwd };
}

/**
 * The CLI configuration (`--config` or the default file) and the schema of the source the flags
 * choose, or else of the configured connection, discovered once.
 */
export async function readSchema(
  values: SchemaSourceFlags & { config?: string },
  cwd: string,
  command: string,
): Promise<{ settings: LiveSchemaSettings; snapshot: SchemaSnapshot }> {
  const { settings } = loadCliConfig(values.config, cwd);
  const { connection, root } = chooseSource(
    values,
    settings.connections.length ? () => pickConnection(settings, values.connection) : undefined,
    cwd,
    command,
  );
  return { settings, snapshot: await discover(connection, root) };
}

/** Discovers the schema once; warnings go to stderr, a database error becomes a `UsageError` (exit 2). */
export async function discover(connection: ConnectionSettings, root: string): Promise<SchemaSnapshot> {
  const driver = createDriver(connection, { root, passwords: environmentPasswords(process.env) });
  try {
    const result = await driver.discover();
    for (const warning of result.warnings)
      process.stderr.write(`warning: ${warning.file ? `${warning.file}: ` : ''}${warning.message}\n`);
    return result.snapshot;
  } catch (error) {
    if (error instanceof DatabaseError)
      throw new UsageError(`cannot read the schema from "${connection.name}": ${error.message}`);
    throw error;
  } finally {
    await driver.close();
  }
}
