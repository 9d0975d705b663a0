/**
 * The contract between the analysis driver (`analyze.ts`) and a dialect front (PostgreSQL in
 * `postgres/`, MySQL/MariaDB in `mysql/`): the front parses one statement and either reports
 * syntax, gives up with a reason, or hands back the dialect-neutral model.
 */
import type { Finding } from './findings';
import type { SchemaEffect, StatementModel } from './model';
import type { StatementSpan } from './splitStatements';

export type FrontResult =
  /** The dialect's grammar rejects the statement: findings carry exact offsets into the file. */
  | { kind: 'syntax-error'; findings: Finding[]; effect?: SchemaEffect }
  /** The front cannot judge the statement (parser limits, unsupported dialect feature): say so, never an error. */
  | { kind: 'not-checked'; reason: string; effect?: SchemaEffect }
  /** `findings`: what the dialect rejects from the syntax alone though it parses (count mismatches). */
  | { kind: 'parsed'; model: StatementModel; findings?: Finding[] };

export interface DialectFront {
  /** Loads what the parser needs (WASM); called once before the first `parse`. */
  ready(): Promise<void>;
  /** Parses one statement (offsets in the result are offsets into the file the span is from). */
  parse(span: StatementSpan): FrontResult;
}
