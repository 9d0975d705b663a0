import { parseConnection } from '../server/src/config/connectionSettings';
import * as catalog from '../server/src/db/mysql/catalogQueries';
import { mysqlFingerprintQuery } from '../server/src/db/mysql/fingerprintQuery';
import { MysqlDriver } from '../server/src/db/mysql/mysqlDriver';
import { createMysqlDatabase, mysqlServer } from '../test/support/databases';
import { mariadbMs } from './clientFloor';
import { reportDiscovery } from './discoveryFigures';
import { fmt, median, report } from './measure';
import { generateMysqlSchema } from './mysqlSchemaGenerator';

/**
 * The floor: one query per object kind reading only what a snapshot holds, each filtered to the one
 * database (`TABLE_SCHEMA = '…'` scans one database; catalog-notes.md), foreign keys from InnoDB's
 * dictionary as discovery reads them with the PROCESS privilege.
 */
function minimalQueries(database: string): string[] {
  const where = `WHERE TABLE_SCHEMA = '${database}'`;
  // MariaDB keeps `\_` in a string literal as is, so LIKE sees an escaped underscore.
  const fk = `WHERE ID LIKE '${database.replaceAll('_', '\\_')}/%'`;
  return [
    `SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.TABLES ${where}`,
    `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS ${where}`,
    `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS ${where}`,
    `SELECT ID, FOR_NAME, REF_NAME, TYPE FROM information_schema.INNODB_SYS_FOREIGN ${fk}`,
    `SELECT ID, FOR_COL_NAME, REF_COL_NAME, POS FROM information_schema.INNODB_SYS_FOREIGN_COLS ${fk}`,
    `SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS ${where}`,
    `SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '${database}'`,
  ];
}

/**
 * Discovery on MariaDB against the floor of minimal queries per object kind run by the `mariadb`
 * client (issue 22, goal ≤ 1.3×), interleaved with our discovery in the same run; the fingerprint
 * goal is ≤ 5 % of a discovery.
 */
export async function benchMysqlDiscovery(tableCounts: number[]): Promise<void> {
  for (const tables of tableCounts) {
    process.stdout.write(`\nMariaDB discovery, ${fmt(tables)} tables\n`);
    const db = await createMysqlDatabase();
    try {
      const generated = performance.now();
      await generateMysqlSchema((sql) => db.admin(sql), tables);
      report('schema generated in', `${fmt((performance.now() - generated) / 1000, 1)} s`);

      const parsed = parseConnection(
        {
          name: 'bench',
          driver: 'mysql',
          host: mysqlServer.host,
          port: mysqlServer.port,
          user: mysqlServer.user,
          database: db.name,
        },
        {},
        'bench',
      );
      if ('errors' in parsed) throw new Error('bad bench settings');
      const driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
      const literal = (sql: string, ...values: string[]) => {
        let i = 0;
        return sql.replace(/\?/g, () => `'${values[i++]}'`);
      };
      const pattern = catalog.innodbSchemaPattern(db.name) ?? '';
      const ourQueries = [
        catalog.serverFactsQuery,
        literal(catalog.schemaQuery, db.name),
        literal(catalog.tablesQuery, db.name),
        literal(catalog.columnsQuery, db.name),
        literal(catalog.indexesQuery, db.name),
        literal(catalog.innodbForeignKeysQuery, pattern),
        literal(catalog.innodbForeignKeyColumnsQuery, pattern),
        literal(catalog.viewsQuery, db.name),
        literal(catalog.routinesQuery, db.name),
      ];
      await reportDiscovery(driver, {
        floor: () => mariadbMs(db.name, minimalQueries(db.name)),
        ourQueries: () => mariadbMs(db.name, ourQueries),
        client: 'mariadb',
      });
      // What a poll costs when the DDL counters moved (any DDL on the server): the full content hash.
      const full = mysqlFingerprintQuery([db.name], true);
      const fullHash = literal(full.sql, ...full.params);
      const hashes: number[] = [];
      for (let round = 0; round < 3; round++) hashes.push(await mariadbMs(db.name, [fullHash]));
      report('full fingerprint hash in mariadb', `${fmt(median(hashes))} ms`, 'the poll when DDL counters moved');
    } finally {
      await db.drop();
    }
  }
}
