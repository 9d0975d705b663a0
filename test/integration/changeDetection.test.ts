import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { connectionKey, parseConnection, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import { createDriver } from '../../server/src/db/createDriver';
import { describeChange } from '../../server/src/schema/schemaDiff';
import { SchemaMonitor, type MonitorState } from '../../server/src/schema/schemaMonitor';
import { SnapshotStore } from '../../server/src/schema/snapshotStore';
import { CountingDriver } from '../support/countingDriver';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

/**
 * Change detection on the real servers: each DDL kind is noticed by one poll and named by the
 * diff; data-only writes and maintenance are not; a lost or refused connection leaves the last
 * good snapshot in use (stale) and the monitor recovers by itself.
 */

const work = mkdtempSync(path.join(tmpdir(), 'ls-change-'));
after(() => rmSync(work, { recursive: true, force: true }));
let caches = 0;

function settingsFor(raw: Record<string, unknown>): ConnectionSettings {
  const parsed = parseConnection({ connectTimeoutMs: 3_000, ...raw }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

function monitorFor(settings: ConnectionSettings, password?: () => string, cacheDir = path.join(work, `c${++caches}`)) {
  const driver = new CountingDriver(
    createDriver(settings, { root: work, passwords: () => Promise.resolve(password?.()) }),
  );
  const store = new SnapshotStore({ cacheDir });
  // Polls are run by hand (`check()` is one poll); the TTL is long so nothing else asks the server.
  const monitor = new SchemaMonitor({
    key: connectionKey(settings),
    driver,
    store,
    ttlMs: 3_600_000,
    pollIntervalMs: 0,
  });
  const states: MonitorState[] = [];
  monitor.on('state', (s) => states.push(s));
  return { driver, store, monitor, states, cacheDir };
}

/** One poll after `sql`: the lines of the diff it reported, or the outcome when nothing changed. */
async function pollAfter(db: TestDatabase, monitor: SchemaMonitor, sql: string): Promise<string[] | string> {
  await db.admin(sql);
  const outcome = await monitor.check();
  return outcome.result === 'changed' ? outcome.diff.changes.map(describeChange) : outcome.result;
}

describe('change detection on PostgreSQL', () => {
  let db: TestDatabase;
  let subject: ReturnType<typeof monitorFor>;

  before(async () => {
    db = await createPostgresDatabase(`
      CREATE TYPE order_status AS ENUM ('new', 'paid');
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), status order_status);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 200) g;`);
    subject = monitorFor(settingsFor({ driver: 'postgres', ...pgServer, database: db.name }));
    assert.equal((await subject.monitor.check()).result, 'discovered');
  });
  after(async () => {
    await subject?.monitor.dispose();
    await db?.drop();
  });

  const ddl: [string, string, string[]][] = [
    ['CREATE TABLE', 'CREATE TABLE invoices (id bigint, note text)', ['added table public.invoices']],
    [
      'ADD COLUMN',
      'ALTER TABLE invoices ADD COLUMN amount numeric(10,2)',
      ['added column public.invoices.amount (numeric(10,2))'],
    ],
    [
      'RENAME COLUMN',
      'ALTER TABLE invoices RENAME COLUMN amount TO total',
      ['renamed column public.invoices.amount → total (likely)'],
    ],
    [
      'ALTER COLUMN TYPE',
      'ALTER TABLE invoices ALTER COLUMN total TYPE numeric(12,2)',
      ['changed column public.invoices.total: type numeric(10,2) → numeric(12,2)'],
    ],
    [
      'SET NOT NULL',
      'ALTER TABLE invoices ALTER COLUMN id SET NOT NULL',
      ['changed column public.invoices.id: nullability NULL → NOT NULL'],
    ],
    ['DROP COLUMN', 'ALTER TABLE invoices DROP COLUMN note', ['dropped column public.invoices.note (text)']],
    [
      'ADD PRIMARY KEY',
      'ALTER TABLE invoices ADD PRIMARY KEY (id)',
      ['added primary-key public.invoices.invoices_pkey (id)'],
    ],
    [
      'ADD UNIQUE',
      'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)',
      ['added unique-constraint public.customers.customers_email_key (email)'],
    ],
    [
      'ADD FOREIGN KEY',
      'ALTER TABLE invoices ADD COLUMN order_id bigint REFERENCES orders (id)',
      ['added column public.invoices.order_id (bigint)', 'added foreign-key public.invoices.invoices_order_id_fkey'],
    ],
    [
      'DROP CONSTRAINT',
      'ALTER TABLE invoices DROP CONSTRAINT invoices_order_id_fkey',
      ['dropped foreign-key public.invoices.invoices_order_id_fkey'],
    ],
    [
      'CREATE INDEX',
      'CREATE INDEX invoices_total_idx ON invoices (total)',
      ['added index public.invoices.invoices_total_idx'],
    ],
    ['DROP INDEX', 'DROP INDEX invoices_total_idx', ['dropped index public.invoices.invoices_total_idx']],
    [
      'CREATE VIEW',
      "CREATE VIEW paid_orders AS SELECT id FROM orders WHERE status = 'paid'",
      ['added view public.paid_orders'],
    ],
    ['DROP VIEW', 'DROP VIEW paid_orders', ['dropped view public.paid_orders']],
    [
      'enum ADD VALUE',
      "ALTER TYPE order_status ADD VALUE 'shipped'",
      ['changed enum public.order_status: values new, paid → new, paid, shipped'],
    ],
    ['RENAME TABLE', 'ALTER TABLE invoices RENAME TO bills', ['renamed table public.invoices → bills (likely)']],
    ['DROP TABLE', 'DROP TABLE bills', ['dropped table public.bills']],
  ];
  for (const [label, sql, expected] of ddl) {
    test(`${label} is detected by one poll and named by the diff`, async () => {
      const lines = await pollAfter(db, subject.monitor, sql);
      assert.ok(Array.isArray(lines), `expected a change, got "${String(lines)}"`);
      for (const line of expected)
        assert.ok(
          lines.some((l) => l.startsWith(line)),
          `"${line}" is missing from:\n${lines.join('\n')}`,
        );
    });
  }

  const dataOnly: [string, string][] = [
    ['INSERT', 'INSERT INTO orders (id, customer_id) SELECT g, g FROM generate_series(1, 100) g'],
    ['UPDATE', "UPDATE orders SET status = 'paid'"],
    ['DELETE', 'DELETE FROM orders WHERE id > 50'],
    ['VACUUM', 'VACUUM orders'],
    ['ANALYZE', 'ANALYZE'],
    ['VACUUM FULL', 'VACUUM FULL customers'],
    ['TRUNCATE', 'TRUNCATE orders'],
    ['GRANT', 'GRANT SELECT ON customers TO PUBLIC'],
    ['column GRANT', 'GRANT SELECT (email) ON customers TO PUBLIC'],
    ['REINDEX', 'REINDEX TABLE customers'],
  ];
  for (const [label, sql] of dataOnly) {
    test(`${label} does not count as a schema change (no re-discovery)`, async () => {
      const discoveries = subject.driver.discoveries;
      assert.equal(await pollAfter(db, subject.monitor, sql), 'unchanged');
      assert.equal(subject.driver.discoveries, discoveries);
    });
  }

  test('background polling notices a change by itself and emits one change event', { timeout: 20_000 }, async () => {
    const { monitor } = monitorFor(settingsFor({ driver: 'postgres', ...pgServer, database: db.name }));
    const polling = new SchemaMonitor({
      key: monitor.key,
      driver: createDriver(settingsFor({ driver: 'postgres', ...pgServer, database: db.name }), {
        root: work,
        passwords: () => Promise.resolve(undefined),
      }),
      store: new SnapshotStore(),
      pollIntervalMs: 100,
    });
    try {
      await polling.snapshot();
      polling.start();
      const change = polling.once('change');
      await db.admin('CREATE TABLE shipments (id bigint PRIMARY KEY)');
      assert.deepEqual((await change).diff.changes.map(describeChange), ['added table public.shipments']);
    } finally {
      await polling.dispose();
      await monitor.dispose();
    }
  });

  test('a restarted store serves the persisted snapshot with zero database queries', async () => {
    const settings = settingsFor({ driver: 'postgres', ...pgServer, database: db.name });
    const first = monitorFor(settings);
    const original = await first.monitor.snapshot();
    await first.monitor.dispose();
    const second = monitorFor(settings, undefined, first.cacheDir);
    assert.deepEqual((await second.monitor.cached())?.snapshot, original?.snapshot);
    assert.deepEqual((await second.monitor.snapshot())?.snapshot, original?.snapshot);
    assert.equal(second.driver.calls, 0);
    assert.equal(second.store.statistics().diskLoads, 1);
    await second.monitor.dispose();
  });

  test('connections killed and refused: stale once, last good snapshot kept, recovery by itself', async () => {
    const settings = settingsFor({ driver: 'postgres', ...pgServer, database: db.name });
    const { monitor, driver, states } = monitorFor(settings);
    const good = await monitor.snapshot();
    // A database cannot refuse connections to itself from inside: this runs from `postgres`.
    const server = new pg.Client({ ...pgServer, database: 'postgres' });
    await server.connect();
    const allowConnections = (allow: boolean) =>
      server.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${String(allow)}`);
    const cutOff = async () => {
      await allowConnections(false);
      await db.admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'live-schema'",
        [db.name],
      );
    };
    try {
      for (let i = 0; i < 3; i++) {
        await cutOff();
        assert.equal((await monitor.check()).result, 'failed');
        assert.equal(monitor.state.status, 'stale');
      }
      assert.match(monitor.state.reason ?? '', /PostgreSQL at .*:\d+/);
      assert.deepEqual(
        states.map((s) => s.status),
        ['fresh', 'stale'],
        'surfaced once',
      );
      assert.deepEqual((await monitor.snapshot())?.snapshot, good?.snapshot);

      await allowConnections(true);
      assert.equal((await monitor.check()).result, 'unchanged');
      assert.deepEqual(
        states.map((s) => s.status),
        ['fresh', 'stale', 'fresh'],
      );

      // Dropped mid-discovery: the fingerprint moved, then the connection dies before discovery.
      driver.before.discover = cutOff;
      await db.admin('CREATE TABLE audit_log (id bigint)');
      assert.equal((await monitor.check()).result, 'failed');
      assert.equal(monitor.state.status, 'stale');
      assert.deepEqual(
        (await monitor.cached())?.snapshot,
        good?.snapshot,
        'the half-done discovery left nothing behind',
      );
      driver.before.discover = undefined;
      await allowConnections(true);
      const recovered = await monitor.check();
      assert.equal(recovered.result, 'changed');
      assert.ok(
        recovered.result === 'changed' &&
          recovered.diff.changes.map(describeChange).includes('added table public.audit_log'),
      );
      assert.equal(monitor.state.status, 'fresh');
    } finally {
      await allowConnections(true);
      await server.end();
      await monitor.dispose();
    }
  });
});

describe('change detection on MariaDB', () => {
  let db: TestDatabase;
  let subject: ReturnType<typeof monitorFor>;
  const user = `ls_u_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  let password = 'first-Pa55';

  before(async () => {
    db = await createMysqlDatabase(`
      CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL) ENGINE=InnoDB;
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status enum('new','paid'),
        FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
      INSERT INTO customers VALUES (1, 'a@example.com'), (2, 'b@example.com');`);
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await db.admin(`GRANT SELECT, SHOW VIEW ON \`${db.name}\`.* TO '${user}'@'%'`);
    subject = monitorFor(
      settingsFor({ driver: 'mysql', ...mysqlServer, password: undefined, user, database: db.name }),
      () => password,
    );
    assert.equal((await subject.monitor.check()).result, 'discovered');
  });
  after(async () => {
    await subject?.monitor.dispose();
    await db?.admin(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
    await db?.drop();
  });

  const t = (name: string) => `${db.name}.${name}`;
  const ddl: [string, string, () => string[]][] = [
    ['CREATE TABLE', 'CREATE TABLE invoices (id bigint, note text)', () => [`added table ${t('invoices')}`]],
    [
      'ADD COLUMN',
      'ALTER TABLE invoices ADD COLUMN amount decimal(10,2)',
      () => [`added column ${t('invoices')}.amount (decimal(10,2))`],
    ],
    [
      'RENAME COLUMN',
      'ALTER TABLE invoices RENAME COLUMN amount TO total',
      () => [`renamed column ${t('invoices')}.amount → total (likely)`],
    ],
    [
      'MODIFY type',
      'ALTER TABLE invoices MODIFY total decimal(12,2)',
      () => [`changed column ${t('invoices')}.total: type decimal(10,2) → decimal(12,2)`],
    ],
    [
      'MODIFY NOT NULL',
      'ALTER TABLE invoices MODIFY id bigint NOT NULL',
      () => [`changed column ${t('invoices')}.id: nullability NULL → NOT NULL`],
    ],
    ['DROP COLUMN', 'ALTER TABLE invoices DROP COLUMN note', () => [`dropped column ${t('invoices')}.note (text)`]],
    [
      'ADD PRIMARY KEY',
      'ALTER TABLE invoices ADD PRIMARY KEY (id)',
      () => [`added primary-key ${t('invoices')}.PRIMARY (id)`],
    ],
    [
      'ADD UNIQUE',
      'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)',
      () => [`added unique-constraint ${t('customers')}.customers_email_key (email)`],
    ],
    [
      'ADD FOREIGN KEY',
      'ALTER TABLE invoices ADD COLUMN order_id bigint, ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)',
      () => [`added foreign-key ${t('invoices')}.invoices_order_fk`],
    ],
    [
      'DROP FOREIGN KEY',
      'ALTER TABLE invoices DROP FOREIGN KEY invoices_order_fk',
      () => [`dropped foreign-key ${t('invoices')}.invoices_order_fk`],
    ],
    [
      'CREATE INDEX',
      'CREATE INDEX invoices_total_idx ON invoices (total)',
      () => [`added index ${t('invoices')}.invoices_total_idx`],
    ],
    [
      'DROP INDEX',
      'DROP INDEX invoices_total_idx ON invoices',
      () => [`dropped index ${t('invoices')}.invoices_total_idx`],
    ],
    [
      'CREATE VIEW',
      "CREATE VIEW paid_orders AS SELECT id FROM orders WHERE status = 'paid'",
      () => [`added view ${t('paid_orders')}`],
    ],
    ['DROP VIEW', 'DROP VIEW paid_orders', () => [`dropped view ${t('paid_orders')}`]],
    [
      'enum value added',
      "ALTER TABLE orders MODIFY status enum('new','paid','shipped')",
      () => [`changed column ${t('orders')}.status: type enum('new','paid') → enum('new','paid','shipped')`],
    ],
    ['RENAME TABLE', 'RENAME TABLE invoices TO bills', () => [`renamed table ${t('invoices')} → bills (likely)`]],
    ['DROP TABLE', 'DROP TABLE bills', () => [`dropped table ${t('bills')}`]],
  ];
  for (const [label, sql, expected] of ddl) {
    test(`${label} is detected by one poll and named by the diff`, async () => {
      const lines = await pollAfter(db, subject.monitor, sql);
      assert.ok(Array.isArray(lines), `expected a change, got "${String(lines)}"`);
      for (const line of expected())
        assert.ok(
          lines.some((l) => l.startsWith(line)),
          `"${line}" is missing from:\n${lines.join('\n')}`,
        );
    });
  }

  const dataOnly: [string, string][] = [
    ['INSERT', "INSERT INTO orders VALUES (1, 1, 'new'), (2, 2, 'paid'), (3, 1, 'new')"],
    ['UPDATE', "UPDATE orders SET status = 'paid'"],
    ['DELETE', 'DELETE FROM orders WHERE id > 2'],
    ['ANALYZE TABLE', 'ANALYZE TABLE orders, customers'],
    ['OPTIMIZE TABLE', 'OPTIMIZE TABLE customers'],
  ];
  for (const [label, sql] of dataOnly) {
    test(`${label} does not count as a schema change (no re-discovery)`, async () => {
      const discoveries = subject.driver.discoveries;
      assert.equal(await pollAfter(db, subject.monitor, sql), 'unchanged');
      assert.equal(subject.driver.discoveries, discoveries);
    });
  }

  test('sessions killed and credentials refused: stale once, last good snapshot kept, recovery by itself', async () => {
    const { monitor, states } = subject;
    const good = await monitor.snapshot();
    const killSessions = async () => {
      const sessions = await db.admin('SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
      for (const row of sessions) await db.admin(`KILL CONNECTION ${Number(row.ID)}`).catch(() => undefined);
    };
    try {
      await db.admin(`ALTER USER '${user}'@'%' IDENTIFIED BY 'rotated-Pa55'`);
      for (let i = 0; i < 3; i++) {
        await killSessions();
        assert.equal((await monitor.check()).result, 'failed');
        assert.equal(monitor.state.status, 'stale');
      }
      assert.match(monitor.state.reason ?? '', new RegExp(user));
      assert.equal(states.filter((s) => s.status === 'stale').length, 1, 'surfaced once');
      assert.deepEqual((await monitor.snapshot())?.snapshot, good?.snapshot);

      password = 'rotated-Pa55'; // the user fixes the password
      assert.equal((await monitor.check()).result, 'unchanged');
      assert.equal(monitor.state.status, 'fresh');
      assert.deepEqual(
        states.slice(-2).map((s) => s.status),
        ['stale', 'fresh'],
      );
    } finally {
      password = 'rotated-Pa55';
      await db.admin(`ALTER USER '${user}'@'%' IDENTIFIED BY 'rotated-Pa55'`);
    }
  });

  test('a restarted store serves the persisted snapshot with zero database queries', async () => {
    const settings = settingsFor({ driver: 'mysql', ...mysqlServer, password: undefined, user, database: db.name });
    const second = monitorFor(settings, () => password, subject.cacheDir);
    const cached = await second.monitor.snapshot();
    assert.deepEqual(cached?.snapshot, (await subject.monitor.cached())?.snapshot);
    assert.equal(second.driver.calls, 0);
    await second.monitor.dispose();
  });
});
