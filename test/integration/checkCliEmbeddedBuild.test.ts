import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

/**
 * `live-schema check --schema-files` on schema files that hang or break the embedded database,
 * run as the built command (`npm run build`), whose worker thread is a bundle of its own.
 */
const cli = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-check-hostile-'));
  await mkdir(path.join(dir, 'db'));
  await writeFile(path.join(dir, 'db/1_orders.sql'), 'CREATE TABLE orders (id int PRIMARY KEY, total_cents int);');
  // Not a DO loop, which could have created anything and so leaves no unknown name sure.
  await writeFile(path.join(dir, 'db/2_sleep.sql'), 'SELECT pg_sleep(100000);');
  await writeFile(path.join(dir, 'db/3_copy.sql'), "COPY orders TO PROGRAM 'true';");
  await writeFile(path.join(dir, 'db/4_lines.sql'), 'CREATE TABLE order_lines (order_id int REFERENCES orders);');
  await writeFile(path.join(dir, 'q.sql'), 'select totl_cents from orders;\nselect order_id from order_lines;\n');
});
after(() => rm(dir, { recursive: true, force: true }));

test('a sleeping and a PGlite-breaking schema file are reported, and the check runs on the other files', async () => {
  const started = performance.now();
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cli, 'check', 'q.sql', '--schema-files', '.'], { cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  // The default budget is 20 s (no file more than 5 s); the three starts of PGlite are not counted
  // in it and take seconds each on a loaded machine. Without the bound the command never ends.
  assert.ok(performance.now() - started < 150_000, `took ${Math.round(performance.now() - started)} ms`);
  assert.match(result.stderr, /db\/2_sleep\.sql: not applied, it did not finish within 5 s/);
  assert.match(result.stderr, /db\/3_copy\.sql: not applied, /);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /q\.sql:1:8: error unknown-column Column "totl_cents" does not exist on "orders"/);
  assert.doesNotMatch(result.stdout, /order_lines|order_id/);
});

describe('names from schema DDL that did not apply are not-checked, never unknown', () => {
  let project: string;
  const run = () =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cli, 'check', 'q.sql', '--schema-files', '.'],
        { cwd: project },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  before(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'ls-check-uncertain-'));
    await mkdir(path.join(project, 'db'));
    await writeFile(path.join(project, 'schema.sql'), 'CREATE TABLE kept (id int);');
    await writeFile(
      path.join(project, 'db/2_geo.sql'),
      '-- places\nCREATE EXTENSION postgis;\nCREATE TABLE places (id int, geom geometry);\nALTER TABLE kept ADD COLUMN place_id int;\n',
    );
    await writeFile(
      path.join(project, 'q.sql'),
      'select geom from places;\nselect place_id from kept;\nselect x from nowhere;\n',
    );
  });
  after(() => rm(project, { recursive: true, force: true }));

  test('an extension PGlite lacks: its file is reported with the line, and what it creates is not checked', async () => {
    const result = await run();
    // The path once, as the file's own line begins (not `db/2_geo.sql: db/2_geo.sql:2:1: …`).
    assert.ok(
      result.stderr
        .split('\n')
        .includes('warning: db/2_geo.sql:2:1: not applied, PostgreSQL says: extension "postgis" is not available'),
      result.stderr,
    );
    assert.ok(
      result.stdout.includes(
        'q.sql:1:18: information not-checked Not checked: "places" may come from schema DDL that did not apply (db/2_geo.sql:2:1: not applied, PostgreSQL says: extension "postgis" is not available).',
      ),
      result.stdout,
    );
    assert.match(result.stdout, /q\.sql:2:8: information not-checked /);
    // A name no failed statement mentions is still an error.
    assert.match(result.stdout, /q\.sql:3:15: error unknown-table Table "nowhere" does not exist/);
    assert.equal(result.code, 1, result.stderr);
  });

  test('DDL from a newer server that cannot be read leaves no unknown name sure', async () => {
    await writeFile(path.join(project, 'db/3_graph.sql'), 'CREATE PROPERTY GRAPH shop VERTEX TABLES (kept);\n');
    const result = await run();
    assert.match(
      result.stderr,
      /db\/3_graph\.sql:1:8: not applied, PostgreSQL says: syntax error at or near "PROPERTY"/,
    );
    assert.match(result.stdout, /q\.sql:3:15: information not-checked Not checked: "nowhere" /);
    assert.doesNotMatch(result.stdout, /error unknown-/);
    assert.equal(result.code, 0, result.stdout);
  });
});
