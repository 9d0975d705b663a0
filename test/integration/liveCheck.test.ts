import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConnection, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import type { PrepareChecker, PrepareProblem } from '../../server/src/db/driver';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { Dialect, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import type { Finding } from '../../server/src/sql/findings';
import { liveCheck, type LiveCheckResult } from '../../server/src/sql/liveCheck/liveCheck';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

/**
 * The live check on the real servers: the database's own objection is reported where the offline
 * analysis saw nothing, data-changing statements are prepared but never run, DDL is never sent.
 */

const noPassword = (): Promise<string | undefined> => Promise.resolve(mysqlServer.password || undefined);

function settings(driver: 'postgres' | 'mysql', database: string): ConnectionSettings {
  const server =
    driver === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  const parsed = parseConnection({ name: 'live', driver, ...server, database }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

/** Delegates to the real driver and records what it was asked to prepare. */
class RecordingChecker implements PrepareChecker {
  readonly sent: string[] = [];
  constructor(private readonly inner: PrepareChecker) {}
  prepareCheck(sql: string): Promise<PrepareProblem | undefined> {
    this.sent.push(sql);
    return this.inner.prepareCheck(sql);
  }
}

/** The MariaDB driver, with its own read-only session opened up to prove what it refuses. */
class ProbeMysqlDriver extends MysqlDriver {
  run(sql: string): Promise<Record<string, unknown>[]> {
    return this.query(sql);
  }
}

interface Checked {
  offline: Finding[];
  live: LiveCheckResult;
  sent: string[];
}

async function check(
  text: string,
  dialect: Dialect,
  snapshot: SchemaSnapshot,
  driver: PrepareChecker,
): Promise<Checked> {
  const analysis = await analyzeSql(text, { dialect, snapshot });
  const recorder = new RecordingChecker(driver);
  const live = await liveCheck(text, analysis, dialect, recorder);
  return { offline: analysis.findings, live, sent: recorder.sent };
}

const blocking = (findings: Finding[]): Finding[] =>
  findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
const rangeText = (text: string, f: Finding): string => text.slice(f.start, f.end);

const SCHEMA = `
  CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL, attributes TEXT NULL);
  INSERT INTO customers (id, email) VALUES (1, 'ada@example.com'), (2, 'bob@example.com');
`;
const DATA_CHANGES = [
  "INSERT INTO customers (id, email) VALUES (3, 'eve@example.com');",
  "UPDATE customers SET email = 'changed@example.com';",
  'DELETE FROM customers;',
].join('\n');
const DDL = ['CREATE TABLE extra (id INT);', 'DROP TABLE customers;', 'ALTER TABLE customers ADD COLUMN age INT;'].join(
  '\n',
);

describe('live check on MariaDB', () => {
  let db: TestDatabase;
  let driver: ProbeMysqlDriver;
  let snapshot: SchemaSnapshot;

  before(async () => {
    db = await createMysqlDatabase(SCHEMA);
    driver = new ProbeMysqlDriver(settings('mysql', db.name), noPassword);
    snapshot = (await driver.discover()).snapshot;
  });
  after(async () => {
    await driver?.close();
    await db?.drop();
  });

  test('reports what only the database sees, on the name it names', async () => {
    // node-sql-parser cannot read index hints, and a function of a database outside the snapshot
    // cannot be judged offline: both are left to the server.
    const text =
      'SELECT c.atributes FROM customers c FORCE INDEX (PRIMARY);\n' +
      'SELECT elsewhere_db.no_such_function(id) FROM customers;';
    const { offline, live } = await check(text, 'mysql', snapshot, driver);
    assert.deepEqual(blocking(offline), []);
    assert.equal(live.stoppedBecause, undefined);
    const [column, other] = live.findings;
    assert.equal(live.findings.length, 2, JSON.stringify(live.findings));
    assert.equal(column?.code, 'unknown-column');
    assert.equal(rangeText(text, column), 'atributes');
    assert.match(column?.message ?? '', /Unknown column 'c\.atributes'/);
    assert.equal(other?.code, 'unknown-function');
    assert.equal(rangeText(text, other), 'no_such_function');
    assert.match(other?.message ?? '', /no_such_function does not exist/);
  });

  test('sends INSERT, UPDATE and DELETE without running them, and says the server did not judge them', async () => {
    const { live, sent } = await check(DATA_CHANGES, 'mysql', snapshot, driver);
    assert.equal(sent.length, 3);
    assert.deepEqual(
      live.findings.map((f) => [f.code, f.severity]),
      [
        ['not-checked', 'information'],
        ['not-checked', 'information'],
        ['not-checked', 'information'],
      ],
    );
    assert.match(live.findings[0]?.message ?? '', /did not judge it: .*writable transaction/);
    const rows = await db.admin('SELECT id, email FROM customers ORDER BY id');
    assert.deepEqual(rows, [
      { id: 1, email: 'ada@example.com' },
      { id: 2, email: 'bob@example.com' },
    ]);
  });

  test('a data-changing statement gets no live verdict on MariaDB (it would need a writable session) and is not run', async () => {
    const text = 'UPDATE customers SET email = elsewhere_db.no_such_function(1);';
    const { live } = await check(text, 'mysql', snapshot, driver);
    assert.deepEqual(
      live.findings.map((f) => f.code),
      ['not-checked'],
    );
    assert.equal((await db.admin("SELECT COUNT(*) AS n FROM customers WHERE email LIKE '%@example.com'"))[0]?.n, 2);
  });

  test('never sends DDL to the server', async () => {
    const { live, sent } = await check(DDL, 'mysql', snapshot, driver);
    assert.deepEqual(sent, []);
    assert.equal(live.prepared, 0);
    const tables = await db.admin('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
      db.name,
    ]);
    assert.deepEqual(tables, [{ name: 'customers' }]);
  });

  test('the same statement is judged by the server again, after a schema change the snapshot has not seen yet', async () => {
    const text = 'SELECT attributes FROM customers;';
    assert.deepEqual((await check(text, 'mysql', snapshot, driver)).live.findings, []);
    await db.admin('ALTER TABLE customers DROP COLUMN attributes');
    try {
      const { live } = await check(text, 'mysql', snapshot, driver);
      assert.deepEqual(
        live.findings.map((f) => f.code),
        ['unknown-column'],
      );
    } finally {
      await db.admin('ALTER TABLE customers ADD COLUMN attributes TEXT NULL');
    }
  });

  test('the session stays read-only after a check', async () => {
    await check(DATA_CHANGES, 'mysql', snapshot, driver);
    await assert.rejects(driver.run("UPDATE customers SET email = 'x'"), /read.only|READ ONLY/i);
  });
});

describe('live check on PostgreSQL', () => {
  let db: TestDatabase;
  let driver: PostgresDriver;
  let snapshot: SchemaSnapshot;

  before(async () => {
    db = await createPostgresDatabase(SCHEMA.replace('VARCHAR(80)', 'varchar(80)'));
    driver = new PostgresDriver(settings('postgres', db.name), noPassword);
    snapshot = (await driver.discover()).snapshot;
  });
  after(async () => {
    await driver?.close();
    await db?.drop();
  });

  test('reports what only the database sees, at the position it gives', async () => {
    // `lower` exists, not for an integer: only the database knows the overloads.
    const text = 'SELECT id\nFROM customers\nWHERE email = 1;\nSELECT lower(id) FROM customers;';
    const { offline, live } = await check(text, 'postgres', snapshot, driver);
    assert.deepEqual(blocking(offline), []);
    assert.equal(live.findings.length, 2, JSON.stringify(live.findings));
    const [operator, fn] = live.findings as [Finding, Finding];
    assert.equal(operator.code, 'database-error');
    assert.equal(rangeText(text, operator), '=');
    assert.match(operator.message, /SQLSTATE 42883/);
    assert.equal(fn.code, 'unknown-function');
    assert.equal(rangeText(text, fn), 'lower');
    assert.match(fn.message, /function lower\(integer\) does not exist/);
  });

  test('placeholders whose types only the application knows are no error', async () => {
    const { live } = await check('SELECT $1;\nSELECT id FROM customers WHERE id = $1;', 'postgres', snapshot, driver);
    assert.deepEqual(live.findings, []);
    assert.equal(live.prepared, 2);
  });

  test('prepares INSERT, UPDATE and DELETE without running them', async () => {
    const { live, sent } = await check(DATA_CHANGES, 'postgres', snapshot, driver);
    assert.equal(sent.length, 3);
    assert.deepEqual(live.findings, []);
    const rows = await db.admin('SELECT id, email FROM customers ORDER BY id');
    assert.deepEqual(rows, [
      { id: 1, email: 'ada@example.com' },
      { id: 2, email: 'bob@example.com' },
    ]);
  });

  test('a script that changes the schema is not judged by the database after the change', async () => {
    // The table, the function and the search path exist only once the script has run.
    const script = [
      'BEGIN;',
      "COMMENT ON TABLE customers IS 'people';",
      'SELECT lower(id) FROM customers;',
      'CREATE TABLE fresh (a int);',
      'INSERT INTO fresh (a) VALUES (1);',
      'CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS $$ SELECT 2 * x $$;',
      'SELECT twice(a) FROM fresh;',
      'COMMIT;',
    ].join('\n');
    const { offline, live, sent } = await check(script, 'postgres', snapshot, driver);
    assert.deepEqual(blocking(offline), []);
    assert.deepEqual(sent, ['SELECT lower(id) FROM customers']);
    assert.deepEqual(
      live.findings.map((f) => f.code),
      ['unknown-function'],
    );
  });

  test('never sends DDL to the server', async () => {
    const { live, sent } = await check(DDL, 'postgres', snapshot, driver);
    assert.deepEqual(sent, []);
    assert.equal(live.prepared, 0);
    const tables = await db.admin("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    assert.deepEqual(tables, [{ tablename: 'customers' }]);
  });
});
