import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseConnection, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import type { SchemaDriver, StatementDescriber } from '../../server/src/db/driver';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { rowFields, type RowField } from '../../server/src/resultTypes/rowType';
import type { Dialect } from '../../server/src/schema/snapshot';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

/**
 * Result types on the real servers: what the driver describes without running a statement,
 * mapped to TypeScript, must be what node-postgres and mysql2 (default options) really return.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/resultTypes/${name}`, import.meta.url), 'utf8');
const noPassword = (): Promise<string | undefined> => Promise.resolve(mysqlServer.password || undefined);

function settings(driver: Dialect, database: string): ConnectionSettings {
  const server =
    driver === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  const parsed = parseConnection({ name: 'types', driver, ...server, database }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

/** The run-time class of a value, in the vocabulary of the mapped TypeScript types. */
function classOf(value: unknown): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return `${classOf(value[0])}[]`;
  return typeof value;
}

/** Whether a value of class `actual` fits the mapped type; `unknown` fits anything. */
function fits(actual: string, mapped: string): boolean {
  return mapped
    .split(' | ')
    .some((t) => t === 'unknown' || t === actual || (t === 'unknown[]' && actual.endsWith('[]')));
}

function assertRowMatches(fields: RowField[], row: Record<string, unknown>): void {
  assert.deepEqual(
    fields.map((f) => f.name),
    Object.keys(row),
  );
  for (const field of fields) {
    const actual = classOf(row[field.name]);
    assert.ok(
      fits(actual, field.tsType),
      `${field.name} (${field.databaseType}): driver returned ${actual}, mapped ${field.tsType}`,
    );
  }
}

const dialects: {
  dialect: Dialect;
  create(ddl: string): Promise<TestDatabase>;
  make(s: ConnectionSettings): SchemaDriver & StatementDescriber;
  run(db: string, sql: string): Promise<Record<string, unknown>>;
  unknown: string[];
}[] = [
  {
    dialect: 'postgres',
    create: createPostgresDatabase,
    make: (s) => new PostgresDriver(s, noPassword),
    async run(database, sql) {
      const client = new pg.Client({ ...pgServer, database });
      await client.connect();
      try {
        await client.query('BEGIN');
        return (await client.query(sql)).rows[0] as Record<string, unknown>;
      } finally {
        await client.query('ROLLBACK');
        await client.end();
      }
    },
    unknown: ['c_interval', 'c_json', 'c_jsonb', 'c_mood_array'],
  },
  {
    dialect: 'mysql',
    create: createMysqlDatabase,
    make: (s) => new MysqlDriver(s, noPassword),
    async run(database, sql) {
      const connection = await mysql.createConnection({ ...mysqlServer, database });
      try {
        await connection.query('START TRANSACTION');
        const [rows] = await connection.query(sql);
        return (rows as Record<string, unknown>[])[0];
      } finally {
        await connection.query('ROLLBACK');
        await connection.end();
      }
    },
    unknown: ['c_json'],
  },
];

for (const d of dialects) {
  describe(`result types on ${d.dialect}`, () => {
    let db: TestDatabase;
    let driver: SchemaDriver & StatementDescriber;
    before(async () => {
      db = await d.create(fixture(`${d.dialect}.sql`));
      driver = d.make(settings(d.dialect, db.name));
    });
    after(async () => {
      await driver?.close();
      await db?.drop();
    });

    test('every column type is described as what the driver returns at run time', async () => {
      const sql = 'SELECT * FROM every_type';
      const fields = rowFields(await driver.describe(sql), d.dialect);
      assertRowMatches(fields, await d.run(db.name, sql));
      assert.deepEqual(
        fields.filter((f) => f.tsType === 'unknown' || f.tsType === 'unknown[]').map((f) => f.name),
        d.unknown,
      );
    });

    test('NOT NULL comes from the catalog; nullable columns say so', async () => {
      const fields = rowFields(
        await driver.describe(
          'SELECT c_tinyint_or_int2, c_text FROM every_type'.replace(
            'c_tinyint_or_int2',
            d.dialect === 'postgres' ? 'c_int2' : 'c_tinyint',
          ),
        ),
        d.dialect,
      );
      assert.deepEqual(
        fields.map((f) => f.tsType),
        ['number', 'string | null'],
      );
    });

    test('the outer side of a LEFT JOIN is nullable, an inner join keeps NOT NULL', async () => {
      const inner = await driver.describe('SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id');
      assert.deepEqual(
        inner.columns.map((c) => c.nullable),
        [false, false],
      );
      const outer = await driver.describe(
        'SELECT a.name, b.title FROM authors a LEFT JOIN books b ON b.author_id = a.id',
      );
      assert.equal(outer.columns[1].nullable, true, 'b.title is NULL for an author without books');
    });

    test('an aggregate over an empty group is nullable', async () => {
      const description = await driver.describe('SELECT max(id) AS top FROM authors');
      assert.equal(description.columns[0].nullable, true);
    });

    test('parameters are described', async () => {
      const placeholder = d.dialect === 'postgres' ? '$1' : '?';
      const description = await driver.describe(`SELECT name FROM authors WHERE id = ${placeholder}`);
      assert.deepEqual(description.parameters, [d.dialect === 'postgres' ? 'int4' : 'unknown']);
    });

    if (d.dialect === 'postgres')
      test('a DELETE … RETURNING is described, never run', async () => {
        const description = await driver.describe('DELETE FROM authors WHERE id = $1 RETURNING id, name');
        assert.deepEqual(
          description.columns.map((c) => [c.name, c.type, c.nullable]),
          [
            ['id', 'int4', false],
            ['name', 'text', false],
          ],
        );
        assert.equal((await db.admin('SELECT count(*) AS n FROM authors'))[0].n, '1');
      });

    test('a statement the server rejects throws the server message', async () => {
      await assert.rejects(driver.describe('SELECT nope FROM authors'), /nope/);
    });
  });
}
