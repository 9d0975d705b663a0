import path from 'node:path';
import { parseArgs } from 'node:util';
import { JournalError, type JournalConflict } from '../migrate/journal/entry';
import { rollback } from '../migrate/journal/migrationJournal';

/**
 * `live-schema rollback [id|--last] [--root DIR]`: restores the original text of a journaled
 * migration (the newest applied one by default). Exit 0 restored, 1 conflicts (printed with both
 * texts; no file changed), 2 usage or journal error.
 */
export async function runRollback(args: string[]): Promise<number> {
  let values: { last?: boolean; root?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { last: { type: 'boolean' }, root: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (positionals.length > 1 || (values.last && positionals.length > 0))
    return usage('give one journal id or --last, not both');
  const root = path.resolve(values.root ?? process.cwd());
  try {
    const result = await rollback(root, positionals[0] ?? 'last');
    if (result.conflicts.length > 0) {
      process.stdout.write(
        `Not rolled back: ${result.conflicts.length} range(s) changed since the migration. No file was changed.\n`,
      );
      for (const conflict of result.conflicts) process.stdout.write(formatConflict(conflict));
      return 1;
    }
    const restored =
      result.restored.length > 0
        ? `restored ${result.restored.join(', ')}`
        : 'the files already held the original text';
    process.stdout.write(`Rolled back ${result.entry?.undoes} as ${result.entry?.id}: ${restored}\n`);
    return 0;
  } catch (error) {
    if (error instanceof JournalError) {
      process.stderr.write(`live-schema rollback: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function usage(problem: string): number {
  process.stderr.write(`live-schema rollback: ${problem}\nusage: live-schema rollback [id|--last] [--root DIR]\n`);
  return 2;
}

function formatConflict(conflict: JournalConflict): string {
  const indent = (text: string) => text.replace(/\r?\n$/, '').replace(/^/gm, '    ');
  const what =
    conflict.reason === 'missing-file'
      ? 'the file no longer exists'
      : conflict.reason === 'ambiguous'
        ? 'the migrated text occurs more than once'
        : 'edited since the migration';
  return (
    `${conflict.file} at ${conflict.range.start}–${conflict.range.end}: ${what}\n` +
    `  expected (as migrated):\n${indent(conflict.expected)}\n` +
    `  actual (now in the file):\n${indent(conflict.actual)}\n`
  );
}
