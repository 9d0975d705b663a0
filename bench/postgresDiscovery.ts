import pg from 'pg';
import { parseConnection } from '../server/src/config/connectionSettings';
import * as catalog from '../server/src/db/postgres/catalogQueries';
import { PostgresDriver } from '../server/src/db/postgres/postgresDriver';
import { createPostgresDatabase, pgServer } from '../test/support/databases';
import { reportDiscovery } from './discoveryFigures';
import { fmt, medianMs, report } from './measure';
import { generatePostgresSchema } from './postgresSchemaGenerator';

const FLOOR_QUERIES = [
  catalog.serverFactsQuery,
  catalog.schemasQuery,
  catalog.relationsQuery,
  catalog.columnsQuery,
  catalog.constraintsQuery,
  catalog.indexesQuery,
  catalog.enumsQuery,
  catalog.domainsQuery,
  catalog.routinesQuery,
];

/**
 * Discovery on PostgreSQL against its floor: the same catalog queries sent by a bare `pg` client
 * with no processing. Goal (issue 3): ≤ 1.5× the floor and under 3 s at 10,000 tables.
 */
export async function benchPostgresDiscovery(tableCounts: number[]): Promise<void> {
  for (const tables of tableCounts) {
    process.stdout.write(`\nPostgreSQL discovery, ${fmt(tables)} tables\n`);
    const db = await createPostgresDatabase();
    try {
      const generated = performance.now();
      await generatePostgresSchema(db, tables);
      report('schema generated in', `${fmt((performance.now() - generated) / 1000, 1)} s`);

      const raw = new pg.Client({ ...pgServer, database: db.name });
      await raw.connect();
      const floor = await medianMs(3, async () => {
        for (const sql of FLOOR_QUERIES) await raw.query(sql, sql.includes('$1') ? [[]] : []);
      });
      await raw.end();

      const parsed = parseConnection(
        { name: 'bench', driver: 'postgres', ...pgServer, database: db.name },
        {},
        'bench',
      );
      if ('errors' in parsed) throw new Error('bad bench settings');
      const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
      await reportDiscovery(driver, floor, tables >= 10_000 ? 'goal < 3,000 ms' : '');
    } finally {
      await db.drop();
    }
  }
}
