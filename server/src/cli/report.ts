import { createHash } from 'node:crypto';
import path from 'node:path';
import { DIAGNOSTIC_SOURCE, RULES, type RuleId } from '../protocol/rules';
import type { Severity } from '../sql/findings';
import type { RunNote } from './sourceFiles';

/** How the CLI prints findings of any kind (SQL findings, static dependencies): text, JSON or SARIF. */

/** What every reported item has; offsets are UTF-16 offsets into the file's text. */
export interface ReportedFinding {
  code: string;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  /** Stable across unrelated edits of the file (`withFingerprints`): code scanning tracks the finding by it. */
  fingerprint?: string;
}

export interface FileResult<F extends ReportedFinding = ReportedFinding> {
  /** Path as shown (relative to the working directory). */
  file: string;
  /** Offsets where each line starts (`lineStarts`). */
  lines: number[];
  findings: F[];
}

export type ReportFormat = 'text' | 'json' | 'sarif';

/** What a run reports beyond findings: notes about the run itself (never cut) and its exit code. */
export interface RunSummary {
  notes: RunNote[];
  exitCode: number;
  /** With `--baseline`: how the schema changed since the baseline, one line each. */
  schemaChanges?: string[];
}

/** The `partialFingerprints` key: versioned, so a change of the recipe starts new alerts instead of mixing. */
const FINGERPRINT_KEY = 'liveSchemaFinding/v1';

/**
 * Gives each finding a fingerprint from what it is about, not where: the rule, the file, the
 * flagged text and its line with whitespace collapsed, plus which occurrence of that it is. Lines
 * added or removed elsewhere in the file leave it unchanged; editing the statement itself changes it.
 */
export function withFingerprints<F extends ReportedFinding>(file: string, text: string, findings: F[]): F[] {
  const lines = lineStarts(text);
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const { line } = position(lines, f.start);
    const lineText = text
      .slice(lines[line - 1], lines[line] ?? text.length)
      .replace(/\s+/g, ' ')
      .trim();
    const key = createHash('sha256')
      .update([f.code, sarifUri(file), text.slice(f.start, f.end), lineText].join('\0'))
      .digest('hex')
      .slice(0, 32);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return { ...f, fingerprint: `${key}:${occurrence}` };
  });
}

/** Offsets where each line starts; lines end at `\r\n`, `\n` or `\r`, as the editor counts them. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\n|\r/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** 1-based line and UTF-16 column of an offset. */
export function position(lines: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lines[lo] + 1 };
}

/** `file:line:col: severity code message` lines and a closing count. */
export function formatText(results: FileResult[], noun = 'file', notes: RunNote[] = [], changes?: string[]): string {
  const out: string[] = [];
  if (changes) {
    out.push(changes.length ? 'Schema changes since the baseline:' : 'No schema change since the baseline.');
    for (const change of changes) out.push(`  ${change}`);
  }
  let errors = 0;
  let others = 0;
  for (const r of results)
    for (const f of r.findings) {
      const { line, column } = position(r.lines, f.start);
      out.push(`${r.file}:${line}:${column}: ${f.severity} ${f.code} ${f.message}`);
      if (f.severity === 'error') errors++;
      else others++;
    }
  for (const note of notes) out.push(`${note.file}: note: ${note.message}`);
  const skipped = notes.length > 0 ? ` (${notes.length} skipped)` : '';
  out.push(
    `${results.length} ${noun}${results.length === 1 ? '' : 's'} checked${skipped}: ${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'}.`,
  );
  return `${out.join('\n')}\n`;
}

export function formatJson(results: FileResult[], notes: RunNote[] = [], schemaChanges?: string[]): string {
  const findings = results.flatMap((r) =>
    r.findings.map((f) => {
      const start = position(r.lines, f.start);
      const end = position(r.lines, f.end);
      return { file: r.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, ...f };
    }),
  );
  return `${JSON.stringify({ files: results.length, findings, notes, schemaChanges }, null, 2)}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules of the registry with their help,
 * UTF-16 columns, a fingerprint per result that survives unrelated edits, and the invocation.
 */
export function formatSarif(
  results: FileResult[],
  summary?: RunSummary,
  ruleIds: readonly RuleId[] = Object.keys(RULES) as RuleId[],
): string {
  const codes: readonly string[] = ruleIds;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: DIAGNOSTIC_SOURCE,
            informationUri: 'https://github.com/live-schema/live-schema',
            rules: ruleIds
              .map((id) => RULES[id])
              .map((rule) => ({
                id: rule.id,
                shortDescription: { text: rule.text },
                help: { text: rule.help },
                helpUri: rule.helpUri,
                defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
              })),
          },
        },
        columnKind: 'utf16CodeUnits',
        ...(summary && { invocations: [invocation(summary)] }),
        ...(summary?.schemaChanges && { properties: { schemaChanges: summary.schemaChanges } }),
        results: results.flatMap((r) =>
          r.findings.map((f) => {
            const start = position(r.lines, f.start);
            const end = position(r.lines, f.end);
            return {
              ruleId: f.code,
              ruleIndex: codes.indexOf(f.code),
              level: SARIF_LEVEL[f.severity],
              message: { text: f.message },
              ...(f.fingerprint && { partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint } }),
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: sarifUri(r.file) },
                    region: {
                      startLine: start.line,
                      startColumn: start.column,
                      endLine: end.line,
                      endColumn: end.column,
                    },
                  },
                },
              ],
            };
          }),
        ),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** The SARIF invocation: the exit status and the notes about the run (files skipped). */
function invocation({ notes, exitCode }: RunSummary) {
  return {
    executionSuccessful: exitCode !== 2,
    exitCode,
    toolExecutionNotifications: notes.map((note) => ({
      level: 'note',
      message: { text: note.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(note.file) } } }],
    })),
  };
}

function sarifUri(file: string): string {
  return file.split(path.sep).join('/');
}

/** Prints results in the chosen format. */
export function formatReport(format: ReportFormat, results: FileResult[], summary: RunSummary): string {
  return format === 'text'
    ? formatText(results, 'file', summary.notes, summary.schemaChanges)
    : format === 'json'
      ? formatJson(results, summary.notes, summary.schemaChanges)
      : formatSarif(results, summary);
}
