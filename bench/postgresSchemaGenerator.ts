import type { TestDatabase } from '../test/support/databases';

/**
 * Fills a database with `tables` generated tables shaped like an application's: ~10 columns each,
 * a primary key, a foreign key on 20 % of them, an extra index on 30 %, a view every 250 tables and
 * a few comments. Committed in batches of 500 tables: one transaction of 10,000 runs PostgreSQL out
 * of shared memory (catalog-notes.md).
 */
export async function generatePostgresSchema(db: TestDatabase, tables: number): Promise<void> {
  const batch: string[] = [];
  for (let i = 0; i < tables; i++) {
    batch.push(
      `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text NOT NULL, code varchar(40), amount numeric(12,2) DEFAULT 0,` +
        ` created_at timestamptz NOT NULL DEFAULT now(), active boolean NOT NULL DEFAULT true, note text, qty integer,` +
        ` ratio double precision, ref_id bigint${i % 5 === 4 ? ` REFERENCES t${i - 1} (id)` : ''});`,
    );
    if (i % 10 < 3) batch.push(`CREATE INDEX t${i}_code_idx ON t${i} (code, created_at);`);
    if (i % 50 === 0) batch.push(`COMMENT ON TABLE t${i} IS 'generated table ${i}';`);
    if (i % 250 === 249)
      batch.push(`CREATE VIEW v${i} AS SELECT a.id, a.name, b.code FROM t${i} a JOIN t${i - 1} b ON b.id = a.id;`);
    if (i % 500 === 499 || i === tables - 1) {
      await db.admin(`BEGIN; ${batch.join('\n')} COMMIT;`);
      batch.length = 0;
    }
  }
}
