/**
 * `live-schema check` offline on a MariaDB snapshot, spawned as a user runs it: a call to a
 * function MariaDB lacks is `unknown-function` at its name, and the server agrees (PREPARE answers
 * 1305); a call to anything the server has (each generated built-in name, in seeded random case
 * and argument counts; a stored function; one created earlier in the script) or cannot be judged
 * offline (another database, UDFs not read) gets none.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { formatSnapshotJson } from '../../server/src/schema/snapshotJson';
import { MARIADB_BUILTIN_NAMES } from '../../server/src/sql/mysql/builtinNames';
import { runCli } from '../support/cli';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';

const SCHEMA = [
  'CREATE TABLE items (id INT PRIMARY KEY, label TEXT, price DECIMAL(10,2))',
  'CREATE FUNCTION shop_total(x INT) RETURNS INT DETERMINISTIC RETURN x * 2',
];

/** Calls MariaDB rejects with 1305, and the name each finding must stand at. */
const UNKNOWN: [sql: string, at: string][] = [
  ['SELECT LENGHT(label) FROM items;', 'LENGHT'],
  ['SELECT UPPER_CASE(label) FROM items;', 'UPPER_CASE'],
  ['SELECT AVRG(price) FROM items;', 'AVRG'],
  ['SELECT id FROM items WHERE NOW_UTC() > 0;', 'NOW_UTC'],
  ["UPDATE items SET label = CONCAT_WSS('-', label, 'x') WHERE id = 1;", 'CONCAT_WSS'],
  ['SELECT shop_totl(id) FROM items;', 'shop_totl'],
  ['SELECT DB.no_such_function(1);', 'no_such_function'],
];

/** Calls the server has, or that offline analysis cannot know (DB: the discovered database). */
const SILENT = [
  'SELECT shop_total(id), SHOP_TOTAL(id), DB.shop_total(1) FROM items;',
  'SELECT other_database_xyz.some_function(1);',
  "SELECT JSON_EXTRACT('[1]', '$[0]'), ST_X(POINT(1, 2)), INET6_ATON('::1'), SFORMAT('{}', 1);",
  'SELECT id, ROW_NUMBER() OVER (ORDER BY id), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY price) OVER () FROM items;',
  'CREATE FUNCTION made_here(x INT) RETURNS INT DETERMINISTIC RETURN x;',
  'SELECT made_here(id), MADE_HERE(1) FROM items;',
];

/** Deterministic PRNG (mulberry32): the generated calls are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir: string;
let db: TestDatabase;

before(async () => {
  db = await createMysqlDatabase();
  for (const ddl of SCHEMA) await db.admin(ddl);
  const parsed = parseConnection(
    {
      name: 'shop',
      driver: 'mysql',
      host: mysqlServer.host,
      port: mysqlServer.port,
      user: mysqlServer.user,
      database: db.name,
    },
    {},
    'test',
  );
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
  dir = await mkdtemp(path.join(tmpdir(), 'ls-mariadb-functions-'));
  try {
    const snapshot = (await driver.discover()).snapshot;
    await writeFile(path.join(dir, 'schema.json'), formatSnapshotJson(snapshot));
    assert.ok(snapshot.server.udfs?.includes('inet6_aton'), 'discovery reads UDFs and function plugins');
    const unread = { ...snapshot, server: { ...snapshot.server, udfs: undefined } };
    await writeFile(path.join(dir, 'no-udfs.json'), formatSnapshotJson(unread));
  } finally {
    await driver.close();
  }
  const named = (sql: string) => sql.replaceAll('DB.', `${db.name}.`);
  await writeFile(path.join(dir, 'unknown.sql'), UNKNOWN.map(([sql]) => named(sql)).join('\n') + '\n');
  await writeFile(path.join(dir, 'silent.sql'), SILENT.map(named).join('\n') + '\n');
  const next = random(21);
  const calls = [...MARIADB_BUILTIN_NAMES].map((name) => {
    const written = [...name].map((c) => (next() < 0.5 ? c.toLowerCase() : c)).join('');
    const args = ['', 'id', 'id, label', "label, 'x', 1"][Math.floor(next() * 4)];
    return `SELECT ${written}(${args}) FROM items;`;
  });
  await writeFile(path.join(dir, 'builtins.sql'), calls.join('\n') + '\n');
});

after(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Reported {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

async function check(file: string, snapshot = 'schema.json'): Promise<Reported[]> {
  const result = await runCli(dir, ['check', file, '--snapshot', snapshot, '--format', 'json'], { timeout: 120_000 });
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return (JSON.parse(result.stdout) as { findings: Reported[] }).findings;
}

test('a call MariaDB lacks is unknown-function at its name, as the server says', async () => {
  for (const [sql] of UNKNOWN) {
    const text = sql.replaceAll('DB.', `${db.name}.`);
    await assert.rejects(db.admin(`PREPARE probe FROM ?`, [text]), (e: { errno?: number }) => e.errno === 1305, text);
  }
  const findings = (await check('unknown.sql')).filter((f) => f.code === 'unknown-function');
  const expected = UNKNOWN.map(([sql, at], i) => [i + 1, sql.replaceAll('DB.', `${db.name}.`).indexOf(at) + 1]);
  assert.deepEqual(
    findings.map((f) => [f.line, f.column]),
    expected,
    JSON.stringify(findings, null, 1),
  );
  assert.match(findings[5].message, /shop_total/);
});

test('no unknown-function on functions the server has or that offline analysis cannot know', async () => {
  assert.deepEqual(
    (await check('silent.sql')).filter((f) => f.code === 'unknown-function'),
    [],
  );
});

test('no unknown-function on any generated built-in name (seeded case and arguments)', async () => {
  assert.ok(MARIADB_BUILTIN_NAMES.size > 1000);
  assert.deepEqual(
    (await check('builtins.sql')).filter((f) => f.code === 'unknown-function'),
    [],
  );
});

test('UDFs discovery could not read: nothing is said', async () => {
  assert.deepEqual(
    (await check('unknown.sql', 'no-udfs.json')).filter((f) => f.code === 'unknown-function'),
    [],
  );
});
