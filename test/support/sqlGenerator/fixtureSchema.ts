/**
 * The tables of test/fixtures/migrate/{postgres,mysql}.sql as the statement generator sees them:
 * each column's kind of value, whether it may be NULL, and each table's key (to order totally).
 */
export type ValueKind = 'int' | 'decimal' | 'text' | 'bool' | 'date';

export interface FixtureColumn {
  name: string;
  kind: ValueKind;
  nullable: boolean;
}

export interface FixtureTable {
  name: string;
  /** The alias statements give the table. */
  alias: string;
  columns: FixtureColumn[];
  key: string[];
}

const column = (name: string, kind: ValueKind, nullable = false): FixtureColumn => ({ name, kind, nullable });

export const FIXTURE_TABLES: FixtureTable[] = [
  {
    name: 'customers',
    alias: 'c',
    key: ['id'],
    columns: [
      column('id', 'int'),
      column('name', 'text'),
      column('email', 'text', true),
      column('country', 'text', true),
      column('vip', 'bool'),
      column('created_at', 'date'),
    ],
  },
  {
    name: 'products',
    alias: 'p',
    key: ['id'],
    columns: [
      column('id', 'int'),
      column('sku', 'text'),
      column('title', 'text'),
      column('price', 'decimal'),
      column('stock', 'int'),
      column('discontinued', 'bool'),
    ],
  },
  {
    name: 'orders',
    alias: 'o',
    key: ['id'],
    columns: [
      column('id', 'int'),
      column('customer_id', 'int', true),
      column('status', 'text'),
      column('total', 'decimal'),
      column('note', 'text', true),
      column('placed_on', 'date'),
    ],
  },
  {
    name: 'order_items',
    alias: 'i',
    key: ['order_id', 'product_id'],
    columns: [
      column('order_id', 'int'),
      column('product_id', 'int'),
      column('quantity', 'int'),
      column('unit_price', 'decimal'),
    ],
  },
];

/** Joins the fixture's foreign keys allow: [left table, right table, ON condition]. */
export const FIXTURE_JOINS: [string, string, string][] = [
  ['orders', 'customers', 'c.id = o.customer_id'],
  ['order_items', 'orders', 'o.id = i.order_id'],
  ['order_items', 'products', 'p.id = i.product_id'],
];

export function fixtureTable(name: string): FixtureTable {
  const table = FIXTURE_TABLES.find((candidate) => candidate.name === name);
  if (!table) throw new Error(`no fixture table ${name}`);
  return table;
}
