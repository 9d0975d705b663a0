import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Relation } from '../../server/src/schema/snapshot';
import { describeElementRef, referencesInSql } from '../../server/src/sql/editing/references';
import { mysqlSnapshotOf, snapshotOf, tableOf } from '../support/snapshotBuilders';

const table = (schema: string, name: string, columns: string[]): Relation =>
  tableOf(name, columns, { schema, type: 'integer' });

const postgres = snapshotOf(
  [
    table('billing', 'Invoices', ['invoice_no', 'order_id']),
    table('public', 'customers', ['id', 'email', 'date']),
    table('public', 'orders', ['id', 'customer_id', 'total_cents', 'status']),
  ],
  {
    server: { version: 'PostgreSQL 15' },
    schemas: [
      { name: 'billing', comment: null },
      { name: 'public', comment: null },
    ],
  },
);

const mysql = mysqlSnapshotOf([table('shop', 'orders', ['id', 'customer_id', 'total_cents'])]);

/** Each reference as `written → schema.table.column`, in text order. */
function refs(sql: string, snapshot = postgres): string[] {
  return referencesInSql(sql, snapshot).map((r) => `${sql.slice(r.start, r.end)} → ${describeElementRef(r.element)}`);
}

describe('references in SQL', () => {
  test('tables, aliases resolved to their columns, schemas and quoted names', () => {
    assert.deepEqual(
      refs(
        'SELECT o.total_cents, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;\nSELECT * FROM billing."Invoices"',
      ),
      [
        'total_cents → public.orders.total_cents',
        'email → public.customers.email',
        'orders → public.orders',
        'customers → public.customers',
        'id → public.customers.id',
        'customer_id → public.orders.customer_id',
        'billing → billing',
        '"Invoices" → billing.Invoices',
      ],
    );
  });

  test('an unqualified column only when exactly one of the statement’s tables has it', () => {
    assert.deepEqual(refs('SELECT id, email, total_cents FROM orders JOIN customers ON true'), [
      'email → public.customers.email',
      'total_cents → public.orders.total_cents',
      'orders → public.orders',
      'customers → public.customers',
    ]);
  });

  test('a table written by name as a qualifier counts; an alias does not', () => {
    assert.deepEqual(refs('SELECT orders.total_cents, o2.status FROM orders, orders o2'), [
      'orders → public.orders',
      'total_cents → public.orders.total_cents',
      'status → public.orders.status',
      'orders → public.orders',
      'orders → public.orders',
    ]);
  });

  test('nothing uncertain: output aliases, functions, types, typed literals, CTEs, subqueries', () => {
    // `total_cents` is an output alias in ORDER BY; `status(…)` a function; `date` a type and a typed literal.
    assert.deepEqual(refs('SELECT count(*) AS total_cents FROM customers ORDER BY total_cents'), [
      'customers → public.customers',
    ]);
    assert.deepEqual(
      refs("SELECT status(1), CAST(id AS date), date '2024-01-01' FROM customers WHERE id::date IS NULL"),
      ['id → public.customers.id', 'customers → public.customers', 'id → public.customers.id'],
    );
    // A CTE called `orders` is not the table; a subquery may provide any column.
    assert.deepEqual(refs('WITH orders AS (SELECT 1 AS total_cents) SELECT total_cents FROM orders'), []);
    assert.deepEqual(refs('SELECT total_cents FROM orders, (SELECT 1 AS total_cents) s'), ['orders → public.orders']);
    // An unknown table could have the column too.
    assert.deepEqual(refs('SELECT total_cents FROM orders JOIN archive ON true'), ['orders → public.orders']);
    assert.deepEqual(refs('SELECT EXTRACT(date FROM now()) FROM customers'), ['customers → public.customers']);
  });

  test('INSERT column lists and upserts belong to the target table', () => {
    assert.deepEqual(
      refs(
        'INSERT INTO orders (id, total_cents) SELECT id, email FROM customers ON CONFLICT (id) DO UPDATE SET status = excluded.status',
      ),
      [
        'orders → public.orders',
        'id → public.orders.id',
        'total_cents → public.orders.total_cents',
        'email → public.customers.email',
        'customers → public.customers',
        'status → public.orders.status',
      ],
    );
  });

  test('DDL: column definitions, foreign keys, indexes, IF EXISTS', () => {
    const ddl = [
      'CREATE TABLE IF NOT EXISTS orders (',
      '  id integer PRIMARY KEY,',
      '  customer_id integer REFERENCES customers (id),',
      '  total_cents integer NOT NULL CHECK (total_cents >= 0),',
      '  CONSTRAINT orders_fk FOREIGN KEY (customer_id) REFERENCES customers (id)',
      ');',
      'CREATE INDEX orders_total ON orders (total_cents);',
      'DROP TABLE IF EXISTS customers;',
      'COPY public.orders (id, total_cents) FROM stdin;',
    ].join('\n');
    assert.deepEqual(refs(ddl), [
      'orders → public.orders',
      'id → public.orders.id',
      'customer_id → public.orders.customer_id',
      'customers → public.customers',
      'id → public.customers.id',
      'total_cents → public.orders.total_cents',
      'total_cents → public.orders.total_cents',
      'customer_id → public.orders.customer_id',
      'customers → public.customers',
      'id → public.customers.id',
      'orders → public.orders',
      'total_cents → public.orders.total_cents',
      'customers → public.customers',
      'public → public',
      'orders → public.orders',
      'id → public.orders.id',
      'total_cents → public.orders.total_cents',
    ]);
  });

  test('ranges are exact offsets into the text, across statements and comments', () => {
    const sql = '-- totals\nSELECT 1;\n\n/* c */ UPDATE orders SET total_cents = 0 WHERE id = $1';
    const found = referencesInSql(sql, postgres).find((r) => r.element.column === 'total_cents');
    assert.equal(found?.start, sql.indexOf('total_cents'));
    assert.equal(found?.end, sql.indexOf('total_cents') + 'total_cents'.length);
  });

  test('MySQL: backticks, case-insensitive columns, ON DUPLICATE KEY UPDATE', () => {
    assert.deepEqual(refs('SELECT `Total_Cents` FROM `orders` WHERE id = ?', mysql), [
      '`Total_Cents` → shop.orders.total_cents',
      '`orders` → shop.orders',
      'id → shop.orders.id',
    ]);
    assert.deepEqual(
      refs(
        'INSERT INTO orders (id, total_cents) VALUES (?, ?) ON DUPLICATE KEY UPDATE total_cents = VALUES(total_cents)',
        mysql,
      ).slice(0, 3),
      ['orders → shop.orders', 'id → shop.orders.id', 'total_cents → shop.orders.total_cents'],
    );
  });

  test('SQL that no parser accepts yields what is certain and never throws', () => {
    assert.deepEqual(refs('SELECT total_cents FROM orders WHERE ((('), [
      'total_cents → public.orders.total_cents',
      'orders → public.orders',
    ]);
    assert.deepEqual(refs('\0\u{1F600} "unterminated'), []);
  });
});
