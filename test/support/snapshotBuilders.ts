import type { Column, Relation, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { SNAPSHOT_FORMAT_VERSION } from '../../server/src/schema/snapshot';

/** Hand-written snapshots for tests that need no database: every value here is typed by the test. */

export function column(name: string, position: number, type: string, nullable = true): Column {
  return { name, position, type, nullable, default: null, comment: null };
}

export function table(name: string, columns: Column[], extra: Partial<Relation> = {}): Relation {
  return {
    schema: 'public',
    name,
    kind: 'table',
    comment: null,
    columns,
    primaryKey: null,
    uniqueConstraints: [],
    foreignKeys: [],
    indexes: [],
    viewDefinition: null,
    ...extra,
  };
}

export function snapshotOf(relations: Relation[], extra: Partial<SchemaSnapshot> = {}): SchemaSnapshot {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    dialect: 'postgres',
    server: { product: 'postgres', version: '15.8', database: 'shop', searchPath: ['public'] },
    schemas: [{ name: 'public', comment: null }],
    relations,
    enums: [],
    domains: [],
    routines: [],
    ...extra,
  };
}

/** A small shop: customers and orders with a key, a foreign key and an index. */
export function shopSnapshot(): SchemaSnapshot {
  return snapshotOf(
    [
      table(
        'customers',
        [column('id', 1, 'bigint', false), column('email', 2, 'text', false), column('name', 3, 'text')],
        {
          primaryKey: { name: 'customers_pkey', columns: ['id'] },
          uniqueConstraints: [{ name: 'customers_email_key', columns: ['email'] }],
        },
      ),
      table(
        'orders',
        [
          column('id', 1, 'bigint', false),
          column('customer_id', 2, 'bigint', false),
          column('total', 3, 'numeric(10,2)'),
          column('note', 4, 'text'),
        ],
        {
          primaryKey: { name: 'orders_pkey', columns: ['id'] },
          foreignKeys: [
            {
              name: 'orders_customer_id_fkey',
              columns: ['customer_id'],
              referencedSchema: 'public',
              referencedTable: 'customers',
              referencedColumns: ['id'],
              onUpdate: 'NO ACTION',
              onDelete: 'CASCADE',
            },
          ],
          indexes: [
            {
              name: 'orders_customer_idx',
              columns: ['customer_id'],
              unique: false,
              primary: false,
              method: 'btree',
              definition: null,
            },
          ],
        },
      ),
    ],
    { enums: [{ schema: 'public', name: 'order_status', values: ['new', 'paid'] }] },
  );
}
