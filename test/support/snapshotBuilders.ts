import type { Column, Dialect, Relation, SchemaSnapshot, ServerFacts } from '../../server/src/schema/snapshot';
import { SNAPSHOT_FORMAT_VERSION } from '../../server/src/schema/snapshot';

/** Hand-written snapshots for tests that need no database: every value here is typed by the test. */

/** A column with no default and no comment. */
export function column(name: string, position: number, type: string, nullable = true): Column {
  return { name, position, type, nullable, default: null, comment: null };
}

/** A plain table in `public` with no keys or indexes; `extra` adds them (or another schema). */
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

/** A table whose columns, named in order, are all nullable and of one type: enough for most analysis tests. */
export function tableOf(
  name: string,
  columnNames: string[],
  { type = 'text', schema = 'public' }: { type?: string; schema?: string } = {},
): Relation {
  return table(
    name,
    columnNames.map((columnName, i) => column(columnName, i + 1, type)),
    { schema },
  );
}

/** What a snapshot may override; `server` is merged over the dialect's default server facts. */
export type SnapshotExtra = Partial<Omit<SchemaSnapshot, 'server'>> & { server?: Partial<ServerFacts> };

/** A PostgreSQL snapshot of the database `shop` with `public` on the search path. */
export function snapshotOf(relations: Relation[], extra: SnapshotExtra = {}): SchemaSnapshot {
  return snapshotFrom(
    'postgres',
    { product: 'postgres', version: '15.8', database: 'shop', searchPath: ['public'] },
    'public',
    relations,
    extra,
  );
}

/** A MariaDB snapshot of the schema `shop`, names case-sensitive. */
export function mysqlSnapshotOf(relations: Relation[], extra: SnapshotExtra = {}): SchemaSnapshot {
  return snapshotFrom(
    'mysql',
    { product: 'mariadb', version: '10.11', database: 'shop', lowerCaseTableNames: 0 },
    'shop',
    relations,
    extra,
  );
}

/** The snapshot every builder returns: one schema, the relations, no enums, domains or routines. */
function snapshotFrom(
  dialect: Dialect,
  defaultServer: ServerFacts,
  schema: string,
  relations: Relation[],
  { server, ...extra }: SnapshotExtra,
): SchemaSnapshot {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    dialect,
    server: { ...defaultServer, ...server },
    schemas: [{ name: schema, comment: null }],
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
