import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { completeSql } from '../../server/src/sql/editing/completion';
import { describeElement, symbolAt } from '../../server/src/sql/editing/symbolAt';
import type { Column, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { column, snapshotOf, table } from '../support/snapshotBuilders';

const col = (name: string, position: number, type = 'integer', extra: Partial<Column> = {}): Column => ({
  ...column(name, position, type),
  ...extra,
});

const snapshot = snapshotOf(
  [
    table('Invoices', [col('invoice_no', 1, 'text'), col('order_id', 2)], { schema: 'billing' }),
    table('customers', [col('id', 1), col('email', 2, 'text', { nullable: false, comment: 'Login e-mail' })], {
      primaryKey: { name: 'customers_pkey', columns: ['id'] },
    }),
    table('orders', [col('id', 1), col('customer_id', 2), col('total_cents', 3, 'integer', { default: '0' })]),
  ],
  {
    server: { version: 'PostgreSQL 15' },
    schemas: [
      { name: 'billing', comment: null },
      { name: 'public', comment: null },
    ],
  },
);

/** Completes at the `|` marker and returns the labels. */
function labels(sqlWithCursor: string): string[] {
  const offset = sqlWithCursor.indexOf('|');
  const text = sqlWithCursor.replace('|', '');
  return completeSql(text, offset, snapshot).candidates.map((c) => c.label);
}

describe('completion', () => {
  test('after FROM: tables of the search path, other schemas qualified, and schemas', () => {
    const result = labels('SELECT * FROM |');
    assert.ok(result.includes('orders') && result.includes('customers'));
    assert.ok(result.includes('billing.Invoices'));
    assert.ok(result.includes('billing'));
  });

  test('after alias dot: only that table’s columns, alias resolved', () => {
    assert.deepEqual(labels('SELECT o.| FROM orders o JOIN customers c ON c.id = o.customer_id'), [
      'id',
      'customer_id',
      'total_cents',
    ]);
    assert.deepEqual(labels('SELECT c.em| FROM orders o JOIN customers c ON c.id = o.customer_id'), ['id', 'email']);
  });

  test('in a JOIN … ON, columns of the statement’s tables and their aliases', () => {
    const result = labels('SELECT 1 FROM orders o JOIN customers c ON c.id = |');
    assert.ok(
      result.includes('customer_id') && result.includes('email') && result.includes('o') && result.includes('c'),
    );
    assert.ok(!result.includes('invoice_no'), 'columns of tables outside the statement are not offered');
  });

  test('in an INSERT column list, the target’s columns', () => {
    assert.deepEqual(labels('INSERT INTO orders (id, |) VALUES (1, 2)'), ['id', 'customer_id', 'total_cents']);
  });

  test('after schema dot: the schema’s tables, quoted as needed', () => {
    const result = completeSql('SELECT * FROM billing.', 22, snapshot);
    assert.deepEqual(
      result.candidates.map((c) => c.insertText),
      ['"Invoices"'],
    );
  });

  test('only the statement around the cursor counts, and the typed prefix is replaced', () => {
    const text = 'SELECT id FROM customers;\nSELECT tot FROM orders;';
    const offset = text.indexOf('tot') + 3;
    const result = completeSql(text, offset, snapshot);
    assert.equal(text.slice(result.start, result.end), 'tot');
    assert.ok(!result.candidates.some((c) => c.label === 'email'));
    assert.ok(result.candidates.some((c) => c.label === 'total_cents'));
  });

  test('never capped: every table of a large schema is offered', () => {
    const big: SchemaSnapshot = {
      ...snapshot,
      relations: Array.from({ length: 10_000 }, (_, i) => table(`t${i}`, [col('id', 1)])),
    };
    assert.equal(completeSql('SELECT * FROM ', 14, big).candidates.filter((c) => c.kind === 'table').length, 10_000);
  });
});

describe('symbol at offset (hover, definition)', () => {
  const at = (sql: string, needle: string) => symbolAt(sql, sql.indexOf(needle) + 1, snapshot);

  test('a column through its alias', () => {
    const sql = 'SELECT o.total_cents FROM orders o';
    const found = at(sql, 'total_cents');
    assert.equal(found?.element.kind, 'column');
    assert.equal(sql.slice(found.start, found.end), 'total_cents');
  });

  test('an unqualified column owned by exactly one of the statement’s tables', () => {
    const found = at('SELECT email FROM orders JOIN customers ON customers.id = orders.customer_id', 'email');
    assert.ok(found?.element.kind === 'column' && found.element.relation.name === 'customers');
  });

  test('an ambiguous unqualified column names nothing', () => {
    const found = at('SELECT id FROM orders JOIN customers ON true', 'id');
    assert.notEqual(found?.element.kind, 'column');
  });

  test('a quoted table in another schema, and the schema', () => {
    const sql = 'SELECT * FROM billing."Invoices"';
    const table = at(sql, '"Invoices"');
    assert.ok(table?.element.kind === 'relation' && table.element.relation.name === 'Invoices');
    assert.equal(at(sql, 'billing')?.element.kind, 'schema');
  });

  test('hover text shows type, nullability, keys, default and comment', () => {
    const found = at('SELECT email FROM customers', 'email');
    const markdown = describeElement(found!.element, 'shop-db');
    assert.match(markdown, /`text` not null/);
    assert.match(markdown, /Login e-mail/);
    assert.match(markdown, /shop-db/);
  });
});
