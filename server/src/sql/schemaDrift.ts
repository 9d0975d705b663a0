/**
 * Schema drift: a name that resolved against the previous snapshot of a connection and no longer
 * does. The finding is the unknown-table/column/schema the analysis reports, re-coded so the user
 * sees that the code did not change — the schema did.
 */
import { DEFAULT_SEVERITY, type Severity } from './findings';

const NAME_CODES: ReadonlySet<string> = new Set(['unknown-schema', 'unknown-table', 'unknown-column']);

interface Located {
  code: string;
  start: number;
  end: number;
}

/** Whether a finding says that a name does not exist (what a schema change can cause). */
export function isUnknownName(finding: { code: string }): boolean {
  return NAME_CODES.has(finding.code);
}

/**
 * Re-codes as `schema-drift` each unknown-name finding of `current` that the analysis of the same
 * text against the previous snapshot did not report at the same place. `cause` dates the change
 * in the message (a `Date`) or names it ("the baseline …"); `severity` is the user's setting for
 * `schema-drift` (`off` drops them).
 */
export function markSchemaDrift<F extends Located & { severity: Severity; message: string; data?: object }>(
  current: F[],
  previous: readonly Located[],
  cause: Date | string,
  severity: Severity | 'off' = DEFAULT_SEVERITY['schema-drift'],
): F[] {
  const before = new Set(previous.filter(isUnknownName).map((f) => `${f.start}:${f.end}`));
  const change =
    typeof cause === 'string' ? cause : `the schema change noticed at ${cause.toISOString().slice(11, 16)} UTC`;
  return current.flatMap((f) => {
    if (!isUnknownName(f) || before.has(`${f.start}:${f.end}`)) return [f];
    if (severity === 'off') return [];
    return [
      {
        ...f,
        code: 'schema-drift',
        severity,
        message: `Broken by ${change}: ${f.message}`,
        data: { ...f.data, driftFrom: f.code },
      },
    ];
  });
}
