import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { Dialect, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { relationDdl } from '../../server/src/schema/ddl';
import { analyzeSql } from '../../server/src/sql/analyze';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

/** A sequence is a relation a query can read: `SELECT last_value FROM orders_id_seq` is valid SQL. */

const SCHEMAS: Record<Dialect, { ddl: string; read: string; wrong: string }> = {
  postgres: {
    ddl: 'CREATE TABLE orders (id serial PRIMARY KEY); CREATE SEQUENCE invoice_numbers;',
    read: 'SELECT last_value, is_called FROM orders_id_seq; SELECT last_value FROM public.invoice_numbers;',
    wrong: 'SELECT last_valu FROM invoice_numbers',
  },
  mysql: {
    ddl: 'CREATE TABLE orders (id INT PRIMARY KEY); CREATE SEQUENCE invoice_numbers;',
    read: 'SELECT next_not_cached_value, cycle_count FROM invoice_numbers',
    wrong: 'SELECT next_not_cached_valu FROM invoice_numbers',
  },
};

for (const dialect of ['postgres', 'mysql'] as Dialect[]) {
  describe(`sequences on ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let driver: PostgresDriver | MysqlDriver;
    let snapshot: SchemaSnapshot;
    const schema = SCHEMAS[dialect];

    before(async () => {
      database =
        dialect === 'postgres' ? await createPostgresDatabase(schema.ddl) : await createMysqlDatabase(schema.ddl);
      const server =
        dialect === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
      const parsed = parseConnection({ name: 'seq', driver: dialect, ...server, database: database.name }, {}, 'test');
      if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
      const password = (): Promise<string | undefined> => Promise.resolve(mysqlServer.password || undefined);
      driver =
        dialect === 'postgres'
          ? new PostgresDriver(parsed.connection, password)
          : new MysqlDriver(parsed.connection, password);
      snapshot = (await driver.discover()).snapshot;
    });
    after(async () => {
      await driver?.close();
      await database?.drop();
    });

    test('reading a sequence is no error; a wrong column of it is, with a suggestion', async () => {
      const valid = await analyzeSql(schema.read, { dialect, snapshot });
      assert.deepEqual(valid.findings, []);
      const wrong = await analyzeSql(schema.wrong, { dialect, snapshot });
      assert.deepEqual(
        wrong.findings.map((f) => [f.code, schema.wrong.slice(f.start, f.end)]),
        [['unknown-column', schema.wrong.split(' ')[1]]],
      );
    });

    test('its generated DDL creates a sequence, not a table', () => {
      const sequence = snapshot.relations.find((r) => r.name === 'invoice_numbers');
      assert.ok(sequence);
      assert.equal(sequence.kind, 'sequence');
      assert.match(relationDdl(snapshot, sequence).text, /CREATE SEQUENCE .*invoice_numbers/);
    });
  });
}
