/**
 * The analysis entry point: splits a script into statements, has the dialect front parse each one,
 * resolves names against the snapshot, applies suppressions and the user's severities. Results
 * are per statement so callers can cache them; offsets are UTF-16 offsets into `text`.
 */
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { finding, type Finding, type FindingCode, type Severity } from './findings';
import { frontFor } from './fronts';
import { inputProblem } from './inputChecks';
import { ResolutionContext } from './resolve/context';
import { resolveStatement } from './resolve/resolveStatement';
import { splitStatements, type StatementSpan } from './splitStatements';
import { applySuppressions, findDirectives } from './suppression';

/** User settings that shape the findings. */
export interface AnalysisOptions {
  /** Per-code severity, or `off` to drop the code. */
  severities?: Partial<Record<FindingCode, Severity | 'off'>>;
  /** Names never reported: `table`, `schema.table`, `table.column` or `column` (case-insensitive). */
  ignoredNames?: string[];
  /** Statements longer than this (UTF-16 units) are not parsed but reported as not checked. */
  maxStatementLength?: number;
  /** After this much wall time the rest of the text is reported as not checked (one finding). */
  timeBudgetMs?: number;
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
}

export interface AnalysisResult {
  findings: Finding[];
  statements: StatementResult[];
}

export const DEFAULT_MAX_STATEMENT_LENGTH = 2_000_000;
export const DEFAULT_TIME_BUDGET_MS = 20_000;

/** Analyses `text` (a whole `.sql` file or one embedded statement) in the given dialect. */
export async function analyzeSql(text: string, input: AnalyzeInput): Promise<AnalysisResult> {
  const options = input.options ?? {};
  const front = frontFor(input.dialect, input.snapshot?.server);
  await front.ready();
  const spans = splitStatements(text, input.dialect);
  const context = input.snapshot ? new ResolutionContext(input.snapshot) : undefined;
  const maxLength = options.maxStatementLength ?? DEFAULT_MAX_STATEMENT_LENGTH;
  const deadline = performance.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const statements: StatementResult[] = [];
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index];
    if ((index & 63) === 0 && index > 0 && performance.now() > deadline) {
      const rest = spans.length - index;
      const last = spans[spans.length - 1];
      statements.push({
        start: span.start,
        end: last.end,
        checked: false,
        findings: [
          finding(
            'not-checked',
            span.start,
            span.start + firstLineLength(span.text),
            `Not checked: the time budget ran out; ${rest} statements from here on were not analysed.`,
          ),
        ],
      });
      break;
    }
    statements.push(analyzeStatement(span, text, front, context, maxLength));
  }
  return finish(text, spans, statements, options);
}

function analyzeStatement(
  span: StatementSpan,
  text: string,
  front: ReturnType<typeof frontFor>,
  context: ResolutionContext | undefined,
  maxLength: number,
): StatementResult {
  const problem = inputProblem(span, maxLength);
  const notChecked = (reason: string): StatementResult => ({
    start: span.start,
    end: span.end,
    checked: false,
    findings: [
      finding('not-checked', span.start, span.start + firstLineLength(span.text), `Not checked: ${reason}.`, [], {
        reason,
      }),
    ],
  });
  if (problem) return notChecked(problem);
  const parsed = front.parse(span, text);
  if (parsed.kind === 'not-checked') return notChecked(parsed.reason);
  if (parsed.kind === 'syntax-error')
    return { start: span.start, end: span.end, checked: true, findings: parsed.findings };
  if (!context) return { start: span.start, end: span.end, checked: true, findings: [] };
  try {
    const findings = resolveStatement(parsed.model, context);
    return { start: span.start, end: span.end, checked: true, findings };
  } catch (error) {
    // A resolver bug must never become a false error or a crash: report the statement as unchecked.
    return notChecked(
      `internal error while resolving names (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** Applies suppression comments, ignored names and severity overrides, and flattens the findings. */
function finish(
  text: string,
  spans: StatementSpan[],
  statements: StatementResult[],
  options: AnalysisOptions,
): AnalysisResult {
  const directives = findDirectives(text);
  const ignored = new Set((options.ignoredNames ?? []).map((n) => n.toLowerCase()));
  const statementOf = (offset: number): StatementSpan | undefined => {
    const index = spanIndexAt(spans, offset);
    const span = spans[index];
    const previous = spans[index - 1];
    // `select …; -- live-schema-ignore` on the statement's own last line belongs to it, not the next one.
    if (span && previous && offset < span.start && !text.slice(previous.end, offset).includes('\n')) return previous;
    return span;
  };
  const all: Finding[] = [];
  for (const statement of statements) {
    let kept = applySuppressions(text, directives, statement.findings, statementOf);
    if (ignored.size > 0) kept = kept.filter((f) => !isIgnored(f, ignored));
    kept = kept.flatMap((f) => {
      const severity = options.severities?.[f.code];
      if (severity === 'off') return [];
      return severity ? [{ ...f, severity }] : [f];
    });
    statement.findings = kept;
    all.push(...kept);
  }
  return { findings: all, statements };
}

/** The index of the statement whose leading comments or body hold `offset` (binary search), or -1. */
function spanIndexAt(spans: StatementSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].leadingStart <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function isIgnored(f: Finding, ignored: Set<string>): boolean {
  const names = f.data?.names;
  return Array.isArray(names) && names.some((n) => typeof n === 'string' && ignored.has(n.toLowerCase()));
}

function firstLineLength(text: string): number {
  const nl = text.search(/\r?\n/);
  return Math.max(1, nl < 0 ? Math.min(text.length, 200) : Math.min(nl, 200));
}
