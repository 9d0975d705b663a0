import mysql, { type ExecuteValues } from 'mysql2/promise';
import { parseConnection } from '../server/src/config/connectionSettings';
import * as catalog from '../server/src/db/mysql/catalogQueries';
import { MysqlDriver } from '../server/src/db/mysql/mysqlDriver';
import { createMysqlDatabase, mysqlServer } from '../test/support/databases';
import { fmt, medianMs, peakRssMb, report } from './measure';
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
      let queries = 0;
      let columns = 0;
      const { result: ours, peakMb } = await peakRssMb(() =>
        medianMs(3, async () => {
          const result = await driver.discover();
          queries = result.queryCount;
          columns = result.snapshot.relations.reduce((n, r) => n + r.columns.length, 0);
        }),
      );
      const fingerprint = await medianMs(5, () => driver.fingerprint());
      await driver.close();

      report('catalog queries run directly (floor)', `${fmt(floor)} ms`);
      report('our discovery', `${fmt(ours)} ms`);
      report('ratio to floor', `${fmt(ours / floor, 2)}×`, 'goal ≤ 1.5×');
      report('catalog queries issued', fmt(queries), 'fixed, not per table');
      report('columns discovered', fmt(columns));
      report('fingerprint query', `${fmt(fingerprint, 1)} ms`);
      report('fingerprint / discovery', `${fmt((fingerprint / ours) * 100, 1)} %`, 'goal < 5 %');
      report('peak RSS during discovery', `${fmt(peakMb)} MB`);
    } finally {
      await db.drop();
    }
  }
}
