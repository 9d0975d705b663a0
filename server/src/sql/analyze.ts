/**
 * The analysis entry point: splits a script into statements, has the dialect front parse each one,
 * resolves names against the snapshot, applies suppressions and the user's severities. Results
 * are per statement so callers can cache them; offsets are UTF-16 offsets into `text`.
 */
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { DEFAULT_MAX_FINDINGS, FindingSink, RUN_NOTE_REASON, type OmittedFindings } from './findingSink';
import { finding, type Finding, type FindingCode, type Severity } from './findings';
import type { DialectFront } from './front';
import { frontFor } from './fronts';
import { inputProblem } from './inputChecks';
import { ResolutionContext } from './resolve/context';
import { resolveStatement } from './resolve/resolveStatement';
import { statementSpans, type StatementSpan } from './splitStatements';
import { findDirectives, Suppressor, type Silenced, type SpanBounds } from './suppression';
import { bindToolPlaceholders, originalOffset, type Binding } from './toolPlaceholders';

/** User settings that shape the findings, and how the analysis shares the thread. */
export interface AnalysisOptions {
  /** Per-code severity, or `off` to drop the code. */
  severities?: Partial<Record<FindingCode, Severity | 'off'>>;
  /** Names never reported: `table`, `schema.table`, `table.column` or `column` (case-insensitive). */
  ignoredNames?: string[];
  /** Statements longer than this (UTF-16 units) are not parsed but reported as not checked. */
  maxStatementLength?: number;
  /** After this much wall time the rest of the text is reported as not checked (one finding). */
  timeBudgetMs?: number;
  /**
   * Findings kept for the text (default 10,000). Past it findings are counted, not kept: the
   * result's `omitted` says how many, and one Information finding says so where the first was.
   */
  maxFindings?: number;
  /** Stops the analysis between statements: the result then has `cancelled: true` (see there). */
  signal?: AbortSignal;
  /**
   * When set, the analysis yields to the event loop (`setImmediate`) whenever this many
   * milliseconds passed since it last did, so a language server answers other requests while a
   * huge file is checked. Unset (the CLI): no yields.
   */
  yieldEveryMs?: number;
}

export interface AnalyzeInput {
  dialect: Dialect;
  /** Without a snapshot only syntax is checked. */
  snapshot?: SchemaSnapshot;
  options?: AnalysisOptions;
}

/** One statement's outcome. `checked` is false when it was only reported as not checked. */
export interface StatementResult {
  start: number;
  end: number;
  checked: boolean;
  findings: Finding[];
  /** Findings of this statement the `maxFindings` cap left out (its `findings` are incomplete). */
  omittedFindings?: number;
  /**
   * The statement with tool placeholders (`:id`, `sqlc.arg(x)`, …) bound to the dialect's markers:
   * what the parser saw and what a live check must send. Absent when the text had none.
   */
  bound?: { text: string; bindings: Binding[] };
  /** Suppression directives that apply to this statement: the live check honours them too. */
  silenced?: Silenced[];
}

export interface AnalysisResult {
  findings: Finding[];
  statements: StatementResult[];
  /**
   * The signal aborted the analysis: `statements` and `findings` cover only the statements before
   * that point, and nothing is said about the rest (no findings, not even "not checked"). A caller
   * should discard the result or show it as partial.
   */
  cancelled?: true;
  /** Findings counted but not kept because of `maxFindings`. */
  omitted?: OmittedFindings;
}

export const DEFAULT_MAX_STATEMENT_LENGTH = 2_000_000;
export const DEFAULT_TIME_BUDGET_MS = 20_000;

/** Shared by the clean statements of every result: hundreds of thousands of them in a big file. Frozen. */
const NO_FINDINGS = Object.freeze([]) as unknown as Finding[];

const EXECUTABLE_FUNCTION_DDL = /\/\*M?!(?:(?!\*\/)[\s\S])*\b(?:function|install|soname)\b/i;

/** A statement analysed but not yet filtered: its filtering waits for the next statement's span. */
interface Pending {
  bounds: SpanBounds;
  result: StatementResult;
}

/** Analyses `text` (a whole `.sql` file or one embedded statement) in the given dialect. */
export async function analyzeSql(text: string, input: AnalyzeInput): Promise<AnalysisResult> {
  const options = input.options ?? {};
  const front = frontFor(input.dialect, input.snapshot?.server);
  await front.ready();
  const context = input.snapshot ? new ResolutionContext(input.snapshot) : undefined;
  // The splitter drops a statement that opens with an executable comment; one that may create a
  // function there (mysqldump's `/*!50003 CREATE*/ … FUNCTION f`) leaves every call unjudged.
  if (context && input.dialect === 'mysql' && EXECUTABLE_FUNCTION_DDL.test(text)) context.routinesUnknowable = true;
  const maxLength = options.maxStatementLength ?? DEFAULT_MAX_STATEMENT_LENGTH;
  const deadline = performance.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const { signal, yieldEveryMs } = options;
  const suppressor = new Suppressor(text, findDirectives(text));
  const sink = new FindingSink(suppressor, {
    severities: options.severities,
    ignoredNames: options.ignoredNames,
    maxFindings: options.maxFindings ?? DEFAULT_MAX_FINDINGS,
  });
  const statements: StatementResult[] = [];
  const settle = (statement: Pending, next: SpanBounds | undefined): void => {
    const { findings, omitted } = sink.accept(statement.result.findings, statement.bounds, next);
    if (suppressor.lastSilenced.length > 0) statement.result.silenced = suppressor.lastSilenced;
    statement.result.findings = findings.length > 0 ? findings : NO_FINDINGS;
    if (omitted > 0) statement.result.omittedFindings = omitted;
    statements.push(statement.result);
  };
  let pending: Pending | undefined;
  let cancelled = false;
  let lastYield = performance.now();
  const spans = statementSpans(text, input.dialect);
  for (const span of spans) {
    if (signal?.aborted) {
      cancelled = true;
      break;
    }
    const now = performance.now();
    const result =
      now > deadline ? timeBudgetSpent(span, spans) : analyzeStatement(span, input.dialect, front, context, maxLength);
    if (pending) settle(pending, span);
    pending = { bounds: { leadingStart: span.leadingStart, start: span.start, end: span.end }, result };
    if (yieldEveryMs !== undefined && now - lastYield >= yieldEveryMs) {
      await new Promise(setImmediate);
      lastYield = performance.now();
    }
  }
  if (pending && !cancelled) settle(pending, undefined);
  const findings = sink.kept;
  const note = sink.omissionNote();
  if (note) findings.push(note);
  const result: AnalysisResult = { findings, statements };
  if (cancelled) result.cancelled = true;
  if (sink.omittedFindings) result.omitted = sink.omittedFindings;
  return result;
}

/** One "not checked" result from `span` to the end of the text; drains `rest` to count it. */
function timeBudgetSpent(span: StatementSpan, rest: Iterator<StatementSpan>): StatementResult {
  let count = 1;
  let end = span.end;
  for (let next = rest.next(); !next.done; next = rest.next()) {
    count++;
    end = next.value.end;
  }
  return {
    start: span.start,
    end,
    checked: false,
    findings: [
      finding(
        'not-checked',
        span.start,
        span.start + firstLineLength(span.text),
        `Not checked: the time budget ran out; ${count} statements from here on were not analysed.`,
        [],
        { reason: RUN_NOTE_REASON.timeBudget, statements: count },
      ),
    ],
  };
}

function analyzeStatement(
  span: StatementSpan,
  dialect: Dialect,
  front: DialectFront,
  context: ResolutionContext | undefined,
  maxLength: number,
): StatementResult {
  const problem = inputProblem(span, maxLength);
  if (problem) return notChecked(span, problem);
  const binding = bindToolPlaceholders(span.text, dialect);
  if (binding.kind === 'unsupported') return notChecked(span, binding.reason);
  if (binding.kind === 'none') return checkStatement(span, front, context);
  const bound = { text: binding.text, bindings: binding.bindings };
  const result = checkStatement({ ...span, text: bound.text, end: span.start + bound.text.length }, front, context);
  const back = (offset: number, isEnd: boolean): number =>
    span.start + originalOffset(bound.bindings, offset - span.start, isEnd);
  return {
    ...result,
    start: span.start,
    end: span.end,
    findings: result.findings.map((f) => ({ ...f, start: back(f.start, false), end: back(f.end, true) })),
    bound,
  };
}

function checkStatement(
  span: StatementSpan,
  front: DialectFront,
  context: ResolutionContext | undefined,
): StatementResult {
  const parsed = front.parse(span);
  // What an unreadable statement still tells later ones (MySQL's CREATE FUNCTION name).
  if (parsed.kind !== 'parsed' && parsed.effect) context?.applyEffect(parsed.effect);
  if (parsed.kind === 'not-checked') return notChecked(span, parsed.reason);
  if (parsed.kind === 'syntax-error')
    return { start: span.start, end: span.end, checked: true, findings: parsed.findings };
  const certain = parsed.findings ?? [];
  if (!context) return { start: span.start, end: span.end, checked: true, findings: certain };
  try {
    const findings = [...certain, ...resolveStatement(parsed.model, context)];
    return { start: span.start, end: span.end, checked: true, findings };
  } catch (error) {
    // A resolver bug must never become a false error or a crash: report the statement as unchecked.
    return notChecked(
      span,
      `internal error while resolving names (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function notChecked(span: StatementSpan, reason: string): StatementResult {
  return {
    start: span.start,
    end: span.end,
    checked: false,
    findings: [
      finding('not-checked', span.start, span.start + firstLineLength(span.text), `Not checked: ${reason}.`, [], {
        reason,
      }),
    ],
  };
}

function firstLineLength(text: string): number {
  const nl = text.search(/\r?\n/);
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : Math.min(nl, 200));
}
