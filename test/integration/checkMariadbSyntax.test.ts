/**
 * `live-schema check` offline on a MariaDB snapshot, spawned as a user runs it: PostgreSQL forms in
 * a MariaDB project's `.sql` file and SQL strings are syntax errors where they stand, `$1` is the
 * unknown column MariaDB reads, and no message speaks of a search path.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { formatSnapshotJson } from '../../server/src/schema/snapshotJson';
import { oracleSchema } from '../fixtures/sql/mysql/oracle';
import { runCli } from '../support/cli';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';

/** Each line, and the finding it must get: its code and the text it starts at (none: no finding). */
const LINES: [sql: string, code?: string, at?: string][] = [
  ["INSERT INTO tags (tag_id, label) VALUES (1, 'a') ON CONFLICT (tag_id) DO NOTHING;", 'syntax-error', 'ON CONFLICT'],
  ["SELECT id FROM customers WHERE email ILIKE '%a%';", 'syntax-error', 'ILIKE'],
  ['SELECT id FROM customers WHERE id = $1;', 'unknown-column', '$1'],
  ['SELECT id::text FROM customers;', 'syntax-error', '::'],
  ["UPDATE tags SET label = 'b' WHERE tag_id = 1 RETURNING tag_id;", 'syntax-error', 'RETURNING'],
  ['SELECT customers.*, * FROM customers;', 'syntax-error', '* FROM'],
  ['SELECT * FROM (SELECT id FROM customers);', 'syntax-error', '(SELECT id'],
  ['SELECT id FROM customers WHERE select id;', 'syntax-error', 'select id'],
  ['SELECT id FROM custmers;', 'unknown-table', 'custmers'],
  ["INSERT INTO tags (tag_id, label) VALUES (1, 'a') ON DUPLICATE KEY UPDATE label = VALUES(label);"],
  ['DELETE FROM tags WHERE tag_id = 1 RETURNING tag_id;'],
  ["SELECT id FROM customers WHERE email LIKE '%a%' AND id = ?;"],
];

/**
 * DDL MariaDB accepts (the test runs it): a routine whose body's DELETE … RETURNING is no SELECT's,
 * a column renamed to `ilike`.
 */
const RENAME = ['CREATE TABLE renames (a TEXT)', 'ALTER TABLE renames CHANGE a ilike TEXT'];
const ROUTINE = `CREATE PROCEDURE prune_tags (IN p_id INT)
BEGIN
  DECLARE v INT DEFAULT 0;
  SELECT t.tag_id INTO v FROM tags t WHERE t.tag_id = p_id;
  IF v > 10 THEN
    DELETE FROM tags WHERE tag_id = p_id RETURNING tag_id;
  ELSE
    UPDATE tags SET label = CASE WHEN v > 1 THEN 'a' ELSE 'b' END WHERE tag_id = p_id;
  END IF;
END`;

let dir: string;
let main: TestDatabase;
let audit: TestDatabase;

before(async () => {
  main = await createMysqlDatabase();
  audit = await createMysqlDatabase();
  await main.admin(oracleSchema({ main: main.name, audit: audit.name }));
  const parsed = parseConnection(
    {
      name: 'shop',
      driver: 'mysql',
      host: mysqlServer.host,
      port: mysqlServer.port,
      user: mysqlServer.user,
      database: main.name,
    },
    {},
    'test',
  );
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
  dir = await mkdtemp(path.join(tmpdir(), 'ls-mariadb-syntax-'));
  try {
    await writeFile(path.join(dir, 'schema.json'), formatSnapshotJson((await driver.discover()).snapshot));
  } finally {
    await driver.close();
  }
  for (const ddl of [ROUTINE, ...RENAME]) await main.admin(ddl);
  await mkdir(path.join(dir, 'queries'));
  await writeFile(
    path.join(dir, 'queries/valid-ddl.sql'),
    `DELIMITER //\n${ROUTINE} //\nDELIMITER ;\n${RENAME.map((ddl) => `${ddl};\n`).join('')}`,
  );
  await writeFile(path.join(dir, 'queries/postgres-habits.sql'), LINES.map(([sql]) => sql).join('\n') + '\n');
  await writeFile(
    path.join(dir, 'queries/repository.ts'),
    'export const find = (db: any, email: string) =>\n' +
      '  db.query("SELECT id FROM customers WHERE email ILIKE ?", [email]);\n',
  );
});

after(async () => {
  await main?.drop();
  await audit?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Reported {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

test('PostgreSQL forms are syntax errors where they stand, in .sql files and SQL strings alike', async () => {
  const result = await runCli(dir, ['check', 'queries', '--snapshot', 'schema.json', '--format', 'json']);
  assert.equal(result.code, 1, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: Reported[] }).findings.filter(
    (f) => f.severity === 'error',
  );
  const inSql = findings.filter((f) => f.file.endsWith('postgres-habits.sql'));
  assert.deepEqual(
    findings.filter((f) => f.file.endsWith('valid-ddl.sql')),
    [],
  );
  const expected = LINES.flatMap(([sql, code, at], index) =>
    code && at ? [[index + 1, sql.indexOf(at) + 1, code]] : [],
  );
  assert.deepEqual(
    inSql.map((f) => [f.line, f.column, f.code]),
    expected,
    JSON.stringify(inSql, null, 1),
  );
  const inCode = findings.filter((f) => f.file.endsWith('.ts'));
  assert.deepEqual(
    inCode.map((f) => [f.line, f.code]),
    [[2, 'syntax-error']],
  );
  assert.match(inCode[0].message, /ILIKE/);
  assert.deepEqual(
    findings.filter((f) => /search path/i.test(f.message)),
    [],
  );
  assert.match(inSql.find((f) => f.code === 'unknown-column')?.message ?? '', /placeholder is `\?`/);
});
