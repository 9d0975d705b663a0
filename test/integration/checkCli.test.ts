/**
 * `live-schema check` end to end, spawned as a user runs it, on all three schema sources (the
 * embedded PGlite built from schema files, a snapshot file, a live PostgreSQL) and all three formats.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { PgliteDriver } from '../../server/src/db/pglite/pgliteDriver';
import { formatSnapshotJson } from '../../server/src/schema/snapshotJson';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { runCli } from '../support/cli';

const schemaSql = await readFile(new URL('../fixtures/sql/postgres/schema.sql', import.meta.url), 'utf8');
const BAD = 'select o.id,\n       o.totl_cents\nfrom orders o;\nselect * from ordrs;\n';
const GOOD = 'select c.name, o.total_cents from customers c join orders o on o.customer_id = c.id;\n';

let dir: string;
let db: TestDatabase;

const run = (args: string[]) => runCli(dir, ['check', ...args]);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-check-'));
  await mkdir(path.join(dir, 'db'));
  await mkdir(path.join(dir, 'queries'));
  await writeFile(path.join(dir, 'db/schema.sql'), schemaSql);
  await writeFile(path.join(dir, 'queries/bad.sql'), BAD);
  await writeFile(path.join(dir, 'queries/good.sql'), GOOD);
  db = await createPostgresDatabase(schemaSql);
});

after(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('embedded schema from schema files, text format: file:line:col code message, exit 1', async () => {
  const result = await run(['queries', '--schema-files', 'db']);
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.split('\n');
  assert.ok(
    lines.includes(
      `${path.join('queries', 'bad.sql')}:2:10: error unknown-column Column "o.totl_cents" does not exist on "orders" (alias "o"). Did you mean "total_cents"?`,
    ),
    result.stdout,
  );
  assert.ok(
    lines.some((l) => l.startsWith(`${path.join('queries', 'bad.sql')}:4:15: error unknown-table`)),
    result.stdout,
  );
  assert.ok(!result.stdout.includes('good.sql'), result.stdout);
});

test('clean files exit 0', async () => {
  const result = await run(['queries/good.sql', '--schema-files', 'db']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('snapshot file, JSON format', async () => {
  const parsed = parseConnection({ name: 'embedded', driver: 'pglite' }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const driver = new PgliteDriver(parsed.connection, path.join(dir, 'db'));
  try {
    await writeFile(path.join(dir, 'schema.json'), formatSnapshotJson((await driver.discover()).snapshot));
  } finally {
    await driver.close();
  }
  const result = await run(['queries', '--snapshot', 'schema.json', '--format', 'json']);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as {
    findings: { file: string; line: number; column: number; code: string; suggestions: string[] }[];
  };
  assert.deepEqual(
    report.findings.map((f) => [f.file, f.line, f.column, f.code]),
    [
      [path.join('queries', 'bad.sql'), 2, 10, 'unknown-column'],
      [path.join('queries', 'bad.sql'), 4, 15, 'unknown-table'],
    ],
  );
  assert.deepEqual(report.findings[0]?.suggestions, ['total_cents']);
});

test('live PostgreSQL by URL, SARIF 2.1.0', async () => {
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
  const result = await run(['queries', '--url', url, '--format', 'sarif']);
  assert.equal(result.code, 1, result.stderr);
  const sarif = JSON.parse(result.stdout) as {
    version: string;
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: {
        ruleId: string;
        level: string;
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number; endColumn: number };
          };
        }[];
      }[];
    }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.ok(run0?.tool.driver.rules.some((r) => r.id === 'unknown-column'));
  assert.deepEqual(
    run0?.results.map((r) => [
      r.ruleId,
      r.level,
      r.locations[0]?.physicalLocation.artifactLocation.uri,
      r.locations[0]?.physicalLocation.region.startLine,
      r.locations[0]?.physicalLocation.region.startColumn,
      r.locations[0]?.physicalLocation.region.endColumn,
    ]),
    [
      ['unknown-column', 'error', 'queries/bad.sql', 2, 10, 20],
      ['unknown-table', 'error', 'queries/bad.sql', 4, 15, 20],
    ],
  );
});

test('usage and configuration errors exit 2', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['queries', '--format', 'xml', '--schema-files', 'db'])).code, 2);
  assert.equal((await run(['nowhere.sql', '--schema-files', 'db'])).code, 2);
  const unreachable = await run(['queries', '--url', 'postgres://postgres@127.0.0.1:1/none']);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.stderr, /cannot read the schema/);
});
