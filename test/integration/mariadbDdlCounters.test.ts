import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { ddlCountersQuery, otherStatementsQuery, readingFrom } from '../../server/src/db/mysql/ddlCounters';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';

/**
 * The MariaDB fingerprint's first tier reads the server's DDL counters. Here, on the real server,
 * every DDL kind of the change-detection matrix, run from another session (and through prepared
 * statements, EXECUTE IMMEDIATE and a procedure), moves the counters and the driver's fingerprint;
 * a DDL waiting on a lock is seen as running. Restarts are in test/unit/ddlCounterTier.test.ts.
 */
describe('MariaDB DDL counters behind the fingerprint', () => {
  let db: TestDatabase;
  let driver: MysqlDriver;
  let observer: mysql.Connection;

  before(async () => {
    db = await createMysqlDatabase(`
      CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL) ENGINE=InnoDB;
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status enum('new','paid'),
        FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
      INSERT INTO customers VALUES (1, 'a@example.com');`);
    const parsed = parseConnection(
      {
        name: 't',
        driver: 'mysql',
        host: mysqlServer.host,
        port: mysqlServer.port,
        user: mysqlServer.user,
        database: db.name,
      },
      {},
      't',
    );
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
    observer = await mysql.createConnection({ ...mysqlServer, database: db.name });
  });
  after(async () => {
    await driver?.close();
    await observer?.end();
    await db?.drop();
  });

  const counters = async () => {
    const [rows] = await observer.query(ddlCountersQuery);
    const reading = readingFrom((rows as Record<string, unknown>[])[0]);
    assert.ok(reading, 'the server reports its DDL counters');
    return reading.ddlStatements;
  };

  const ddl: [string, string][] = [
    ['CREATE TABLE', 'CREATE TABLE invoices (id bigint, note text)'],
    ['ADD COLUMN', 'ALTER TABLE invoices ADD COLUMN amount decimal(10,2)'],
    ['RENAME COLUMN', 'ALTER TABLE invoices RENAME COLUMN amount TO total'],
    ['MODIFY type', 'ALTER TABLE invoices MODIFY total decimal(12,2)'],
    ['MODIFY NOT NULL', 'ALTER TABLE invoices MODIFY id bigint NOT NULL'],
    ['DROP COLUMN', 'ALTER TABLE invoices DROP COLUMN note'],
    ['ADD PRIMARY KEY', 'ALTER TABLE invoices ADD PRIMARY KEY (id)'],
    ['ADD UNIQUE', 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)'],
    [
      'ADD FOREIGN KEY',
      'ALTER TABLE invoices ADD COLUMN order_id bigint, ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)',
    ],
    ['DROP FOREIGN KEY', 'ALTER TABLE invoices DROP FOREIGN KEY invoices_order_fk'],
    ['CREATE INDEX', 'CREATE INDEX invoices_total_idx ON invoices (total)'],
    ['DROP INDEX', 'DROP INDEX invoices_total_idx ON invoices'],
    ['CREATE VIEW', "CREATE VIEW paid_orders AS SELECT id FROM orders WHERE status = 'paid'"],
    ['DROP VIEW', 'DROP VIEW paid_orders'],
    ['enum value added', "ALTER TABLE orders MODIFY status enum('new','paid','shipped')"],
    ['RENAME TABLE', 'RENAME TABLE invoices TO bills'],
    ['comment changed', "ALTER TABLE bills COMMENT 'issued bills'"],
    ['prepared ADD COLUMN', "PREPARE s FROM 'ALTER TABLE bills ADD COLUMN p1 int'; EXECUTE s; DEALLOCATE PREPARE s"],
    ['EXECUTE IMMEDIATE', "EXECUTE IMMEDIATE 'ALTER TABLE bills ADD COLUMN p2 int'"],
    [
      'ALTER inside a procedure',
      'CREATE PROCEDURE widen() ALTER TABLE bills ADD COLUMN p3 int; CALL widen(); DROP PROCEDURE widen',
    ],
    ['DROP TABLE', 'DROP TABLE bills'],
  ];
  for (const [label, sql] of ddl) {
    test(`${label} from another session moves the DDL counters and the fingerprint`, async () => {
      const before = await driver.fingerprint();
      const counted = await counters();
      await db.admin(sql);
      assert.ok((await counters()) > counted, 'the DDL counters did not move');
      assert.notEqual(await driver.fingerprint(), before);
    });
  }

  for (const [label, sql] of [
    ['INSERT', "INSERT INTO orders VALUES (1, 1, 'new'), (2, 1, 'paid')"],
    ['UPDATE', "UPDATE orders SET status = 'paid'"],
    ['DELETE', 'DELETE FROM orders WHERE id > 1'],
    ['ANALYZE TABLE', 'ANALYZE TABLE orders, customers'],
    ['OPTIMIZE TABLE', 'OPTIMIZE TABLE customers'],
  ]) {
    test(`${label} leaves the fingerprint alone`, async () => {
      const before = await driver.fingerprint();
      await db.admin(sql);
      assert.equal(await driver.fingerprint(), before);
    });
  }

  test('an ALTER waiting on a lock is counted and seen as running; once it lands the fingerprint moves', async () => {
    const holder = await mysql.createConnection({ ...mysqlServer, database: db.name });
    const alterer = await mysql.createConnection({ ...mysqlServer, database: db.name });
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM customers'); // holds the table's metadata lock until COMMIT
      const before = await driver.fingerprint();
      const counted = await counters();
      const alter = alterer.query('ALTER TABLE customers ADD COLUMN waited int');
      let running = 0;
      for (let i = 0; i < 100 && running === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const [rows] = await observer.query(otherStatementsQuery);
        running = Number((rows as Record<string, unknown>[])[0]?.running);
      }
      assert.ok(running > 0, 'the waiting ALTER is not seen as running');
      assert.ok((await counters()) > counted, 'the waiting ALTER is not counted');
      assert.equal(await driver.fingerprint(), before, 'nothing has landed yet');
      await holder.query('COMMIT');
      await alter;
      assert.notEqual(await driver.fingerprint(), before);
    } finally {
      await holder.end();
      await alterer.end();
    }
  });
});
