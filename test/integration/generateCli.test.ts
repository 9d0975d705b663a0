import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

/** The shipped bin, as users run it (`npm run build` makes it). */
const CLI = path.resolve(import.meta.dirname, '../../server/out/cli.js');

let project: string;
before(() => {
  project = mkdtempSync(path.join(tmpdir(), 'ls-generate-'));
  mkdirSync(path.join(project, 'db'));
  writeFileSync(
    path.join(project, 'db/schema.sql'),
    'CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer);\n',
  );
});
after(() => rmSync(project, { recursive: true, force: true }));

const generate = (...args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, 'generate', '--schema-files', 'db', ...args], { cwd: project });

test('live-schema generate writes the TypeScript schema module of the schema source', async () => {
  const { stdout } = await generate('--out', 'schema.ts');
  assert.equal(stdout, 'Wrote schema.ts (1 tables and views).\n');
  const module = readFileSync(path.join(project, 'schema.ts'), 'utf8');
  assert.match(module, /export interface Orders \{\n {2}id: Int8;\n {2}total_cents: number \| null;\n\}/);
  assert.match(
    module,
    /export interface DB \{\n {2}orders: Orders;\n {2}\/\/ The same, schema-qualified:\n {2}'public\.orders': Orders;\n\}/,
  );
});

test('live-schema generate --language python writes SQLAlchemy Core tables', async () => {
  await generate('--language', 'python', '--out', 'db_schema.py');
  const module = readFileSync(path.join(project, 'db_schema.py'), 'utf8');
  assert.match(module, /orders = Table\(\n {4}'orders',/);
  assert.match(module, /Column\('id', BigInteger, primary_key=True\),\n {4}Column\('total_cents', Integer\),/);
});
