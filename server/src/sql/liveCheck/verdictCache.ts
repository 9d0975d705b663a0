/**
 * The live check's memory: the database's verdict on a statement text, kept per schema snapshot
 * so typing (the same statements checked again and again) does not flood the database, and a
 * schema change (a new snapshot) asks again. Only verdicts are kept: a lock, timeout or lost
 * connection throws and is asked again next time.
 */
import type { PrepareChecker, PrepareProblem } from '../../db/driver';
import type { SchemaSnapshot } from '../../schema/snapshot';

/** Statement texts remembered per snapshot; the oldest go first. */
const MAX_ENTRIES = 5_000;

const bySnapshot = new WeakMap<PrepareChecker, WeakMap<SchemaSnapshot, Map<string, PrepareProblem | undefined>>>();

/** `checker`, answering from memory what it already judged against `snapshot`. */
export function rememberingChecker(checker: PrepareChecker, snapshot: SchemaSnapshot): PrepareChecker {
  let snapshots = bySnapshot.get(checker);
  if (!snapshots) bySnapshot.set(checker, (snapshots = new WeakMap()));
  let verdicts = snapshots.get(snapshot);
  if (!verdicts) snapshots.set(snapshot, (verdicts = new Map<string, PrepareProblem | undefined>()));
  const memory = verdicts;
  return {
    async prepareCheck(sql: string): Promise<PrepareProblem | undefined> {
      if (memory.has(sql)) return memory.get(sql);
      const verdict = await checker.prepareCheck(sql);
      if (memory.size >= MAX_ENTRIES) memory.delete(memory.keys().next().value as string);
      memory.set(sql, verdict);
      return verdict;
    },
  };
}
