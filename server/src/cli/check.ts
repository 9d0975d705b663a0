import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { analyzeRegions } from '../embedded/analyzeRegions';
import { extractEmbedded, hostLanguageOf } from '../embedded/extract';
import type { EmbeddedSettings } from '../embedded/settings';
import type { SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql, type AnalysisOptions, type AnalysisResult } from '../sql/analyze';
import type { FindingCode } from '../sql/findings';
import { parseReportArgs } from './commandArgs';
import { UsageError } from './config';
import { formatReport, lineStarts, type FileResult } from './report';
import { readSchema } from './schemaSource';

/**
 * `live-schema check <paths…> [--format text|json|sarif] [--connection NAME | --url URL |
 * --snapshot FILE | --schema-files DIR] [--config FILE]`: checks every `.sql` file under the paths
 * against the schema, and the SQL strings of a TS/JS/Python file named on the command line, and
 * prints the findings. Exit code 1 when any finding is an error, 0 when
 * clean, 2 on a usage or configuration problem (bad arguments, unreachable schema source).
 */
export async function runCheck(args: string[]): Promise<number> {
  const { values, positionals, format } = parseReportArgs(args, USAGE, {});
  if (positionals.length === 0) throw new UsageError(`no files or folders to check\n${USAGE}`);
  const cwd = process.cwd();
  const files = await sqlFiles(positionals, cwd);
  const { settings, snapshot } = await readSchema(values, cwd, 'check');
  const options: AnalysisOptions = {
    severities: settings.validation.severity,
    ignoredNames: settings.validation.ignoredNames,
  };
  const results: FileResult[] = [];
  for (const file of files) {
    const text = decode(await readFile(file));
    const findings = await checkText(file, text, snapshot, options, settings.embedded);
    results.push({ file: path.relative(cwd, file) || file, lines: lineStarts(text), findings });
  }
  process.stdout.write(formatReport(format, results, RULE_TEXT));
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** A code file is checked as the editor checks it, by its SQL strings: its own code is no SQL. */
async function checkText(
  file: string,
  text: string,
  snapshot: SchemaSnapshot,
  options: AnalysisOptions,
  settings: EmbeddedSettings,
): Promise<AnalysisResult['findings']> {
  if (hostLanguageOf(file) === undefined)
    return (await analyzeSql(text, { dialect: snapshot.dialect, snapshot, options })).findings;
  const { regions } = await extractEmbedded(file, text, { dialect: snapshot.dialect, snapshot, settings });
  return analyzeRegions(regions, { snapshot, options, settings });
}

const USAGE =
  'usage: live-schema check <paths…> [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE]';

async function sqlFiles(paths: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`${p}: no such file or folder`);
    if (info.isDirectory())
      files.push(...(await glob('**/*.sql', { cwd: full, absolute: true, ignore: ['**/node_modules/**'] })).sort());
    else files.push(full);
  }
  return files;
}

/** Invalid UTF-8 becomes U+FFFD, which the analysis reports as "not checked" where it occurs. */
function decode(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

/** One line per finding code, for SARIF rule descriptions. */
export const RULE_TEXT: Record<FindingCode, string> = {
  'syntax-error': 'The statement does not parse in the connection’s SQL dialect.',
  'unknown-schema': 'The statement names a schema the database does not have.',
  'unknown-table': 'The statement names a table or view the database does not have, or a table missing from FROM.',
  'unknown-column': 'The statement names a column the referenced table does not have.',
  'ambiguous-column': 'An unqualified column name exists in more than one table of the statement.',
  'database-error': 'The live database rejected the statement when it was prepared.',
  'not-checked': 'The statement could not be analysed (parser limits, binary or invalid text).',
  'schema-drift': 'A name that existed before the last schema change of the connection and no longer does.',
  'column-count-mismatch':
    'An INSERT, VALUES list or UNION/INTERSECT/EXCEPT whose parts differ in their number of columns.',
};
