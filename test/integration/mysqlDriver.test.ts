import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseConnection, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import { DatabaseError, type PasswordProvider } from '../../server/src/db/driver';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { findRelation, type Relation, type SchemaSnapshot } from '../../server/src/schema/snapshot';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { closedPort, startSilentServer } from '../support/network';

const fixture = readFileSync(new URL('../fixtures/mysql/fixture.sql', import.meta.url), 'utf8');
const noPassword: PasswordProvider = () => Promise.resolve(mysqlServer.password || undefined);

function settings(overrides: Record<string, unknown>): ConnectionSettings {
  const parsed = parseConnection(
    {
      name: 'test',
      driver: 'mysql',
      host: mysqlServer.host,
      port: mysqlServer.port,
      user: mysqlServer.user,
      ...overrides,
    },
    {},
    'test',
  );
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

async function rejection(promise: Promise<unknown>): Promise<DatabaseError> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatabaseError, `expected a DatabaseError, got ${String(error)}`);
  return error;
}

/** Exposes the driver's own read-only session to prove what it refuses. */
class ProbeDriver extends MysqlDriver {
  run(sql: string): Promise<Record<string, unknown>[]> {
    return this.query(sql);
  }
}

/** Stops before the columns query of one discovery until the test releases it. */
class GatedDriver extends MysqlDriver {
  private pause: (() => Promise<void>) | undefined;
  release: () => void = () => undefined;
  reached: Promise<void> = Promise.resolve();
  arm(): void {
    let signal: () => void = () => undefined;
    this.reached = new Promise((resolve) => (signal = resolve));
    const gate = new Promise<void>((resolve) => (this.release = resolve));
    this.pause = async () => {
      signal();
      await gate;
    };
  }
  protected override async query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const pause = sql.includes('information_schema.COLUMNS') ? this.pause : undefined;
    if (pause) {
      this.pause = undefined;
      await pause();
    }
    return super.query(sql, params);
  }
}

describe('MySQL/MariaDB driver on the real server', () => {
  let db: TestDatabase;
  let other: string;
  let driver: MysqlDriver;

  before(async () => {
    other = `ls_test_other_${randomBytes(4).toString('hex')}`;
    db = await createMysqlDatabase();
    await db.admin(fixture.replaceAll('ls_main_schema', db.name).replaceAll('ls_other_schema', other));
    driver = new MysqlDriver(settings({ database: db.name, schemas: [db.name, other] }), noPassword);
  });

  after(async () => {
    await driver?.close();
    await db?.admin(`DROP DATABASE IF EXISTS \`${other}\``);
    await db?.drop();
  });

  const relation = (snapshot: SchemaSnapshot, schema: string, name: string): Relation => {
    const found = findRelation(snapshot, schema, name);
    assert.ok(found, `${schema}.${name} is in the snapshot`);
    return found;
  };

  test('discovers every object kind of the fixture', async () => {
    const { snapshot, warnings } = await driver.discover();
    assert.deepEqual(warnings, []);
    assert.equal(snapshot.dialect, 'mysql');
    assert.equal(snapshot.server.product, 'mariadb');
    assert.equal(snapshot.server.database, db.name);
    assert.equal(typeof snapshot.server.lowerCaseTableNames, 'number');
    assert.match(snapshot.server.sqlMode ?? '', /STRICT_TRANS_TABLES/);
    assert.deepEqual(
      snapshot.schemas.map((s) => s.name),
      [db.name, other].sort(),
    );
    assert.deepEqual(
      snapshot.relations.filter((r) => r.schema === db.name).map((r) => [r.name, r.kind]),
      [
        ['Customers', 'table'],
        ['Gift Cards', 'table'],
        ['customer_orders', 'view'],
        ['order_lines', 'table'],
        ['orders', 'table'],
        ['shipments', 'table'],
      ],
    );
    assert.deepEqual(
      snapshot.relations.filter((r) => r.schema === other).map((r) => r.name),
      ['Adressen Ä', 'audit_log'],
    );

    const customers = relation(snapshot, db.name, 'Customers');
    assert.equal(customers.comment, 'People who place orders');
    assert.deepEqual(
      customers.columns.map((c) => [c.position, c.name, c.type, c.nullable, c.default, c.comment]),
      [
        [1, 'CustomerId', 'int(11)', false, null, null],
        [2, 'Email', 'varchar(120)', false, null, 'Login e-mail, unique per region'],
        [3, 'Region', 'char(2)', false, "'EU'", null],
        [4, 'credit_limit', 'decimal(10,2)', false, '100.00', null],
        [5, 'nickname', 'varchar(40)', true, null, null],
        [6, 'created_at', 'datetime', false, 'current_timestamp()', null],
      ],
    );
    assert.deepEqual(customers.primaryKey, { name: 'PRIMARY', columns: ['CustomerId'] });
    assert.deepEqual(customers.uniqueConstraints, [
      { name: 'uq_customers_email_region', columns: ['Email', 'Region'] },
    ]);

    const orders = relation(snapshot, db.name, 'orders');
    const status = orders.columns.find((c) => c.name === 'status');
    assert.equal(status?.type, "enum('new','paid','shipped')");
    assert.equal(status?.default, "'new'");
    assert.deepEqual(snapshot.enums, []);
    assert.deepEqual(
      orders.indexes.find((i) => i.name === 'idx_orders_status_total'),
      {
        name: 'idx_orders_status_total',
        columns: ['status', 'total'],
        unique: false,
        primary: false,
        method: null,
        definition: null,
      },
    );
    assert.deepEqual(orders.foreignKeys, [
      {
        name: 'fk_orders_customer',
        columns: ['customer_id'],
        referencedSchema: db.name,
        referencedTable: 'Customers',
        referencedColumns: ['CustomerId'],
        onUpdate: 'RESTRICT',
        onDelete: 'CASCADE',
      },
    ]);
    assert.deepEqual(relation(snapshot, db.name, 'order_lines').primaryKey?.columns, ['order_id', 'line_no']);
    assert.deepEqual(relation(snapshot, db.name, 'shipments').foreignKeys, [
      {
        name: 'fk_shipments_line',
        columns: ['order_id', 'line_no'],
        referencedSchema: db.name,
        referencedTable: 'order_lines',
        referencedColumns: ['order_id', 'line_no'],
        onUpdate: 'CASCADE',
        onDelete: 'SET NULL',
      },
    ]);
    assert.deepEqual(
      relation(snapshot, db.name, 'Gift Cards').foreignKeys.map((k) => [k.name, k.referencedTable, k.onDelete]),
      [['Gift Card Owner', 'Customers', 'RESTRICT']],
    );
    assert.deepEqual(relation(snapshot, other, 'Adressen Ä').foreignKeys, [
      {
        name: 'fk_address_customer',
        columns: ['customer_id'],
        referencedSchema: db.name,
        referencedTable: 'Customers',
        referencedColumns: ['CustomerId'],
        onUpdate: 'RESTRICT',
        onDelete: 'CASCADE',
      },
    ]);
    const audit = relation(snapshot, other, 'audit_log');
    assert.equal(audit.comment, 'Audit trail kept in the second schema');
    assert.equal(audit.columns.find((c) => c.name === 'note')?.default, null);

    const view = relation(snapshot, db.name, 'customer_orders');
    assert.equal(view.comment, null);
    assert.deepEqual(
      view.columns.map((c) => c.name),
      ['Email', 'order_id', 'total'],
    );
    assert.match(view.viewDefinition ?? '', /join/i);
    assert.deepEqual(
      snapshot.routines.map((r) => [r.schema, r.name, r.kind]),
      [
        [db.name, 'archive_shipped_orders', 'procedure'],
        [db.name, 'order_total', 'function'],
      ],
    );
  });

  test('costs the same number of catalog queries however many tables there are', async () => {
    const before = (await driver.discover()).queryCount;
    const ddl = Array.from({ length: 30 }, (_, i) => `CREATE TABLE extra_${i} (id INT PRIMARY KEY, v INT, INDEX (v))`);
    await db.admin(ddl.join(';'));
    const grown = await driver.discover();
    assert.equal(grown.snapshot.relations.filter((r) => r.name.startsWith('extra_')).length, 30);
    assert.equal(grown.queryCount, before);
    await db.admin(Array.from({ length: 30 }, (_, i) => `DROP TABLE extra_${i}`).join(';'));
  });

  test('reports a schema that does not exist as a warning, not a failure', async () => {
    const missing = new MysqlDriver(settings({ database: db.name, schemas: [db.name, `${db.name}_nope`] }), noPassword);
    try {
      const { snapshot, warnings } = await missing.discover();
      assert.deepEqual(
        snapshot.schemas.map((s) => s.name),
        [db.name],
      );
      assert.match(warnings[0]?.message ?? '', /does not exist/);
    } finally {
      await missing.close();
    }
  });

  test('the session refuses writes', async () => {
    const probe = new ProbeDriver(settings({ database: db.name }), noPassword);
    try {
      const error = await rejection(probe.run(`INSERT INTO ${db.name}.order_lines VALUES (1, 1, 'x', 1)`));
      assert.equal(error.kind, 'query');
      assert.match(error.message, /read only/i);
      assert.deepEqual(await db.admin('SELECT COUNT(*) AS n FROM order_lines'), [{ n: 0 }]);
    } finally {
      await probe.close();
    }
  });

  test('fingerprint changes on every kind of DDL, even several within one second', async () => {
    let previous = await driver.fingerprint();
    const changes = [
      "CREATE TABLE fp_a (id INT PRIMARY KEY, state ENUM('x','y'))",
      'ALTER TABLE fp_a ADD COLUMN note VARCHAR(10)',
      'ALTER TABLE fp_a RENAME COLUMN note TO remark',
      'ALTER TABLE fp_a MODIFY remark VARCHAR(20)',
      "ALTER TABLE fp_a MODIFY state ENUM('x','y','z')",
      'ALTER TABLE fp_a MODIFY remark VARCHAR(20) NOT NULL',
      "ALTER TABLE fp_a ALTER remark SET DEFAULT 'r'",
      "ALTER TABLE fp_a MODIFY remark VARCHAR(20) NOT NULL DEFAULT 'r' COMMENT 'why'",
      "ALTER TABLE fp_a COMMENT 'table comment'",
      'CREATE INDEX ix_fp_a_remark ON fp_a (remark)',
      'DROP INDEX ix_fp_a_remark ON fp_a',
      'ALTER TABLE fp_a ADD CONSTRAINT uq_fp_a UNIQUE (remark)',
      'CREATE TABLE fp_b (id INT PRIMARY KEY, a_id INT, INDEX ix_fp_b_a (a_id))',
      'ALTER TABLE fp_b ADD CONSTRAINT fk_fp_b FOREIGN KEY (a_id) REFERENCES fp_a (id)',
      'ALTER TABLE fp_b DROP FOREIGN KEY fk_fp_b',
      'CREATE VIEW fp_v AS SELECT id FROM fp_a',
      'CREATE OR REPLACE VIEW fp_v AS SELECT id, remark FROM fp_a',
      'DROP VIEW fp_v',
      'ALTER TABLE fp_a DROP COLUMN remark',
      'RENAME TABLE fp_b TO fp_c',
      'DROP TABLE fp_c',
      'DROP TABLE fp_a',
    ];
    for (const ddl of changes) {
      await db.admin(ddl);
      // Compared with the previous poll only: undoing a change (DROP INDEX) rightly restores an older value.
      const fingerprint = await driver.fingerprint();
      assert.notEqual(fingerprint, previous, `the fingerprint moved after: ${ddl}`);
      previous = fingerprint;
    }
  });

  test('fingerprint stays equal on data writes and maintenance', async () => {
    const initial = await driver.fingerprint();
    const writes = [
      "INSERT INTO Customers (Email, Region) VALUES ('a@example.com', 'EU'), ('b@example.com', 'US')",
      'INSERT INTO orders (customer_id, total) SELECT CustomerId, 10 FROM Customers',
      "UPDATE orders SET status = 'paid', note = 'ok'",
      "DELETE FROM orders WHERE status = 'paid'",
      'ANALYZE TABLE Customers, orders',
      'OPTIMIZE TABLE Customers, orders',
      `INSERT INTO \`${other}\`.audit_log (note) VALUES ('x')`,
    ];
    for (const sql of writes) {
      await db.admin(sql);
      assert.equal(await driver.fingerprint(), initial, `the fingerprint stayed after: ${sql}`);
    }
  });

  test('a connection killed mid-discovery fails that discovery cleanly or reconnects, and the next one works', async () => {
    const gated = new GatedDriver(settings({ database: db.name }), noPassword);
    try {
      gated.arm();
      const discovery = gated.discover();
      await gated.reached;
      const [session] = await db.admin(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [db.name],
      );
      assert.ok(session, "the driver's session is listed");
      await db.admin(`KILL ${Number(session.id)}`);
      gated.release();
      // mysql2 may notice the dead socket before the next query (then the driver reconnects and
      // finishes) or on it (then this discovery fails): both are correct, a hang or a crash is not.
      const outcome = await discovery.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        assert.ok(outcome.error instanceof DatabaseError, String(outcome.error));
        assert.equal(outcome.error.kind, 'connection-lost');
        assert.match(outcome.error.message, /lost/);
      } else {
        assert.ok(findRelation(outcome.result.snapshot, db.name, 'orders'));
      }
      const again = await gated.discover();
      assert.ok(findRelation(again.snapshot, db.name, 'orders'));
    } finally {
      await gated.close();
    }
  });

  test('wrong password: an auth error that names the user and never the password', async () => {
    const user = `ls_user_${randomBytes(4).toString('hex')}`;
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-secret-1'`);
    await db.admin(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
    const wrong = new MysqlDriver(settings({ database: db.name, user }), () => Promise.resolve('wrong-secret-2'));
    const right = new MysqlDriver(settings({ database: db.name, user }), () => Promise.resolve('right-secret-1'));
    try {
      const error = await rejection(wrong.discover());
      assert.equal(error.kind, 'auth');
      assert.match(error.message, new RegExp(user));
      assert.doesNotMatch(error.message, /secret/);
      assert.ok(findRelation((await right.discover()).snapshot, db.name, 'orders'));
    } finally {
      await wrong.close();
      await right.close();
      await db.admin(`DROP USER '${user}'@'%'`);
    }
  });

  test('a missing database is named in the error', async () => {
    const name = `ls_test_missing_${randomBytes(4).toString('hex')}`;
    const missing = new MysqlDriver(settings({ database: name }), noPassword);
    const error = await rejection(missing.discover());
    assert.equal(error.kind, 'missing-database');
    assert.match(error.message, new RegExp(name));
    await missing.close();
  });

  test('a closed port is reported as unreachable', async () => {
    const port = await closedPort();
    const closed = new MysqlDriver(settings({ database: db.name, host: '127.0.0.1', port }), noPassword);
    const error = await rejection(closed.discover());
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /connection refused/);
    await closed.close();
  });

  test('a server that accepts and never answers fails within the connect timeout', { timeout: 10_000 }, async () => {
    const silent = await startSilentServer();
    const port = silent.port;
    const mute = new MysqlDriver(
      settings({ database: db.name, host: '127.0.0.1', port, connectTimeoutMs: 300 }),
      noPassword,
    );
    try {
      const error = await rejection(mute.discover());
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /connect timeout \(300 ms\)/);
    } finally {
      await mute.close();
      await silent.close();
    }
  });
});
