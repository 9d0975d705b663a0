import mysql, { type ExecuteValues } from 'mysql2/promise';
import { parseConnection } from '../server/src/config/connectionSettings';
import * as catalog from '../server/src/db/mysql/catalogQueries';
import { MysqlDriver } from '../server/src/db/mysql/mysqlDriver';
import { createMysqlDatabase, mysqlServer } from '../test/support/databases';
import { reportDiscovery } from './discoveryFigures';
import { fmt, medianMs, report } from './measure';
import { generateMysqlSchema } from './mysqlSchemaGenerator';

/**
 * Discovery on MariaDB/MySQL against its floor: the same catalog queries (InnoDB foreign-key path)
 * sent by a bare `mysql2` connection with no processing. Issue 3 asks for honest MariaDB figures;
 * issue 4's fingerprint goal is < 5 % of a discovery.
 */
export async function benchMysqlDiscovery(tableCounts: number[]): Promise<void> {
  for (const tables of tableCounts) {
    process.stdout.write(`\nMariaDB discovery, ${fmt(tables)} tables\n`);
    const db = await createMysqlDatabase();
    try {
      const generated = performance.now();
      await generateMysqlSchema((sql) => db.admin(sql), tables);
      report('schema generated in', `${fmt((performance.now() - generated) / 1000, 1)} s`);

      const floorQueries: [string, ExecuteValues[]][] = [
        [catalog.serverFactsQuery, []],
        [catalog.schemaQuery, [db.name]],
        [catalog.tablesQuery, [db.name]],
        [catalog.columnsQuery, [db.name]],
        [catalog.indexesQuery, [db.name]],
        [catalog.innodbForeignKeysQuery, [catalog.innodbSchemaPattern(db.name) ?? '']],
        [catalog.innodbForeignKeyColumnsQuery, [catalog.innodbSchemaPattern(db.name) ?? '']],
        [catalog.viewsQuery, [db.name]],
        [catalog.routinesQuery, [db.name]],
      ];
      const raw = await mysql.createConnection({ ...mysqlServer, database: db.name });
      const floor = await medianMs(3, async () => {
        for (const [sql, params] of floorQueries) await raw.execute(sql, params);
      });
      await raw.end();

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
      await reportDiscovery(driver, floor);
    } finally {
      await db.drop();
    }
  }
}
