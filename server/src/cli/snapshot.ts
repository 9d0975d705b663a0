import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SNAPSHOT_PATH, parseConnection, type ConnectionSettings } from '../config/connectionSettings';
import { createDriver } from '../db/createDriver';
import { environmentPasswords } from '../db/password';
import { DatabaseError } from '../db/driver';
import { writeFileAtomic } from '../schema/atomicFile';
import { formatSnapshotJson } from '../schema/snapshotJson';
import { realPathInside } from '../workspace/realPathInside';
import { loadCliConfig, pickConnection, UsageError } from './config';

/**
 * `live-schema snapshot [--connection NAME] [--out .live-schema/schema.json] [--config FILE]`:
 * discovers the schema once and writes it as a reviewable file that `driver: "snapshot"` reads
 * where no database is reachable (CI, teammates without access). `--out -` prints it instead.
 * Without a configured connection it exports the embedded schema built from the schema files.
 */
export async function runSnapshot(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      connection: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string' },
    },
    strict: true,
  });
  const cwd = process.cwd();
  const { settings } = loadCliConfig(values.config, cwd);
  const connection = pickConnection(settings, values.connection) ?? embeddedConnection();
  const out = values.out ?? DEFAULT_SNAPSHOT_PATH;
  const toStdout = out === '-';
  const target = path.resolve(cwd, out);
  const report = (line: string) => (toStdout ? process.stderr : process.stdout).write(`${line}\n`);
  if (connection.driver === 'snapshot' && path.resolve(cwd, connection.snapshotPath ?? '') === target)
    throw new UsageError(`connection "${connection.name}" reads ${out} itself; choose another --out`);

  // `--out` is the user's word, wherever it points; the default lies in the repository's `.live-schema`.
  const destination = toStdout
    ? undefined
    : await realPathInside(values.out === undefined ? cwd : path.dirname(target), target);
  const driver = createDriver(connection, { root: cwd, passwords: environmentPasswords(process.env) });
  try {
    const result = await driver.discover();
    for (const warning of result.warnings) report(`warning: ${warning.message}`);
    const text = formatSnapshotJson(result.snapshot);
    if (destination === undefined) process.stdout.write(text);
    else await writeFileAtomic(destination, text);
    const { snapshot } = result;
    const columns = snapshot.relations.reduce((n, r) => n + r.columns.length, 0);
    report(
      `${toStdout ? 'Printed' : `Wrote ${path.relative(cwd, target) || target}`}: ${snapshot.relations.length} tables and views, ` +
        `${columns} columns in ${snapshot.schemas.length} schemas from "${connection.name}" (${snapshot.server.product} ${snapshot.server.version.split(/ on |,/)[0]}).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DatabaseError) {
      process.stderr.write(`live-schema snapshot: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await driver.close();
  }
}

function embeddedConnection(): ConnectionSettings {
  const parsed = parseConnection({ name: 'embedded', driver: 'pglite' }, process.env, 'snapshot');
  if ('errors' in parsed) throw new UsageError(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.connection;
}
