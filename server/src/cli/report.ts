import path from 'node:path';
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

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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

/** SARIF 2.1.0 as GitHub code scanning reads it: one run, rules with ids, UTF-16 columns. */
export function formatSarif(results: FileResult[], rules: Record<string, string>, summary?: RunSummary): string {
  const codes = Object.keys(rules);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'live-schema',
            informationUri: 'https://github.com/live-schema/live-schema',
            rules: codes.map((id) => ({ id, shortDescription: { text: rules[id] } })),
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
export function formatReport(
  format: ReportFormat,
  results: FileResult[],
  rules: Record<string, string>,
  summary: RunSummary,
): string {
  return format === 'text'
    ? formatText(results, 'file', summary.notes, summary.schemaChanges)
    : format === 'json'
      ? formatJson(results, summary.notes, summary.schemaChanges)
      : formatSarif(results, rules, summary);
}
