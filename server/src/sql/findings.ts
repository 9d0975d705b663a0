/**
 * Findings: what the SQL analysis reports, as plain data. Front ends turn them into LSP
 * diagnostics, CLI lines or SARIF results; nothing here knows about any of those.
 */

/** Every finding code the SQL analysis produces; each is a stable rule id users can configure. */
export const FINDING_CODES = [
  'syntax-error',
  'unknown-schema',
  'unknown-table',
  'unknown-column',
  'ambiguous-column',
  /** Live check: the database refused to PREPARE the statement for a reason none of the codes above names. */
  'database-error',
  'not-checked',
  /** A name that resolved before the last schema change of the connection and no longer does. */
  'schema-drift',
  /** INSERT columns vs VALUES, VALUES rows, or set-operation branches that differ in length. */
  'column-count-mismatch',
  /** A `query<{ … }>` row type in code that disagrees with the columns the database describes. */
  'result-type-mismatch',
  /** PG: a call to a function no schema has and PostgreSQL does not build in. */
  'unknown-function',
  /** PG: a column compared with or assigned a string literal its type can never read (`int_col = 'abc'`). */
  'type-mismatch',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The severity each code has unless the user's settings override it. */
export const DEFAULT_SEVERITY: Record<FindingCode, Severity> = {
  'syntax-error': 'error',
  'unknown-schema': 'error',
  'unknown-table': 'error',
  'unknown-column': 'error',
  'ambiguous-column': 'error',
  'database-error': 'error',
  'not-checked': 'information',
  'schema-drift': 'error',
  'column-count-mismatch': 'error',
  'result-type-mismatch': 'warning',
  'unknown-function': 'error',
  'type-mismatch': 'error',
};

/**
 * One problem in the analysed text. `start`/`end` are UTF-16 offsets into the text given to
 * `analyzeSql` (the identifier or token, never the whole line); `suggestions` are replacement
 * names ranked best first ("did you mean"), possibly empty.
 */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  suggestions: string[];
  /** Extra facts for front ends (quick fixes, hovers): e.g. `{ name, relation }`. Plain JSON only. */
  data?: Record<string, unknown>;
}

/** Builds a finding with the code's default severity (analysis applies the user's overrides later). */
export function finding(
  code: FindingCode,
  start: number,
  end: number,
  message: string,
  suggestions: string[] = [],
  data?: Record<string, unknown>,
): Finding {
  return { code, severity: DEFAULT_SEVERITY[code], start, end, message, suggestions, ...(data ? { data } : {}) };
}

/** True for the severities a CI run fails on. */
export function isBlocking(f: Finding): boolean {
  return f.severity === 'error';
}
