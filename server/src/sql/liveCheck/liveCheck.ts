import type { PrepareChecker } from '../../db/driver';
import type { Dialect } from '../../schema/snapshot';
import type { AnalysisResult } from '../analyze';
import type { Finding } from '../findings';
import { problemFinding } from './problemFinding';
import { checkableKind } from './statementKind';
import { isSilenced } from '../suppression';
import { originalOffset, type Binding } from '../toolPlaceholders';

/** What a live check found, and why it stopped early if it did. */
export interface LiveCheckResult {
  findings: Finding[];
  /** Statements the server was asked to PREPARE. */
  prepared: number;
  /** Set when the database stopped answering; the findings so far are still valid. */
  stoppedBecause?: string;
}

export interface LiveCheckOptions {
  /** Upper bound on statements prepared per call, so a huge file cannot keep a server busy. */
  maxStatements?: number;
}

/**
 * The optional live check: every SELECT/INSERT/UPDATE/DELETE the offline analysis did not
 * reject (no error or warning; "not checked" statements included, so the server decides what
 * the parser could not follow) is PREPAREd — never executed — by the driver, and the server's
 * own objection becomes a finding. DDL and utility statements are never sent.
 */
export async function liveCheck(
  text: string,
  analysis: AnalysisResult,
  dialect: Dialect,
  checker: PrepareChecker,
  options: LiveCheckOptions = {},
): Promise<LiveCheckResult> {
  const limit = options.maxStatements ?? 1_000;
  const findings: Finding[] = [];
  let prepared = 0;
  for (const statement of analysis.statements) {
    // Tool placeholders (`:id`, `sqlc.arg(x)`) go to the database bound, as the parser saw them.
    const sql = statement.bound?.text ?? text.slice(statement.start, statement.end);
    const kind = checkableKind(sql, dialect);
    // After DDL or SET (`CREATE TABLE t …; INSERT INTO t …`) the database no longer has the schema
    // the script's statements run against: the offline verdict stands.
    if (!kind && changesSchema(sql)) break;
    if (!kind) continue;
    // A statement whose findings the cap left out was judged already; its verdict is just not shown.
    if (statement.omittedFindings) continue;
    if (statement.findings.some((f) => f.severity === 'error' || f.severity === 'warning')) continue;
    if (prepared >= limit)
      return { findings, prepared, stoppedBecause: `only the first ${limit} statements are live-checked` };
    prepared++;
    try {
      const problem = await checker.prepareCheck(sql);
      const found = problem && problemFinding(problem, { start: statement.start, text: sql }, dialect);
      const placed =
        found && (statement.bound ? mapToStatement(found, statement.start, statement.bound.bindings) : found);
      if (placed && !isSilenced(placed, statement.silenced ?? [])) findings.push(placed);
    } catch (error) {
      return { findings, prepared, stoppedBecause: error instanceof Error ? error.message : String(error) };
    }
  }
  return { findings, prepared };
}

/**
 * Statements after which the database no longer has the schema the script's next statements run
 * against: DDL, settings (`SET search_path`), `USE`, procedures and DO blocks, `SELECT … INTO`.
 */
const SCHEMA_CHANGING = /^(create|alter|drop|set|reset|discard|use|rename|do|call|import|load)\b/i;

function changesSchema(sql: string): boolean {
  const words = sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
  return SCHEMA_CHANGING.test(words) || /^(\(\s*)*(select|with)\b/i.test(words);
}

/** A finding on the bound text, moved back onto the statement as written. */
function mapToStatement(found: Finding, start: number, bindings: readonly Binding[]): Finding {
  const back = (offset: number, isEnd: boolean): number => start + originalOffset(bindings, offset - start, isEnd);
  return { ...found, start: back(found.start, false), end: back(found.end, true) };
}
