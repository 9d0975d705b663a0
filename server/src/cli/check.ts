import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { glob } from 'tinyglobby';
import { parseConnection, type ConnectionSettings } from '../config/connectionSettings';
import { createDriver } from '../db/createDriver';
import { DatabaseError } from '../db/driver';
import type { SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql, type AnalysisOptions } from '../sql/analyze';
import type { FindingCode } from '../sql/findings';
import { loadCliConfig, pickConnection, UsageError } from './config';
import { formatReport, lineStarts, type FileResult } from './report';

/**
 * `live-schema check <paths…> [--format text|json|sarif] [--connection NAME | --url URL |
 * --snapshot FILE | --schema-files DIR] [--config FILE]`: checks every `.sql` file under the paths
 * against the schema and prints the findings. Exit code 1 when any finding is an error, 0 when
 * clean, 2 on a usage or configuration problem (bad arguments, unreachable schema source).
 */
export async function runCheck(args: string[]): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parse(args));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif, got "${format}"`);
  if (positionals.length === 0) throw new UsageError(`no files or folders to check\n${USAGE}`);
  const cwd = process.cwd();
  const files = await sqlFiles(positionals, cwd);
  const { settings } = loadCliConfig(values.config, cwd);
  const { connection, root } = chooseSource(
    values,
    settings.connections.length ? () => pickConnection(settings, values.connection) : undefined,
    cwd,
  );
  const snapshot = await discover(connection, root);
  const options: AnalysisOptions = {
    severities: settings.validation.severity,
    ignoredNames: settings.validation.ignoredNames,
  };
  const results: FileResult[] = [];
  for (const file of files) {
    const text = decode(await readFile(file));
    const { findings } = await analyzeSql(text, { dialect: snapshot.dialect, snapshot, options });
    results.push({ file: path.relative(cwd, file) || file, lines: lineStarts(text), findings });
  }
  process.stdout.write(formatReport(format, results, RULE_TEXT));
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

const USAGE =
  'usage: live-schema check <paths…> [--format text|json|sarif] [--connection NAME | --url URL | --snapshot FILE | --schema-files DIR] [--config FILE]';

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      connection: { type: 'string' },
      config: { type: 'string' },
      url: { type: 'string' },
      snapshot: { type: 'string' },
      'schema-files': { type: 'string' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

/** One schema source from the flags; the configured connection (or the embedded one) otherwise. */
function chooseSource(
  values: Values,
  configured: (() => ConnectionSettings | undefined) | undefined,
  cwd: string,
): { connection: ConnectionSettings; root: string } {
  const given = [values.url, values.snapshot, values['schema-files'], values.connection].filter((v) => v !== undefined);
  if (given.length > 1)
    throw new UsageError('choose one schema source: --connection, --url, --snapshot or --schema-files');
  const make = (raw: Record<string, unknown>): ConnectionSettings => {
    const parsed = parseConnection(raw, process.env, 'check');
    if ('errors' in parsed) throw new UsageError(parsed.errors.map((e) => `${e.key}: ${e.message}`).join('\n'));
    return parsed.connection;
  };
  if (values.url !== undefined) return { connection: make({ name: 'url', url: values.url }), root: cwd };
  if (values.snapshot !== undefined)
    return {
      connection: make({ name: 'snapshot', driver: 'snapshot', path: path.resolve(cwd, values.snapshot) }),
      root: cwd,
    };
  if (values['schema-files'] !== undefined)
    return {
      connection: make({ name: 'embedded', driver: 'pglite' }),
      root: path.resolve(cwd, values['schema-files']),
    };
  const connection = configured?.();
  if (connection) return { connection, root: cwd };
  return { connection: make({ name: 'embedded', driver: 'pglite' }), root: cwd };
}

async function discover(connection: ConnectionSettings, root: string): Promise<SchemaSnapshot> {
  const driver = createDriver(connection, { root, passwords: () => Promise.resolve(process.env.LIVE_SCHEMA_PASSWORD) });
  try {
    const result = await driver.discover();
    for (const warning of result.warnings)
      process.stderr.write(`warning: ${warning.file ? `${warning.file}: ` : ''}${warning.message}\n`);
    return result.snapshot;
  } catch (error) {
    if (error instanceof DatabaseError)
      throw new UsageError(`cannot read the schema from "${connection.name}": ${error.message}`);
    throw error;
  } finally {
    await driver.close();
  }
}

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
};
