import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

const fixture = readFileSync(new URL('../fixtures/postgres/fixture.sql', import.meta.url), 'utf8');

/** Shapes where attribute numbers and key positions part ways: dropped columns, INCLUDE, keys out of column order. */
const extra = `
ALTER TABLE inventory.warehouses ADD COLUMN gone int, ADD COLUMN site text;
ALTER TABLE inventory.warehouses DROP COLUMN gone;
ALTER TABLE inventory.warehouses ADD CONSTRAINT warehouses_site_region_key UNIQUE (site, region);
CREATE INDEX warehouses_name_incl_idx ON inventory.warehouses (name, code) INCLUDE (site);
CREATE TABLE public.shipments (
  id int PRIMARY KEY,
  site text,
  region char(2),
  FOREIGN KEY (site, region) REFERENCES inventory.warehouses (site, region)
);`;

/** The reference: every key list resolved by the server itself, one correlated lookup per key. */
const referenceQuery = `
SELECT n.nspname AS schema, c.relname AS table, con.conname AS name,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS referenced
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype IN ('p', 'u', 'f') AND n.nspname IN ('public', 'inventory')
UNION ALL
SELECT n.nspname, c.relname, ic.relname,
       ARRAY(SELECT coalesce(a.attname::text, '<expr>') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n AND k.n > 0
             WHERE k.o <= i.indnkeyatts ORDER BY k.o),
       NULL
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'inventory')`;

/** The same facts read from a snapshot, keyed like the reference rows. */
function keyLists(snapshot: SchemaSnapshot): Map<string, { columns: string[]; referenced: string[] | null }> {
  const lists = new Map<string, { columns: string[]; referenced: string[] | null }>();
  for (const r of snapshot.relations) {
    const at = (name: string) => `${r.schema}.${r.name}.${name}`;
    if (r.primaryKey) lists.set(at(r.primaryKey.name), { columns: r.primaryKey.columns, referenced: [] });
    for (const u of r.uniqueConstraints) lists.set(at(u.name), { columns: u.columns, referenced: [] });
    for (const f of r.foreignKeys) lists.set(at(f.name), { columns: f.columns, referenced: f.referencedColumns });
    for (const i of r.indexes)
      lists.set(at(`${i.name}#index`), { columns: i.columns.map((c) => c ?? '<expr>'), referenced: null });
  }
  return lists;
}

describe('PostgreSQL key and index columns', () => {
  let db: TestDatabase;
  let reference: Record<string, unknown>[];

  before(async () => {
    db = await createPostgresDatabase(fixture + extra);
    reference = await db.admin(referenceQuery);
  });
  after(() => db?.drop());

  async function discover(schemas: string[]): Promise<SchemaSnapshot> {
    const parsed = parseConnection(
      { name: 'test', driver: 'postgres', ...pgServer, database: db.name, schemas },
      {},
      'test',
    );
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
    try {
      return (await driver.discover()).snapshot;
    } finally {
      await driver.close();
    }
  }

  for (const schemas of [[], ['inventory'], ['public']]) {
    test(`every key and index lists the columns the server resolves, schemas [${schemas.join(', ')}]`, async () => {
      const lists = keyLists(await discover(schemas));
      let compared = 0;
      for (const row of reference) {
        if (schemas.length > 0 && !schemas.includes(String(row.schema))) continue;
        const isIndex = row.referenced === null;
        const found = lists.get(
          `${String(row.schema)}.${String(row.table)}.${String(row.name)}${isIndex ? '#index' : ''}`,
        );
        assert.ok(found, `${String(row.table)}.${String(row.name)} not discovered`);
        assert.deepEqual(found.columns, row.columns, `${String(row.name)} columns`);
        if (!isIndex && (row.referenced as string[]).length > 0)
          assert.deepEqual(found.referenced, row.referenced, `${String(row.name)} referenced columns`);
        compared++;
      }
      assert.ok(compared >= 5, `only ${compared} keys compared`);
    });
  }
});
