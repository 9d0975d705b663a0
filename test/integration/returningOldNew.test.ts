import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

/**
 * `RETURNING old.*` and `RETURNING WITH (OLD AS o, NEW AS n)` are PostgreSQL 18 (PGlite's version):
 * the analysis follows the server it checks against. On PGlite they are valid; on PostgreSQL 15
 * they are what the server says: a missing FROM entry for `old`, a syntax error at `WITH`.
 */
const SCHEMA = 'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);';
const QUERIES = [
  'UPDATE accounts SET balance = balance - 10 WHERE id = 1 RETURNING old.balance, new.balance;',
  'DELETE FROM accounts WHERE id = 2 RETURNING old.*;',
  'UPDATE accounts SET balance = 0 RETURNING WITH (OLD AS before, NEW AS after) before.balance, after.balance;',
  'UPDATE accounts SET balance = 0 RETURNING old.balanc;',
].join('\n');

let project: string;
let database: TestDatabase;

before(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'ls-returning-'));
  await writeFile(path.join(project, 'schema.sql'), SCHEMA);
  await writeFile(path.join(project, 'q.sql'), `${QUERIES}\n`);
  database = await createPostgresDatabase(SCHEMA);
});
after(async () => {
  await rm(project, { recursive: true, force: true });
  await database?.drop();
});

interface Reported {
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

async function check(source: string[]): Promise<Reported[]> {
  const run = await runCli(project, ['check', 'q.sql', ...source, '--format', 'json']);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as { findings: Reported[] }).findings.filter((f) => f.severity === 'error');
}

test('on PGlite (PostgreSQL 18) old and new rows are valid in RETURNING, their columns checked', async () => {
  const errors = await check(['--schema-files', '.']);
  assert.deepEqual(
    errors.map((e) => [e.line, e.code]),
    [[4, 'unknown-column']],
    JSON.stringify(errors),
  );
  assert.match(errors[0].message, /balanc/);
});

test('on PostgreSQL 15 they are the errors the server reports', async () => {
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${database.name}`;
  const errors = await check(['--url', url]);
  const on = (line: number) => errors.filter((e) => e.line === line).map((e) => `${e.code} ${e.message}`);
  assert.deepEqual(on(1), [
    'unknown-table Missing FROM-clause entry for table "old" (in scope: accounts); add it to FROM or use one of those names.',
    'unknown-table Missing FROM-clause entry for table "new" (in scope: accounts); add it to FROM or use one of those names.',
  ]);
  assert.match(on(2).join(), /^unknown-table .*"old"/);
  // The grammar of 18 parses WITH (…); PostgreSQL 15's live check says it does not.
  assert.match(on(3).join(), /^syntax-error .*SQLSTATE 42601/);
  assert.match(on(4).join(), /^unknown-table .*"old"/);
  assert.equal(errors.length, 5, JSON.stringify(errors));
});
