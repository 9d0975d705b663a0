import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { StaticDependencyCode } from '../embedded/staticReferences';
import type { IndexedDependency } from '../index/indexFile';
import { WorkspaceIndex } from '../index/workspaceIndex';
import type { SchemaElementRef } from '../embedded/schemaNames';
import { DEPENDENCY_RULE_IDS } from '../protocol/rules';
import { parseReportArgs } from './commandArgs';
import { UsageError } from './config';
import { formatSarif, lineStarts, position, withFingerprints, type FileResult } from './report';
import { readSchema } from './schemaSource';

/**
 * `live-schema scan [paths…] [--format text|json|sarif] [--connection NAME | --url URL |
 * --snapshot FILE | --schema-files DIR] [--exclude GLOB…] [--config FILE]`: indexes the `.sql`,
 * TS/JS and Python files under the paths (the working directory by default; `.gitignore`,
 * `node_modules` and `--exclude` globs left out) and lists the static dependencies on the schema:
 * hard-coded table and column names, static mappings and SQL templates. Findings are
 * informational: exit 0, or 2 on a usage or configuration problem.
 */
export async function runScan(args: string[]): Promise<number> {
  const { values, positionals, format, root } = parseReportArgs(args, USAGE, {
    exclude: { type: 'string', multiple: true, default: [] },
  });
  const cwd = process.cwd();
  const paths = positionals.length ? positionals : ['.'];
  for (const p of paths)
    if (!(await stat(path.resolve(cwd, p)).catch(() => undefined)))
      throw new UsageError(`${p}: no such file or folder`);
  const { settings, snapshot } = await readSchema(values, root, 'scan');
  const index = new WorkspaceIndex({ root: cwd, snapshot, exclude: values.exclude, embedded: settings.embedded });
  await index.build({ paths });

  const results: FileResult<ScanFinding>[] = [];
  for (const group of filesWithDependencies(index)) {
    const text = await readFile(group.file, 'utf8');
    results.push({
      file: path.relative(cwd, group.file) || group.file,
      lines: lineStarts(text),
      findings: withFingerprints(path.relative(cwd, group.file) || group.file, text, group.dependencies.map(toFinding)),
    });
  }
  const notes = index.notes().map((n) => ({ file: path.relative(cwd, n.file) || n.file, message: n.message }));
  const scanned = index.files().length;
  if (format === 'sarif') process.stdout.write(formatSarif(results, undefined, DEPENDENCY_RULE_IDS));
  else if (format === 'json') process.stdout.write(formatJson(results, scanned, notes));
  else {
    process.stdout.write(formatText(results, scanned));
    for (const note of notes) process.stderr.write(`note: ${note.file}: ${note.message}\n`);
  }
  return 0;
}

const USAGE =
  'usage: live-schema scan [paths…] [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--exclude GLOB…] [--config FILE]';

/** A static dependency as the report writers take it, with the element(s) it depends on. */
interface ScanFinding {
  code: StaticDependencyCode;
  severity: IndexedDependency['severity'];
  start: number;
  end: number;
  message: string;
  /** `schema.table` or `schema.table.column`; SQL templates list every table they name. */
  element: string;
  goneNow?: boolean;
}

const describe = (e: SchemaElementRef): string => [e.schema, e.table, e.column].filter(Boolean).join('.');

function toFinding(d: IndexedDependency): ScanFinding {
  return {
    code: d.code,
    severity: d.severity,
    start: d.start,
    end: d.end,
    message: d.message,
    element: (d.elements ?? [d.element]).map(describe).join(', '),
    ...(d.goneNow && { goneNow: true }),
  };
}

/** Files with static dependencies, in path order, each file's dependencies in text order. */
function filesWithDependencies(index: WorkspaceIndex): { file: string; dependencies: IndexedDependency[] }[] {
  const byFile = new Map<string, IndexedDependency[]>();
  for (const group of index.staticDependencies())
    for (const { file, dependencies } of group.files) byFile.set(file, [...(byFile.get(file) ?? []), ...dependencies]);
  return [...byFile.keys()]
    .sort()
    .map((file) => ({ file, dependencies: byFile.get(file)!.sort((a, b) => a.start - b.start) }));
}

/** `file:line:col: severity code element message` lines and a count per code. */
function formatText(results: FileResult<ScanFinding>[], scanned: number): string {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const r of results)
    for (const f of r.findings) {
      const { line, column } = position(r.lines, f.start);
      out.push(`${r.file}:${line}:${column}: ${f.severity} ${f.code} ${f.element} ${f.message}`);
      counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const detail = [...counts].map(([code, n]) => `${n} ${code}`).join(', ');
  out.push(
    `${scanned} file${scanned === 1 ? '' : 's'} scanned: ${total} static dependenc${total === 1 ? 'y' : 'ies'}${detail ? ` (${detail})` : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

function formatJson(results: FileResult<ScanFinding>[], scanned: number, notes: { file: string; message: string }[]) {
  const dependencies = results.flatMap((r) =>
    r.findings.map((f) => {
      const start = position(r.lines, f.start);
      const end = position(r.lines, f.end);
      return { file: r.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, ...f };
    }),
  );
  return `${JSON.stringify({ files: scanned, dependencies, notes }, null, 2)}\n`;
}
