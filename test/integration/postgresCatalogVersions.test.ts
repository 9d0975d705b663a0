import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { catalogVersionsQuery, CatalogVersionTier } from '../../server/src/db/postgres/catalogVersions';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

/**
 * The PostgreSQL fingerprint's first tier reads the catalogs' row versions. Here, on the real
 * server, every DDL kind of the change-detection matrix and the other object kinds discovery reads,
 * run from another session, move the versions and the driver's fingerprint; data-only work leaves
 * the versions alone however many transactions it takes, and maintenance that rewrites catalog rows
 * leaves the fingerprint alone. A restart cannot be done to the shared server: the versions are
 * `xmin`s on disk, which a restart does not touch (unlike the statistics counters).
 */
describe('PostgreSQL catalog versions behind the fingerprint', () => {
  let db: TestDatabase;
  let driver: PostgresDriver;
  let observer: pg.Client;

  before(async () => {
    db = await createPostgresDatabase(`
      CREATE TYPE order_status AS ENUM ('new', 'paid');
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), status order_status);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 200) g;`);
    const parsed = parseConnection({ name: 't', driver: 'postgres', ...pgServer, database: db.name }, {}, 't');
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
    observer = new pg.Client({ ...pgServer, database: db.name });
    await observer.connect();
  });
  after(async () => {
    await driver?.close();
    await observer?.end();
    await db?.drop();
  });

  const query = async (sql: string) => (await observer.query(sql)).rows as Record<string, unknown>[];
  const versions = async () => String((await query(catalogVersionsQuery))[0]?.versions);

  const ddl: [string, string][] = [
    ['CREATE TABLE', 'CREATE TABLE invoices (id bigint, note text)'],
    ['ADD COLUMN', 'ALTER TABLE invoices ADD COLUMN amount numeric(10,2)'],
    ['RENAME COLUMN', 'ALTER TABLE invoices RENAME COLUMN amount TO total'],
    ['ALTER COLUMN TYPE without a rewrite', 'ALTER TABLE invoices ALTER COLUMN total TYPE numeric(12,2)'],
    ['SET NOT NULL', 'ALTER TABLE invoices ALTER COLUMN id SET NOT NULL'],
    ['SET DEFAULT', 'ALTER TABLE invoices ALTER COLUMN total SET DEFAULT 0'],
    ['DROP DEFAULT', 'ALTER TABLE invoices ALTER COLUMN total DROP DEFAULT'],
    ['DROP COLUMN', 'ALTER TABLE invoices DROP COLUMN note'],
    ['ADD PRIMARY KEY', 'ALTER TABLE invoices ADD PRIMARY KEY (id)'],
    ['ADD UNIQUE', 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)'],
    ['ADD FOREIGN KEY', 'ALTER TABLE invoices ADD COLUMN order_id bigint REFERENCES orders (id)'],
    ['DROP CONSTRAINT', 'ALTER TABLE invoices DROP CONSTRAINT invoices_order_id_fkey'],
    ['CREATE INDEX', 'CREATE INDEX invoices_total_idx ON invoices (total)'],
    ['DROP INDEX', 'DROP INDEX invoices_total_idx'],
    ['CREATE VIEW', "CREATE VIEW paid_orders AS SELECT id FROM orders WHERE status = 'paid'"],
    ['DROP VIEW', 'DROP VIEW paid_orders'],
    ['enum ADD VALUE', "ALTER TYPE order_status ADD VALUE 'shipped'"],
    ['COMMENT ON COLUMN', "COMMENT ON COLUMN invoices.total IS 'gross, in euros'"],
    [
      'CREATE FUNCTION',
      'CREATE FUNCTION invoice_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM invoices $$',
    ],
    ['CREATE DOMAIN', "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')"],
    ['CREATE SCHEMA', 'CREATE SCHEMA billing'],
    ['RENAME TABLE', 'ALTER TABLE invoices RENAME TO bills'],
    ['DROP TABLE', 'DROP TABLE bills'],
  ];
  for (const [label, sql] of ddl) {
    test(`${label} from another session moves the catalog versions and the fingerprint`, async () => {
      const before = await driver.fingerprint();
      const read = await versions();
      await db.admin(sql);
      assert.notEqual(await versions(), read, 'the catalog versions did not move');
      assert.notEqual(await driver.fingerprint(), before);
    });
  }

  test('data-only work leaves the catalog versions alone, however many transactions it takes', async () => {
    const read = await versions();
    await db.admin("INSERT INTO orders (id, customer_id, status) SELECT g, g, 'new' FROM generate_series(1, 100) g");
    for (let i = 0; i < 50; i++) await db.admin('UPDATE orders SET customer_id = customer_id WHERE id = $1', [i + 1]);
    await db.admin('DELETE FROM orders WHERE id > 50');
    await db.admin('VACUUM orders');
    await db.admin('ANALYZE');
    assert.equal(await versions(), read);
  });

  for (const [label, sql] of [
    ['TRUNCATE', 'TRUNCATE orders'],
    ['VACUUM FULL', 'VACUUM FULL customers'],
    ['REINDEX', 'REINDEX TABLE customers'],
    ['GRANT', 'GRANT SELECT ON customers TO PUBLIC'],
    ['column GRANT', 'GRANT SELECT (email) ON customers TO PUBLIC'],
    ['a temporary table in another session', 'CREATE TEMPORARY TABLE scratch (id int)'],
  ]) {
    test(`${label} leaves the fingerprint alone`, async () => {
      const before = await driver.fingerprint();
      await db.admin(sql);
      assert.equal(await driver.fingerprint(), before);
    });
  }

  test('a change to a row initdb wrote (a permanent transaction id) moves the versions', async () => {
    const read = await versions();
    await db.admin('REVOKE EXECUTE ON FUNCTION pg_catalog.pg_sleep(double precision) FROM PUBLIC');
    assert.notEqual(await versions(), read);
  });

  test('a DDL committed after a younger transaction’s is still seen', async () => {
    const older = new pg.Client({ ...pgServer, database: db.name });
    await older.connect();
    try {
      await older.query('BEGIN');
      await older.query('ALTER TABLE orders RENAME COLUMN status TO state'); // its transaction id comes first
      await db.admin('CREATE TABLE younger (id int)'); // a later transaction id, committed first
      const before = await driver.fingerprint();
      const read = await versions();
      await older.query('COMMIT');
      assert.notEqual(await versions(), read);
      assert.notEqual(await driver.fingerprint(), before);
    } finally {
      await older.end();
    }
  });

  test('a DDL rolled back leaves the versions alone', async () => {
    const read = await versions();
    await db.admin('BEGIN; ALTER TABLE orders ADD COLUMN undone int; ROLLBACK');
    await db.admin('BEGIN; SAVEPOINT s; DROP TABLE younger; ROLLBACK TO SAVEPOINT s; COMMIT');
    assert.equal(await versions(), read);
  });

  test('the full hash runs only when the versions moved', async () => {
    const tier = new CatalogVersionTier();
    let hashes = 0;
    const fullHash = () => Promise.resolve(`hash ${++hashes}`);
    const first = await tier.fingerprint(query, fullHash);
    assert.equal(await tier.fingerprint(query, fullHash), first, 'unchanged: the last full hash');
    assert.equal(hashes, 1);
    await db.admin('ALTER TABLE orders ADD COLUMN shipped_at timestamptz');
    assert.notEqual(await tier.fingerprint(query, fullHash), first);
    assert.equal(hashes, 2);
  });
});
