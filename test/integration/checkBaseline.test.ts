/**
 * Drift in CI, the pull-request case, run as the built CLI with no database at all: a committed
 * baseline snapshot, then a migration that drops a column; `check --schema-files db --baseline`
 * prints the change and reports every code site it breaks as `schema-drift`, at the exact name.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli';

const TYPESCRIPT = [
  "import { pool } from './db';",
  '',
  "export const notes = () => pool.query('SELECT o.id, o.note FROM orders o');",
  "export const broken = () => pool.query('SELECT o.totl FROM orders o');",
  '',
].join('\n');
const PYTHON = ['def notes(cur):', '    cur.execute("SELECT id, note FROM orders")', ''].join('\n');
const SQL = 'SELECT note FROM orders WHERE id = 1;\nSELECT total_cents FROM orders;\n';

let dir: string;

/** Line, 1-based start column and end column of the last `name` on a line of `text`, as the report gives them. */
function at(text: string, line: number, name: string): [number, number, number] {
  const column = text.split('\n')[line - 1].lastIndexOf(name) + 1;
  return [line, column, column + name.length];
}

const run = (args: string[]) => runCli(dir, args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-baseline-'));
  await mkdir(path.join(dir, 'db'));
  await mkdir(path.join(dir, 'app'));
  await writeFile(
    path.join(dir, 'db/001_orders.sql'),
    'CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL, note text);\n',
  );
  await writeFile(path.join(dir, 'app/orders.ts'), TYPESCRIPT);
  await writeFile(path.join(dir, 'app/orders.py'), PYTHON);
  await writeFile(path.join(dir, 'app/report.sql'), SQL);
  const snapshot = await run(['snapshot', '--out', '.live-schema/schema.json']);
  assert.equal(snapshot.code, 0, snapshot.stderr);
  // The pull request's migration.
  await writeFile(path.join(dir, 'db/002_drop_note.sql'), 'ALTER TABLE orders DROP COLUMN note;\n');
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('check --schema-files --baseline reports the change and each code site it breaks, with exact ranges', async () => {
  const result = await run([
    'check',
    'app',
    '--schema-files',
    'db',
    '--baseline',
    '.live-schema/schema.json',
    '--format',
    'json',
  ]);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as {
    schemaChanges: string[];
    findings: { file: string; line: number; column: number; endColumn: number; code: string; message: string }[];
  };
  assert.deepEqual(report.schemaChanges, ['dropped column public.orders.note (text)']);
  const errors = report.findings
    .filter((f) => f.code === 'schema-drift' || f.code.startsWith('unknown-'))
    .map((f) => [f.file, f.line, f.column, f.endColumn, f.code]);
  assert.deepEqual(errors, [
    [path.join('app', 'orders.py'), ...at(PYTHON, 2, 'note'), 'schema-drift'],
    [path.join('app', 'orders.ts'), ...at(TYPESCRIPT, 3, 'note'), 'schema-drift'],
    // A mistake that was already there is not blamed on the migration.
    [path.join('app', 'orders.ts'), ...at(TYPESCRIPT, 4, 'totl'), 'unknown-column'],
    [path.join('app', 'report.sql'), ...at(SQL, 1, 'note'), 'schema-drift'],
  ]);
  const drift = report.findings.find((f) => f.code === 'schema-drift');
  assert.match(drift?.message ?? '', /^Broken by the schema change since \.live-schema\/schema\.json: Column "note"/);
});

test('the text report starts with the schema change', async () => {
  const result = await run(['check', 'app', '--schema-files', 'db', '--baseline', '.live-schema/schema.json']);
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 2), [
    'Schema changes since the baseline:',
    '  dropped column public.orders.note (text)',
  ]);
});
