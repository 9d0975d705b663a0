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

test('usage errors exit with 2 and say what is wrong', async () => {
  const { code, stderr } = await cli('migrate', '--target', 'prisma');
  assert.equal(code, 2);
  assert.match(stderr, /--target must be kysely or knex, got "prisma"/);
});
