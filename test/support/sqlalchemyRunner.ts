/**
 * Runs generated SQLAlchemy Core code on a real database with Debian's /usr/bin/python3
 * (SQLAlchemy 1.4, psycopg2, PyMySQL): every case in one Python process, each in its own
 * rolled-back transaction, results printed as JSON. Values are normalised the same way as
 * `normaliseNodeValue` does on the Node side, so both can be compared as they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportNeed } from '../../server/src/migrate/builderTarget';
import type { Dialect } from '../../server/src/schema/snapshot';

export interface PythonCase {
  /** The generated expression; it may use `schema` (the module) and `params` (the values). */
  code: string;
  imports: ImportNeed[];
  params: unknown[];
  /** A query run after the statement in the same transaction: the table state it left. */
  check?: string;
}

/** Column names and rows of normalised values; `error` when the code or the statement failed. */
export interface RunResult {
  columns: string[];
  rows: unknown[][];
  state: unknown[][];
  compiled?: string;
  error?: string;
}

/** The module name the generated code's `schema` refers to. */
export const MODULE_NAME = 'live_schema_tables';

const NORMALISE = `
def normalise(value):
    """Numbers as {'num': text}, dates as ISO text; MySQL has no boolean type, so True is 1 there."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return {'num': str(int(value))} if DIALECT == 'mysql' else value
    if isinstance(value, int):
        return {'num': str(value)}
    if isinstance(value, float):
        return {'num': str(int(value)) if value.is_integer() else repr(value)}
    if isinstance(value, decimal.Decimal):
        return {'num': format(value, 'f')}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {'hex': bytes(value).hex()}
    if isinstance(value, (list, tuple)):
        return [normalise(item) for item in value]
    return {'unexpected': repr(value)}
`;

/** Runs every case against `url` (a SQLAlchemy URL) with `moduleSource` importable as `schema`. */
export function runSqlAlchemy(dialect: Dialect, url: string, moduleSource: string, cases: PythonCase[]): RunResult[] {
  const directory = mkdtempSync(join(tmpdir(), 'ls-sqlalchemy-'));
  try {
    writeFileSync(join(directory, `${MODULE_NAME}.py`), moduleSource);
    const imports = new Map(cases.flatMap((c) => c.imports).map((need) => [`${need.module} ${need.name}`, need]));
    const functions = cases.map((c, index) => `def case_${index}(params):\n    return ${c.code}\n`);
    const table = cases.map(
      (c, index) =>
        `    (case_${index}, json.loads(${JSON.stringify(JSON.stringify(c.params))}), ${c.check === undefined ? 'None' : JSON.stringify(c.check)}),`,
    );
    const script = [
      'import datetime, decimal, json, os, sys, warnings',
      'from sqlalchemy import create_engine, text',
      `import ${MODULE_NAME} as schema`,
      ...[...imports.values()].map((need) => `from ${need.module} import ${need.name}`),
      `DIALECT = ${JSON.stringify(dialect)}`,
      NORMALISE,
      ...functions,
      'CASES = [',
      ...table,
      ']',
      RUN_ALL,
    ].join('\n');
    writeFileSync(join(directory, 'run.py'), script);
    const run = spawnSync('/usr/bin/python3', [join(directory, 'run.py')], {
      cwd: directory,
      env: { ...process.env, DATABASE_URL: url, PYTHONPATH: directory, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout) as RunResult[];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const RUN_ALL = `
warnings.simplefilter('ignore')
engine = create_engine(os.environ['DATABASE_URL'], future=True)
results = []
for build, params, check in CASES:
    entry = {'columns': [], 'rows': [], 'state': []}
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                statement = build(params)
                entry['compiled'] = str(statement.compile(dialect=engine.dialect))
                result = connection.execute(statement)
                if result.returns_rows:
                    entry['columns'] = list(result.keys())
                    entry['rows'] = [[normalise(value) for value in row] for row in result]
                if check:
                    entry['state'] = [[normalise(value) for value in row] for row in connection.execute(text(check))]
            finally:
                transaction.rollback()
    except Exception as error:
        entry['error'] = type(error).__name__ + ': ' + str(error)
    results.append(entry)
engine.dispose()
print(json.dumps(results))
`;

/** A number as the database printed it, tagged the way the Python side tags numbers. */
export function numberText(text: string | null): { num: string } | null {
  return text === null ? null : { num: text };
}
