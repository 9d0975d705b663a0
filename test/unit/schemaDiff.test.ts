import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeChange, diffSnapshots } from '../../server/src/schema/schemaDiff';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { column, shopSnapshot, table } from '../support/snapshotBuilders';

/** Applies an edit to a copy of the shop snapshot and returns the diff's lines. */
function changesAfter(edit: (s: SchemaSnapshot) => void): string[] {
  const before = shopSnapshot();
  const after = structuredClone(before);
  edit(after);
  return diffSnapshots(before, after).changes.map(describeChange);
}

const orders = (s: SchemaSnapshot) => s.relations.find((r) => r.name === 'orders')!;

describe('schema diff', () => {
  test('identical snapshots have no changes', () => {
    assert.deepEqual(
      changesAfter(() => undefined),
      [],
    );
  });

  test('a table added and one dropped', () => {
    assert.deepEqual(
      changesAfter((s) => {
        s.relations = s.relations.filter((r) => r.name !== 'customers');
        s.relations.push(table('invoices', [column('id', 1, 'bigint', false), column('amount', 2, 'numeric')]));
      }),
      ['dropped table public.customers', 'added table public.invoices'],
    );
  });

  test('a column added, dropped, retyped and made NOT NULL', () => {
    assert.deepEqual(
      changesAfter((s) => {
        const o = orders(s);
        o.columns = o.columns.filter((c) => c.name !== 'note');
        o.columns.push(column('shipped_at', 5, 'timestamp with time zone'));
        o.columns[2].type = 'numeric(12,2)';
        o.columns[2].nullable = false;
      }),
      [
        'dropped column public.orders.note (text)',
        'added column public.orders.shipped_at (timestamp with time zone)',
        'changed column public.orders.total: type numeric(10,2) → numeric(12,2)',
        'changed column public.orders.total: nullability NULL → NOT NULL',
      ],
    );
  });

  test('a dropped and an added column of the same type at the same position read as a likely rename', () => {
    const before = shopSnapshot();
    const after = structuredClone(before);
    orders(after).columns[2].name = 'amount';
    const { changes } = diffSnapshots(before, after);
    assert.deepEqual(changes, [
      {
        action: 'renamed',
        object: 'column',
        path: { schema: 'public', relation: 'orders', name: 'amount' },
        from: 'total',
      },
    ]);
    assert.equal(describeChange(changes[0]), 'renamed column public.orders.total → amount (likely)');
  });

  test('a replaced column of another type is a drop and an add, not a rename', () => {
    assert.deepEqual(
      changesAfter((s) => {
        orders(s).columns[3] = column('comment', 4, 'varchar(200)');
      }),
      ['dropped column public.orders.note (text)', 'added column public.orders.comment (varchar(200))'],
    );
  });

  test('a renamed table with the same columns reads as a likely rename', () => {
    assert.deepEqual(
      changesAfter((s) => {
        orders(s).name = 'purchases';
      }),
      ['renamed table public.orders → purchases (likely)'],
    );
  });

  test('keys, foreign keys and indexes added, dropped and changed', () => {
    assert.deepEqual(
      changesAfter((s) => {
        const o = orders(s);
        o.primaryKey = null;
        o.foreignKeys[0].onDelete = 'RESTRICT';
        o.indexes = [];
        o.uniqueConstraints.push({ name: 'orders_note_key', columns: ['note'] });
      }),
      [
        'dropped primary-key public.orders.orders_pkey (id)',
        'added unique-constraint public.orders.orders_note_key (note)',
        'changed foreign-key public.orders.orders_customer_id_fkey: definition (customer_id) → public.customers (id) ON UPDATE NO ACTION ON DELETE CASCADE → (customer_id) → public.customers (id) ON UPDATE NO ACTION ON DELETE RESTRICT',
        'dropped index public.orders.orders_customer_idx (btree (customer_id))',
      ],
    );
  });

  test('views, their definitions and enum values', () => {
    const before = shopSnapshot();
    before.relations.push(
      table('big_orders', [column('id', 1, 'bigint')], { kind: 'view', viewDefinition: 'SELECT id FROM orders' }),
    );
    const after = structuredClone(before);
    after.relations.find((r) => r.name === 'big_orders')!.viewDefinition = 'SELECT id FROM orders WHERE total > 100';
    after.enums[0].values.push('shipped');
    assert.deepEqual(diffSnapshots(before, after).changes.map(describeChange), [
      'changed view public.big_orders: definition SELECT id FROM orders → SELECT id FROM orders WHERE total > 100',
      'changed enum public.order_status: values new, paid → new, paid, shipped',
    ]);
  });
});
