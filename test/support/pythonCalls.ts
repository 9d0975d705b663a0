/**
 * Runs SQL the way a user's Python code runs it, before and after migration: each case is a
 * function of a host file that calls the DB-API `cur.execute(sql, params)` of psycopg2 or PyMySQL
 * with real Python values (`Decimal`, `datetime.date`, `None`, `bytes`, …). The file is migrated
 * by the planner as a user's file is, and the original and migrated functions are run by Debian's
 * /usr/bin/python3 on the real database, all cases in one process, each call in a transaction that
 * is rolled back. What comes back is what the user's code receives: column names
 * (`cursor.description`), every value with its Python type, `rowcount`, and the table state after.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFileMigration } from '../../server/src/migrate/planMigration';
import type { Dialect } from '../../server/src/schema/snapshot';
import { mysqlServer, pgServer } from './databases';
import type { HostValue } from './sqlGenerator/hostValues';

export interface PythonCallCase {
  /** The statement as the Python code writes it: `%s` / `%(name)s` markers, `%` doubled where values are passed. */
  sql: string;
  /** Positional values (a tuple), named values (a dict), or none: the call passes only the SQL. */
  values?: HostValue[] | Record<string, HostValue>;
  /** A query run after the call in the same transaction: the table state it left. */
  check?: string;
  /** The SQL is assigned to a local first: `query = "…"`, then `cur.execute(query, …)`. */
  viaVariable?: boolean;
}

/** A value as the user's code receives it: its Python type's name and its repr(). */
export type TypedValue = [type: string, repr: string];

export interface CallOutcome {
  /** `cursor.description` names; null when the statement returns no rows. */
  columns: string[] | null;
  rows: TypedValue[][] | null;
  rowcount: number;
  state: TypedValue[][];
  /** The text the driver sent, for failure messages. */
  executed?: string;
  error?: string;
}

export interface CallComparison {
  original: CallOutcome;
  /** Absent when the migration refused the call. */
  migrated?: CallOutcome;
  refused?: string;
  /** The statement of the migrated call, as written into the file. */
  migratedCode?: string;
}

/** The module name the migrated file imports the schema module by. */
const SCHEMA_MODULE = 'db_schema';

export function pythonValue(value: HostValue): string {
  switch (value.kind) {
    case 'int':
      return String(value.value);
    case 'float':
      return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
    case 'decimal':
      return `Decimal(${JSON.stringify(value.text)})`;
    case 'string':
      return JSON.stringify(value.text);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'null':
      return 'None';
    case 'date':
      return `datetime.date.fromisoformat(${JSON.stringify(value.text)})`;
    case 'datetime':
      return `datetime.datetime.fromisoformat(${JSON.stringify(value.text)})`;
    case 'bytes':
      return `bytes.fromhex(${JSON.stringify(value.hex)})`;
    case 'list':
      return `[${value.items.map(pythonValue).join(', ')}]`;
  }
}

function valuesLiteral(values: PythonCallCase['values']): string {
  if (values === undefined) return 'None';
  if (Array.isArray(values)) return `[${values.map(pythonValue).join(', ')}]`;
  return `{${Object.entries(values)
    .map(([name, value]) => `${JSON.stringify(name)}: ${pythonValue(value)}`)
    .join(', ')}}`;
}

/** The call as a user writes it: a tuple of values, a dict of them, or the SQL alone. */
function callArguments(entry: PythonCallCase): string {
  const sql = entry.viaVariable ? 'query' : JSON.stringify(entry.sql);
  const { values } = entry;
  if (values === undefined) return sql;
  if (Array.isArray(values)) {
    const items = values.map((_, index) => `v[${index}]`);
    return `${sql}, (${items.join(', ')}${items.length === 1 ? ',' : ''})`;
  }
  return `${sql}, {${Object.keys(values)
    .map((name) => `${JSON.stringify(name)}: v[${JSON.stringify(name)}]`)
    .join(', ')}}`;
}

/** The host file: one function per case, each making the call; and where each function's text is. */
function hostFile(cases: PythonCallCase[]): { text: string; spans: [number, number][] } {
  let text = 'import datetime\nfrom decimal import Decimal\n';
  const spans: [number, number][] = [];
  cases.forEach((entry, index) => {
    const start = text.length + 2;
    const assignment = entry.viaVariable ? `    query = ${JSON.stringify(entry.sql)}\n` : '';
    text += `\n\ndef case_${index}(cur, v):\n${assignment}    cur.execute(${callArguments(entry)})\n`;
    spans.push([start, text.length]);
  });
  return { text, spans };
}

function apply(text: string, edits: { start: number; end: number; newText: string }[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((result, edit) => result.slice(0, edit.start) + edit.newText + result.slice(edit.end), text);
}

/** Migrates the cases' host file to SQLAlchemy Core and runs original and migrated calls on `database`. */
export async function runPythonCalls(
  dialect: Dialect,
  database: string,
  schemaModule: string,
  cases: PythonCallCase[],
): Promise<CallComparison[]> {
  const original = hostFile(cases);
  const plan = await planFileMigration({
    file: 'calls.py',
    fileName: 'calls.py',
    text: original.text,
    dialect,
    target: 'sqlalchemy',
    instance: SCHEMA_MODULE,
    instanceImport: { module: '', name: SCHEMA_MODULE },
  });
  const caseAt = (offset: number) => original.spans.findIndex(([start, end]) => start <= offset && offset < end);
  const refusals = new Map(plan.refusals.map((refusal) => [caseAt(refusal.offset), refusal.reason]));
  const migratedCode = new Map(plan.edits.map((edit) => [caseAt(edit.end - 1), edit.newText]));
  const migrated = apply(original.text, plan.edits);

  const directory = mkdtempSync(join(tmpdir(), 'ls-python-calls-'));
  try {
    writeFileSync(join(directory, `${SCHEMA_MODULE}.py`), schemaModule);
    writeFileSync(join(directory, 'original_calls.py'), original.text);
    writeFileSync(join(directory, 'migrated_calls.py'), migrated);
    const table = cases.map(
      (entry, index) =>
        `    (${index}, ${valuesLiteral(entry.values)}, ${JSON.stringify(entry.check ?? null)}, ${!refusals.has(index) ? 'True' : 'False'}),`,
    );
    writeFileSync(
      join(directory, 'cases.py'),
      ['import datetime', 'from decimal import Decimal', 'null = None', 'CASES = [', ...table, ']', ''].join('\n'),
    );
    writeFileSync(join(directory, 'run.py'), RUNNER);
    const server = dialect === 'postgres' ? pgServer : mysqlServer;
    const run = spawnSync('/usr/bin/python3', [join(directory, 'run.py')], {
      cwd: directory,
      env: {
        ...process.env,
        LS_DIALECT: dialect,
        LS_HOST: server.host,
        LS_PORT: String(server.port),
        LS_USER: server.user,
        LS_PASSWORD: mysqlServer.password,
        LS_DATABASE: database,
        PYTHONPATH: directory,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
    const outcomes = JSON.parse(run.stdout) as { original: CallOutcome; migrated?: CallOutcome }[];
    return outcomes.map((outcome, index) => ({
      ...outcome,
      ...(refusals.has(index) ? { refused: refusals.get(index) } : {}),
      ...(migratedCode.has(index) ? { migratedCode: migratedCode.get(index) } : {}),
    }));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Rows in a comparable form: in order where the statement orders them totally, else sorted. */
export function comparableRows(rows: TypedValue[][] | null, ordered: boolean): string[] | null {
  if (rows === null) return null;
  const lines = rows.map((row) => JSON.stringify(row));
  return ordered ? lines : lines.sort();
}

const RUNNER = `
import json, os, warnings
import original_calls, migrated_calls
from cases import CASES

warnings.simplefilter('ignore')
DIALECT = os.environ['LS_DIALECT']
if DIALECT == 'postgres':
    import psycopg2
    connection = psycopg2.connect(
        host=os.environ['LS_HOST'], port=int(os.environ['LS_PORT']), user=os.environ['LS_USER'],
        dbname=os.environ['LS_DATABASE'], options='-c statement_timeout=10000')
else:
    import pymysql
    connection = pymysql.connect(
        host=os.environ['LS_HOST'], port=int(os.environ['LS_PORT']), user=os.environ['LS_USER'],
        password=os.environ['LS_PASSWORD'], database=os.environ['LS_DATABASE'])
    with connection.cursor() as cur:
        cur.execute('SET SESSION max_statement_time = 10')


def typed(value):
    return [type(value).__name__, repr(value)]


def executed(cur):
    text = getattr(cur, 'query', None) if DIALECT == 'postgres' else getattr(cur, '_executed', None)
    return text.decode('utf8', 'replace') if isinstance(text, bytes) else text


def call(function, values, check):
    cur = connection.cursor()
    outcome = {'columns': None, 'rows': None, 'rowcount': -1, 'state': []}
    try:
        function(cur, values)
        outcome['rowcount'] = cur.rowcount
        if cur.description is not None:
            outcome['columns'] = [column[0] for column in cur.description]
            outcome['rows'] = [[typed(value) for value in row] for row in cur.fetchall()]
        if check:
            cur.execute(check)
            outcome['state'] = [[typed(value) for value in row] for row in cur.fetchall()]
    except Exception as error:
        outcome['error'] = type(error).__name__ + ': ' + ' '.join(str(error).split())[:300]
    outcome['executed'] = executed(cur)
    connection.rollback()
    cur.close()
    return outcome


results = []
for index, values, check, converted in CASES:
    entry = {'original': call(getattr(original_calls, 'case_%d' % index), values, check)}
    if converted:
        entry['migrated'] = call(getattr(migrated_calls, 'case_%d' % index), values, check)
    results.append(entry)
connection.close()
print(json.dumps(results))
`;

/** Asserts the migrated call gave the user's code exactly what the original gave it. */
export function assertSameOutcome(result: CallComparison, ordered: boolean): void {
  const { original, migrated } = result;
  assert.ok(migrated, 'the call was migrated');
  const context = `\n${result.migratedCode ?? ''}\nsent: ${migrated.executed ?? '(nothing)'}\noriginal sent: ${original.executed ?? ''}`;
  assert.equal(migrated.error, original.error, `the calls fail differently${context}`);
  assert.deepEqual(migrated.columns, original.columns, `column names differ${context}`);
  assert.deepEqual(
    comparableRows(migrated.rows, ordered),
    comparableRows(original.rows, ordered),
    `rows or their types differ${context}`,
  );
  assert.equal(migrated.rowcount, original.rowcount, `rowcount differs${context}`);
  assert.deepEqual(migrated.state, original.state, `table state differs${context}`);
}
