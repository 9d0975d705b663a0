import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SchemaBaseline } from '../engine/checkFile';
import { describeChange, diffSnapshots } from '../schema/schemaDiff';
import type { SchemaSnapshot } from '../schema/snapshot';
import { parseSnapshotJson } from '../schema/snapshotJson';
import { UsageError } from './config';

/**
 * `check --baseline FILE`: a committed `schema.json` to compare the current schema source with.
 * The change (tables and columns added, dropped, renamed, retyped) is printed, and every name in
 * code that resolved against the baseline and no longer does is reported as `schema-drift`.
 */
export async function readBaseline(
  file: string,
  cwd: string,
  current: SchemaSnapshot,
): Promise<{ baseline: SchemaBaseline; changes: string[] }> {
  const full = path.resolve(cwd, file);
  const text = await readFile(full, 'utf8').catch((error: Error) => {
    throw new UsageError(`--baseline ${file}: ${error.message}`);
  });
  const parsed = parseSnapshotJson(text, file);
  if ('error' in parsed) throw new UsageError(`--baseline ${parsed.error}`);
  const previous = parsed.snapshot;
  if (previous.dialect !== current.dialect)
    throw new UsageError(
      `--baseline ${file} is a ${previous.dialect} schema, the schema source is ${current.dialect}: compare like with like`,
    );
  return {
    baseline: { previous, cause: `the schema change since ${file}` },
    changes: diffSnapshots(previous, current).changes.map(describeChange),
  };
}
