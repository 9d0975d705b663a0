import path from 'node:path';
import { DEFAULT_SNAPSHOT_PATH } from '../config/connectionSettings';
import { writeFileAtomic } from '../schema/atomicFile';
import { formatSnapshotJson } from '../schema/snapshotJson';
import { parseCommandArgs } from './commandArgs';
import { UsageError } from './config';
import { openSchema } from './schemaSource';
import { realPathInside } from '../workspace/realPathInside';

export const SNAPSHOT_USAGE =
  'usage: live-schema snapshot [--out .live-schema/schema.json] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE] [--root DIR]';

/**
 * `live-schema snapshot`: discovers the schema once and writes it as a reviewable file that
 * `driver: "snapshot"` and `check --baseline` read where no database is reachable (CI, teammates
 * without access). `--out -` prints it instead. The schema source flags are every command's
 * (`commandArgs.ts`); without one, the configured connection or the embedded schema.
 */
export async function runSnapshot(args: string[]): Promise<number> {
  const { values, positionals, root } = parseCommandArgs(args, SNAPSHOT_USAGE, {
    out: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${SNAPSHOT_USAGE}`);
  const cwd = process.cwd();
  const out = values.out ?? DEFAULT_SNAPSHOT_PATH;
  const toStdout = out === '-';
  const target = values.out === undefined ? path.resolve(root, DEFAULT_SNAPSHOT_PATH) : path.resolve(cwd, out);
  const report = (line: string) => (toStdout ? process.stderr : process.stdout).write(`${line}\n`);
  // `--out` is the user's word, wherever it points; the default lies in the repository's `.live-schema`.
  // Refused before any database is asked.
  const destination = toStdout
    ? undefined
    : await realPathInside(values.out === undefined ? root : path.dirname(target), target);
  const schema = await openSchema(values, root, 'snapshot');
  try {
    const { connection, snapshot } = schema;
    if (connection.driver === 'snapshot' && path.resolve(root, connection.snapshotPath ?? '') === target)
      throw new UsageError(`connection "${connection.name}" reads ${out} itself; choose another --out`);
    const text = formatSnapshotJson(snapshot);
    if (destination === undefined) process.stdout.write(text);
    else await writeFileAtomic(destination, text);
    const columns = snapshot.relations.reduce((n, r) => n + r.columns.length, 0);
    report(
      `${toStdout ? 'Printed' : `Wrote ${path.relative(cwd, target) || target}`}: ${snapshot.relations.length} tables and views, ` +
        `${columns} columns in ${snapshot.schemas.length} schemas from "${connection.name}" (${snapshot.server.product} ${snapshot.server.version.split(/ on |,/)[0]}).`,
    );
    return 0;
  } finally {
    await schema.close();
  }
}
