import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseSnapshotJson } from '../../server/src/schema/snapshotJson';
import { runCli } from '../support/cli';
import { createPostgresDatabase, pgServer } from '../support/databases';

const work = mkdtempSync(path.join(tmpdir(), 'ls-snapshot-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the built `live-schema` in the project folder, as users run it. */
const liveSchema = (...args: string[]) => runCli(work, args);

test('`live-schema snapshot` exports a live PostgreSQL schema that reads back and diffs by one line per column change', async () => {
  const db = await createPostgresDatabase(
    'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL); CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2));',
  );
  try {
    await writeFile(
      path.join(work, 'live-schema.json'),
      JSON.stringify({ connections: [{ name: 'dev', driver: 'postgres', ...pgServer, database: db.name }] }),
    );
    const first = await liveSchema('snapshot', '--connection', 'dev');
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^Wrote \.live-schema\/schema\.json: 2 tables and views, 4 columns in 1 schemas from "dev"/,
    );
    const file = path.join(work, '.live-schema', 'schema.json');
    const before = await readFile(file, 'utf8');
    const parsed = parseSnapshotJson(before, 'schema.json');
    assert.ok('snapshot' in parsed);
    assert.deepEqual(
      parsed.snapshot.relations.map((r) => `${r.name}(${r.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`),
      ['customers(id bigint, email text)', 'orders(id bigint, total numeric(10,2))'],
    );

    await db.admin('ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)');
    assert.equal((await liveSchema('snapshot')).code, 0);
    const after = await readFile(file, 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    assert.equal(after.split('\n').length, before.split('\n').length);
    assert.deepEqual(changed, [
      '        { "name": "total", "comment": null, "default": null, "nullable": true, "position": 2, "type": "numeric(12,2)" }',
    ]);
  } finally {
    await db.drop();
  }
});

test('`live-schema snapshot` with an unreachable database says what to fix and exits 2, leaving no file', async () => {
  await writeFile(
    path.join(work, 'live-schema.json'),
    JSON.stringify({ connections: [{ name: 'gone', driver: 'postgres', host: '127.0.0.1', port: 1, database: 'x' }] }),
  );
  const result = await liveSchema('snapshot', '--out', 'gone.json');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused/);
  await assert.rejects(readFile(path.join(work, 'gone.json')));
});
