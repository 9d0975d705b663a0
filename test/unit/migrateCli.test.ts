/**
 * `live-schema migrate` as a user runs it: a dry run prints the change and the refusals and writes
 * nothing; `--apply` journals, then writes; `rollback --last` gives back the file byte for byte.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli';

let dir: string;

const typescript = [
  "import { pool } from './pool';",
  '',
  'export async function emails(minId: number) {',
  "  const { rows } = await pool.query('select id, email from customers where id >= $1 order by id', [minId]);",
  '  return rows;',
  '}',
  "export const ranks = () => pool.query('select rank() over (order by id) from customers');",
  '',
].join('\r\n');

const python = [
  'def emails(cur, min_id):',
  '    cur.execute("select id, email from customers where id >= %s order by id", (min_id,))',
  '    return cur.fetchall()',
  '',
].join('\n');

const cli = (...args: string[]) => runCli(dir, args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-migrate-cli-'));
  await writeFile(path.join(dir, 'orders.ts'), typescript);
  await writeFile(path.join(dir, 'orders.py'), python);
  await writeFile(
    path.join(dir, 'live-schema.json'),
    JSON.stringify({ migrations: { builderImport: './db', pythonSchemaModule: 'app/tables.py' } }),
  );
});
after(() => rm(dir, { recursive: true, force: true }));

test('a dry run prints every change and refusal and writes nothing', async () => {
  const { code, stdout } = await cli('migrate');
  assert.equal(code, 0);
  assert.match(stdout, /orders\.ts:4: migrated/);
  assert.match(stdout, /\+ +\.selectFrom\('customers'\)/);
  assert.match(stdout, /orders\.ts:7: not migrated: .*conditionally or later/);
  assert.match(stdout, /Dry run: add --apply/);
  assert.equal(await readFile(path.join(dir, 'orders.ts'), 'utf8'), typescript);
  await assert.rejects(readdir(path.join(dir, '.live-schema/journal')), 'no journal for a dry run');
});

test('--apply journals and writes; rollback --last restores the file exactly (CRLF kept)', async () => {
  const applied = await cli('migrate', 'orders.ts', '--apply', '--format', 'json');
  assert.equal(applied.code, 0, applied.stderr);
  const result = JSON.parse(applied.stdout) as { converted: number; applied: { id: string; conflicts: number } };
  assert.equal(result.converted, 1);
  assert.equal(result.applied.conflicts, 0);
  const migrated = await readFile(path.join(dir, 'orders.ts'), 'utf8');
  assert.match(migrated, /^import \{ db \} from '\.\/db';\r\n/m);
  assert.doesNotMatch(migrated, /[^\r]\n/, 'the CRLF file stays CRLF');
  assert.match(migrated, /pool\.query\(compiledQuery\.sql, \[\.\.\.compiledQuery\.parameters\]\)/);
  assert.deepEqual(await readdir(path.join(dir, '.live-schema/journal')), [`${result.applied.id}.json`]);
  assert.equal(await readFile(path.join(dir, 'orders.py'), 'utf8'), python, 'only the named file');

  const rolledBack = await cli('rollback', '--last');
  assert.equal(rolledBack.code, 0, rolledBack.stderr);
  assert.equal(await readFile(path.join(dir, 'orders.ts'), 'utf8'), typescript);
});

test('SQL in a const and a { text, values } object (.js): rollback restores both ranges, and keeps edits made between them', async () => {
  const javascript = [
    "import { pool } from './pool';",
    '',
    'export async function recent(customer) {',
    "  const sql = 'select id, total from orders where customer_id = $1 order by id';",
    '  const limit = 5;',
    '  const { rows } = await pool.query(sql, [customer]);',
    "  const text = 'select id from orders where total > $1';",
    '  const values = [limit];',
    '  await pool.query({ text, values });',
    '  return rows.slice(0, limit);',
    '}',
    '',
  ].join('\n');
  const file = path.join(dir, 'recent.js');
  await writeFile(file, javascript);
  const apply = async () => {
    const applied = await cli('migrate', 'recent.js', '--apply', '--format', 'json');
    assert.equal(applied.code, 0, applied.stderr);
    const { converted, applied: entry } = JSON.parse(applied.stdout) as { converted: number; applied: { id: string } };
    assert.equal(converted, 2);
    return entry.id;
  };
  const id = await apply();
  const migrated = await readFile(file, 'utf8');
  assert.doesNotMatch(migrated, /const (sql|text) =/);
  assert.match(migrated, /\n {2}const limit = 5;\n {2}const compiledQuery = db/);
  const journal = JSON.parse(await readFile(path.join(dir, '.live-schema/journal', `${id}.json`), 'utf8')) as {
    files: { edits: { originalText: string; newText: string }[] }[];
  };
  assert.ok(
    journal.files[0].edits.some(
      (edit) => edit.originalText === `${javascript.split('\n')[3]}\n` && edit.newText === '',
    ),
    'the declaration is a range of its own',
  );
  assert.equal((await cli('rollback', '--last')).code, 0);
  assert.equal(await readFile(file, 'utf8'), javascript, 'byte for byte');

  // A line the user changes between the declaration and the call is no part of the migration.
  await apply();
  await writeFile(file, (await readFile(file, 'utf8')).replace('const limit = 5;', 'const limit = 6;'));
  const rolledBack = await cli('rollback', '--last');
  assert.equal(rolledBack.code, 0, rolledBack.stdout + rolledBack.stderr);
  assert.equal(await readFile(file, 'utf8'), javascript.replace('const limit = 5;', 'const limit = 6;'));
});

test('usage errors exit with 2 and say what is wrong', async () => {
  const { code, stderr } = await cli('migrate', '--target', 'prisma');
  assert.equal(code, 2);
  assert.match(stderr, /--target must be kysely or knex, got "prisma"/);
});
