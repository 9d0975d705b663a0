/**
 * One set of schema-source flags with one meaning on every command, and `--help` on each, run as
 * the built CLI: `snapshot --url` and `migrate --url` were refused before.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { runCli } from '../support/cli';

const SCHEMA = 'CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL);\n';

let dir: string;
let db: TestDatabase;

const run = (args: string[]) => runCli(dir, args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-cli-options-'));
  await mkdir(path.join(dir, 'migrations'));
  await writeFile(path.join(dir, 'migrations/001_orders.sql'), SCHEMA);
  await writeFile(path.join(dir, 'app.ts'), "export const q = (db) => db.query('SELECT id FROM orders');\n");
  db = await createPostgresDatabase(SCHEMA);
});

after(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('snapshot takes --url and --schema-files like check, and both give the same schema', async () => {
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
  const fromUrl = await run(['snapshot', '--url', url, '--out', 'live.json']);
  assert.equal(fromUrl.code, 0, fromUrl.stderr);
  const fromFiles = await run(['snapshot', '--schema-files', 'migrations', '--out', 'files.json']);
  assert.equal(fromFiles.code, 0, fromFiles.stderr);
  const columns = (file: string) =>
    readFile(path.join(dir, file), 'utf8').then((text) =>
      (JSON.parse(text) as { relations: { name: string; columns: { name: string }[] }[] }).relations.map((r) => [
        r.name,
        r.columns.map((c) => c.name),
      ]),
    );
  assert.deepEqual(await columns('live.json'), [['orders', ['id', 'total_cents']]]);
  assert.deepEqual(await columns('files.json'), await columns('live.json'));
});

test('migrate takes --url (its dialect decides how the SQL is read)', async () => {
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
  const result = await run(['migrate', 'app.ts', '--url', url, '--format', 'json']);
  assert.equal(result.code, 0, result.stderr);
});

test('--help on every command prints its usage and exits 0', async () => {
  for (const command of ['check', 'scan', 'snapshot', 'generate', 'migrate', 'rollback', 'demo', 'mcp']) {
    const result = await run([command, '--help']);
    assert.equal(result.code, 0, `${command}: ${result.stderr}`);
    assert.ok(result.stdout.startsWith(`usage: live-schema ${command}`), result.stdout);
  }
  const check = await run(['check', '--help']);
  assert.match(check.stdout, /--schema-files DIR {2}every \.sql file under DIR/);
});

test('check --live: the database judges what the offline analysis let through (PREPARE only), even where the configuration turns the live check off', async () => {
  // `lower` exists, not for an integer: only the database knows the overloads.
  await writeFile(path.join(dir, 'live.sql'), 'SELECT id FROM orders;\nSELECT lower(id) FROM orders;\n');
  await writeFile(path.join(dir, 'live-schema.json'), JSON.stringify({ validation: { liveCheck: false } }));
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
  const offline = await run(['check', 'live.sql', '--url', url, '--format', 'json']);
  assert.equal(offline.code, 0, offline.stderr);
  const live = await run(['check', 'live.sql', '--url', url, '--live', '--format', 'json']);
  await rm(path.join(dir, 'live-schema.json'));
  assert.equal(live.code, 1, live.stderr);
  const report = JSON.parse(live.stdout) as {
    findings: { code: string; line: number; column: number; message: string }[];
  };
  const found = report.findings.find((f) => f.code === 'unknown-function');
  assert.ok(found, live.stdout);
  assert.match(found.message, /function lower\(integer\) does not exist/);
  assert.equal(found.line, 2);
});
