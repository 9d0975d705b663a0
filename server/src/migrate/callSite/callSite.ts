/**
 * The query call a SQL string is passed to, as a migration needs it: where its arguments are,
 * what the values argument holds, and the statement the call stands in (where the compiled
 * builder is declared, just before it).
 */

export interface CallSite {
  /** The callee as written (`pool.query`, `cursor.execute`). */
  callee: string;
  /** From the first argument's start to the last argument's end. */
  argumentsStart: number;
  argumentsEnd: number;
  /**
   * The values argument: an array/tuple/list literal's elements, a dict literal's entries, or an
   * expression indexed as `values[0]` / `values['name']`; absent when the call passes none.
   */
  values?:
    | { kind: 'positional'; elements: string[] }
    | { kind: 'named'; entries: Record<string, string> }
    | { kind: 'expression'; text: string };
  /**
   * The lines of `query = "…"` / `const sql = '…'` when the call passes the SQL through a local
   * variable: the migration removes them, since the compiled query takes its place. Absent when
   * the SQL is in the call itself.
   */
  sqlAssignment?: { start: number; end: number };
  /**
   * The call passes one config object holding the SQL under this key (node-postgres `text`, mysql2
   * `sql`) and its values under `values`; the rewritten call passes the same shape.
   */
  configKey?: string;
  /** The statement that holds the call: its start offset and the indentation of its line. */
  statementStart: number;
  indentation: string;
  /** Where new imports go: just after the file's last top-level import (0 without any). */
  importOffset: number;
  /** Names the file already binds at the top level or imports (to avoid clashes and double imports). */
  boundNames: Set<string>;
}

/** The call site, or why the migration cannot rewrite around it. */
export type CallSiteResult = CallSite | { refused: string };

/** One parse of a host file, asked for the call site of each SQL string (host offsets, end exclusive). */
export interface CallSiteFinder {
  find(sqlStart: number, sqlEnd: number): CallSiteResult;
  dispose(): void;
}

/** The indentation of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/**
 * An expression that can be evaluated earlier, once more or not at all without changing what the
 * program does: names, member chains, literals. Anything else (a call, `await`, `i++`) is refused.
 */
export function isPlainValueExpression(text: string): boolean {
  const withoutStrings = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '0');
  return /^[\w$.\s[\]]+$/.test(withoutStrings) && !/\+\+|--/.test(withoutStrings);
}
