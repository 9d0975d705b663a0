import { parseConnection } from '../server/src/config/connectionSettings';
import * as catalog from '../server/src/db/postgres/catalogQueries';
import { postgresFingerprintQuery } from '../server/src/db/postgres/fingerprintQuery';
import { PostgresDriver } from '../server/src/db/postgres/postgresDriver';
import { createPostgresDatabase, pgServer } from '../test/support/databases';
import { psqlMs } from './clientFloor';
import { reportDiscovery } from './discoveryFigures';
import { fmt, median, report } from './measure';
import { generatePostgresSchema } from './postgresSchemaGenerator';

const USER_SCHEMA = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

/**
 * The floor: the least SQL that reads what a snapshot holds, one query per object kind, with no
 * joins the answer does not need. Names, types, defaults, comments and index definitions are
 * rendered by the server here too, because a snapshot carries them.
 */
const MINIMAL_QUERIES = [
  `SELECT n.nspname, d.description FROM pg_namespace n LEFT JOIN pg_description d ON d.objoid = n.oid AND d.objsubid = 0 WHERE ${USER_SCHEMA}`,
  `SELECT c.oid, n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class'),
          CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','f','S') AND ${USER_SCHEMA}`,
  `SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid),
          d.description, a.attidentity, a.attgenerated
   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
   LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f','S') AND ${USER_SCHEMA}`,
  `SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confrelid, con.confkey, con.confupdtype, con.confdeltype
   FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE con.contype IN ('p','u','f') AND ${USER_SCHEMA}`,
  `SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary, am.amname, pg_get_indexdef(i.indexrelid), i.indkey, i.indnkeyatts
   FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
   JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE ${USER_SCHEMA}`,
  `SELECT t.typnamespace, t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`,
  `SELECT t.typnamespace, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault
   FROM pg_type t WHERE t.typtype = 'd' AND t.typnamespace NOT IN (SELECT oid FROM pg_namespace n WHERE NOT (${USER_SCHEMA}))`,
  `SELECT p.pronamespace, p.proname, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}`,
];

const noSchemaFilter = (sql: string) => sql.replaceAll('$1::text[]', `'{}'::text[]`);

/** Our own catalog queries, with the schema filter spelled as a literal so `psql` can run them. */
const OUR_QUERIES = [
  catalog.serverFactsQuery,
  catalog.schemasQuery,
  catalog.relationsQuery,
  catalog.columnsQuery,
  catalog.constraintsQuery,
  catalog.indexesQuery,
  catalog.enumsQuery,
  catalog.domainsQuery,
  catalog.routinesQuery,
].map(noSchemaFilter);

/**
 * Discovery on PostgreSQL against the floor of minimal queries per object kind run by `psql`
 * (issue 22, goal ≤ 1.3× at 10,000 tables), interleaved with our discovery in the same run.
 */
export async function benchPostgresDiscovery(tableCounts: number[]): Promise<void> {
  for (const tables of tableCounts) {
    process.stdout.write(`\nPostgreSQL discovery, ${fmt(tables)} tables\n`);
    const db = await createPostgresDatabase();
    try {
      const generated = performance.now();
      await generatePostgresSchema(db, tables);
      report('schema generated in', `${fmt((performance.now() - generated) / 1000, 1)} s`);

      const parsed = parseConnection(
        { name: 'bench', driver: 'postgres', ...pgServer, database: db.name },
        {},
        'bench',
      );
      if ('errors' in parsed) throw new Error('bad bench settings');
      const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
      await reportDiscovery(driver, {
        floor: () => psqlMs(db.name, MINIMAL_QUERIES),
        ourQueries: () => psqlMs(db.name, OUR_QUERIES),
        client: 'psql',
        discoveryGoal: tables >= 10_000 ? 'goal < 3,000 ms' : '',
      });
      // What a poll costs when the catalog versions moved (DDL, maintenance, temporary tables): the full hash.
      const hashes: number[] = [];
      for (let round = 0; round < 3; round++)
        hashes.push(await psqlMs(db.name, [noSchemaFilter(postgresFingerprintQuery)]));
      report('full fingerprint hash in psql', `${fmt(median(hashes))} ms`, 'the poll when catalog versions moved');
    } finally {
      await db.drop();
    }
  }
}
