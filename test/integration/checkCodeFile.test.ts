import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

/** The shipped bin, as users run it (`npm run build` makes it). */
const CLI = path.resolve(import.meta.dirname, '../../server/out/cli.js');

let project: string;
before(() => {
  project = mkdtempSync(path.join(tmpdir(), 'ls-check-code-'));
  mkdirSync(path.join(project, 'db'));
  mkdirSync(path.join(project, 'src'));
  writeFileSync(
    path.join(project, 'db/schema.sql'),
    'CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer);\n',
  );
  writeFileSync(
    path.join(project, 'src/orders.ts'),
    [
      "export const totals = (db: Db) => db.query('SELECT total_cents FROM orders');",
      "export const broken = (db: Db) => db.query('SELECT totl_cents FROM orders');",
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(project, 'src/orders.py'), 'def f(cur):\n    cur.execute("SELECT totl_cents FROM orders")\n');
});
after(() => rmSync(project, { recursive: true, force: true }));

const check = (file: string) =>
  promisify(execFile)(process.execPath, [CLI, 'check', file, '--schema-files', 'db'], { cwd: project }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

test('check src/orders.ts checks the SQL strings of the file, not the TypeScript as SQL', async () => {
  const { code, stdout } = await check('src/orders.ts');
  // What the editor shows: the error on the column, and each SQL string as a template (information).
  assert.equal(
    stdout,
    'src/orders.ts:1:44: information sql-template SQL template on public.orders: hard-coded SQL that a schema change breaks at run time. A query builder over a generated schema module catches it at compile time.\n' +
      'src/orders.ts:2:44: information sql-template SQL template on public.orders: hard-coded SQL that a schema change breaks at run time. A query builder over a generated schema module catches it at compile time.\n' +
      'src/orders.ts:2:52: error unknown-column Column "totl_cents" does not exist on "orders". Did you mean "total_cents"?\n' +
      '1 file checked: 1 error, 2 other findings.\n',
  );
  assert.equal(code, 1);
});

test('check src/orders.py checks the SQL strings of a Python file', async () => {
  const { code, stdout } = await check('src/orders.py');
  assert.match(stdout, /^src\/orders\.py:2:25: error unknown-column Column "totl_cents"/m);
  assert.doesNotMatch(stdout, /syntax-error/);
  assert.equal(code, 1);
});
