/**
 * SQL → SQLAlchemy Core equivalence on the real PostgreSQL and MariaDB. Each seeded database is
 * discovered for real, its Python schema module generated, and every corpus statement converted;
 * the generated code runs under Debian's SQLAlchemy 1.4 (psycopg2 / PyMySQL), all statements of a
 * dialect in one Python process, each in a rolled-back transaction. The original SQL runs from
 * Node (`pg` / `mysql2`), also rolled back: column names, rows (in order where ORDER BY fixes it)
 * and the table state after data changes must be equal. What the generator refuses is asserted
 * with its reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { createDriver } from '../../server/src/db/createDriver';
import type { GenerateOptions, ImportNeed } from '../../server/src/migrate/builderTarget';
import { generatePythonSchemaModule } from '../../server/src/migrate/schemaModule/pythonModule';
import { generateSqlAlchemy } from '../../server/src/migrate/sqlalchemy/generateSqlAlchemy';
import type { Dialect } from '../../server/src/schema/snapshot';
import { mysqlCorpus } from '../fixtures/migrate/mysqlCorpus';
import { postgresCorpus, type Case } from '../fixtures/migrate/postgresCorpus';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { numberText, runSqlAlchemy, type PythonCase, type RunResult } from '../support/sqlalchemyRunner';

type Outcome = { columns: string[]; rows: unknown[][]; state: unknown[][] };

/** Runs SQL on one connection inside a transaction that is rolled back whatever happens. */
type OriginalRunner = (sql: string, params: unknown[], check?: string) => Promise<Outcome>;

interface DialectSetup {
  dialect: Dialect;
  corpus: Case[];
  /** Statements beyond the shared corpus for what this generator converts (casts, MySQL's SET order, …). */
  extra: Case[];
  fixture: string;
  createDatabase(ddl: string): Promise<TestDatabase>;
  connection(database: string): Record<string, unknown>;
  sqlalchemyUrl(database: string): string;
  originalRunner(database: string): { run: OriginalRunner; close(): Promise<void> };
  /** Corpus statements the generator must refuse, with the reason it must give. */
  corpusRefusals: Record<string, RegExp>;
  /** Constructs outside the corpus the generator must refuse. */
  refusals: { sql: string; reason: RegExp; valuesOnly?: boolean }[];
}

/** PostgreSQL's numbers (int2/4/8, oid, float4/8, numeric) as their text, dates as ISO text. */
const PG_NUMBERS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((text: string) => unknown) => {
    if (PG_NUMBERS.has(oid)) return numberText;
    if (oid === 1082) return (text: string) => text;
    if (oid === 1114) return (text: string) => text.replace(' ', 'T');
    return pg.types.getTypeParser(oid, format) as (text: string) => unknown;
  },
};

/** mysql2's type cast doing what `pgTypes` does. */
const MYSQL_NUMBERS = new Set([
  'TINY',
  'SHORT',
  'INT24',
  'LONG',
  'LONGLONG',
  'NEWDECIMAL',
  'DECIMAL',
  'FLOAT',
  'DOUBLE',
]);
const mysqlTypeCast = (field: { type: string; string(): string | null }, next: () => unknown) => {
  if (MYSQL_NUMBERS.has(field.type)) return numberText(field.string());
  if (field.type === 'DATE') return field.string();
  if (field.type === 'DATETIME' || field.type === 'TIMESTAMP') return field.string()?.replace(' ', 'T') ?? null;
  return next();
};

const postgres: DialectSetup = {
  dialect: 'postgres',
  corpus: postgresCorpus,
  extra: [
    {
      sql: "select id::text, cast(total as numeric(12, 1)) as t, '7'::int from orders where placed_on > date '2024-02-01' order by id",
    },
    { sql: 'select distinct on (status) status, id from orders order by status, id desc' },
    { sql: 'select id from orders where total between symmetric 100 and 20 order by id' },
    { sql: 'select greatest(stock, 10) as g, nullif(stock, 0) as n, -stock as neg from products order by id' },
    { sql: 'select count(*) as n from orders where placed_on < current_date' },
    {
      sql: 'select t.status, t.n from (select status, count(*) as n from orders group by status) as t where t.n > 1 order by t.status',
    },
    {
      sql: "insert into customers (id, name) values (1, 'Ada'), (2, 'Grace') on conflict (id) do update set name = excluded.name where customers.vip and customers.id = 1 returning id, name",
      check: 'select id, name from customers order by id',
    },
  ],
  fixture: 'test/fixtures/migrate/postgres.sql',
  createDatabase: createPostgresDatabase,
  connection: (database) => ({ driver: 'postgres', ...pgServer, database }),
  sqlalchemyUrl: (database) => `postgresql+psycopg2://${pgServer.user}@${pgServer.host}:${pgServer.port}/${database}`,
  originalRunner(database) {
    const client = new pg.Client({ ...pgServer, database, types: pgTypes });
    const connected = client.connect();
    const query = async (text: string, values: unknown[] = []) => {
      const result = await client.query({ text, values, rowMode: 'array' });
      return { columns: result.fields.map((field) => field.name), rows: result.rows as unknown[][] };
    };
    return {
      run: async (sql, params, check) => {
        await connected;
        await client.query('BEGIN');
        try {
          const { columns, rows } = await query(sql, params);
          return { columns, rows, state: check ? (await query(check)).rows : [] };
        } finally {
          await client.query('ROLLBACK');
        }
      },
      close: () => client.end(),
    };
  },
  corpusRefusals: {
    'select name from customers cross join products where products.id = 1 order by name':
      /column "name" is not qualified and the query reads several tables/,
  },
  refusals: [
    { sql: 'select id, row_number() over (order by id) from orders', reason: /window functions/ },
    { sql: 'with paid as (select * from orders) select id from paid', reason: /WITH/ },
    { sql: 'select id from orders union select id from customers', reason: /UNION/ },
    { sql: 'select id from orders where total > any (select total from orders)', reason: /ANY\/SOME/ },
    { sql: "select '1.5'::float8 as f", reason: /a cast to float8 is not converted/ },
    { sql: "select '{1}'::int[] as a", reason: /casts to array types/ },
    { sql: 'select current_timestamp(2) as t', reason: /CURRENT_TIMESTAMP\(precision\) is not converted/ },
    { sql: 'select id from orders for update', reason: /FOR UPDATE/ },
    { sql: 'select * from orders join order_items using (id)', reason: /USING/ },
    { sql: 'select * from orders natural join customers', reason: /NATURAL/ },
    { sql: 'select count(*) filter (where total > 1) from orders', reason: /FILTER/ },
    { sql: 'select x.n from generate_series(1, 3) as x(n)', reason: /column aliases|functions in FROM/ },
    { sql: 'update orders set note = c.name from customers c', reason: /UPDATE … FROM/ },
    { sql: 'delete from orders using customers c where c.id = 1', reason: /DELETE … USING/ },
    { sql: 'select 1; select 2', reason: /exactly one statement/ },
    { sql: 'create table t (id int)', reason: /only SELECT, INSERT, UPDATE and DELETE/ },
    { sql: 'select id from only orders', reason: /ONLY/ },
    { sql: 'select id from orders where id = $2', reason: /\$2 has no host expression/ },
    { sql: 'select from where', reason: /does not parse/ },
    { sql: 'select id from orders limit all', reason: /LIMIT other than a number/ },
    { sql: 'update orders set (status, note) = (1, 2)', reason: /SET \(a, b\)/ },
    { sql: 'select id from orders where note = null', reason: /comparing with NULL/ },
    { sql: 'select random() as r', reason: /random is not converted/ },
    { sql: "insert into audit_log values (1, 'a', 'b', 1)", reason: /without a column list/ },
    { sql: 'select lower(name) as n from customers group by n', reason: /GROUP BY on the select-list alias "n"/ },
    {
      sql: 'update orders o set note = $1 where exists (select 1 from orders where orders.id = o.customer_id)',
      reason: /alias on the UPDATE target together with a subquery/,
    },
    { sql: 'select $1 from orders', reason: /stands where SQL text/, valuesOnly: true },
    { sql: 'select id from orders order by $1', reason: /stands where SQL text/, valuesOnly: true },
    { sql: 'select id from orders where $1', reason: /stands where SQL text/, valuesOnly: true },
  ],
};

const mariadb: DialectSetup = {
  dialect: 'mysql',
  corpus: mysqlCorpus,
  extra: [
    { sql: "select cast(total as decimal(12,1)) as t from orders where placed_on > date '2024-02-01' order by id" },
    // MySQL assigns left to right: price sees the new stock.
    {
      sql: 'update products set stock = stock + 1, price = stock * 2 where id = 1',
      check: 'select * from products order by id',
    },
    { sql: 'select greatest(stock, 10) as g, nullif(stock, 0) as n, -stock as neg from products order by id' },
    {
      sql: 'select c.name from customers c where not exists (select 1 from orders where orders.customer_id = c.id) order by c.name',
    },
  ],
  fixture: 'test/fixtures/migrate/mysql.sql',
  createDatabase: createMysqlDatabase,
  connection: (database) => ({
    driver: 'mysql',
    host: mysqlServer.host,
    port: mysqlServer.port,
    user: mysqlServer.user,
    database,
  }),
  sqlalchemyUrl: (database) =>
    `mysql+pymysql://${mysqlServer.user}:${encodeURIComponent(mysqlServer.password)}@${mysqlServer.host}:${mysqlServer.port}/${database}`,
  originalRunner(database) {
    const connecting = mysql.createConnection({ ...mysqlServer, database, rowsAsArray: true, typeCast: mysqlTypeCast });
    const query = async (connection: mysql.Connection, sql: string, values: unknown[] = []) => {
      const [rows, fields] = await connection.query(sql, values);
      if (!Array.isArray(rows)) return { columns: [], rows: [] };
      return { columns: (fields ?? []).map((field) => field.name), rows: rows as unknown as unknown[][] };
    };
    return {
      run: async (sql, params, check) => {
        const connection = await connecting;
        await connection.query('START TRANSACTION');
        try {
          const { columns, rows } = await query(connection, sql, params);
          return { columns, rows, state: check ? (await query(connection, check)).rows : [] };
        } finally {
          await connection.query('ROLLBACK');
        }
      },
      close: async () => (await connecting).end(),
    };
  },
  corpusRefusals: {
    'select name from customers cross join products where products.id = 1 order by name':
      /column "name" is not qualified and the query reads several tables/,
    "insert into products (id, sku, title, price) values (6, 'X-1', 'Cable tie', 1.25) returning price, stock":
      /RETURNING is not converted for MySQL\/MariaDB: SQLAlchemy 1.4 does not write it/,
    "insert into products (id, sku, title, price, stock) values (7, 'A-1', upper('adapter'), 2.5, 1 + 2), (8, 'A-2', 'Hub', 19.99, default) returning *":
      /RETURNING is not converted for MySQL\/MariaDB/,
    'delete from order_items where order_id = ? and quantity = 1 returning order_id, product_id':
      /RETURNING is not converted for MySQL\/MariaDB/,
  },
  refusals: [
    { sql: "select name from customers where name ilike 'a%'", reason: /ILIKE is PostgreSQL syntax, not MySQL/ },
    {
      sql: 'select o.id from orders o full join customers c on c.id = o.customer_id',
      reason: /FULL JOIN is PostgreSQL syntax/,
    },
    { sql: 'select id from orders order by note nulls first', reason: /NULLS FIRST\/LAST is PostgreSQL syntax/ },
    { sql: 'select id from customers where email is distinct from null', reason: /DISTINCT FROM is PostgreSQL/ },
    { sql: 'select distinct on (status) id from orders', reason: /DISTINCT ON is PostgreSQL syntax/ },
    { sql: 'select upper(name) from customers', reason: /MySQL names it after its SQL text/ },
    { sql: "select name || 'x' as n from customers", reason: /the operator \|\| means something else in MySQL/ },
    { sql: 'select name from customers where name = "Ada"', reason: /double-quoted MySQL string/ },
    { sql: "insert into audit_log (id, entity) values (1, 'a') on conflict do nothing", reason: /ON CONFLICT/ },
    { sql: 'select id from orders where customer_id = any(?)', reason: /ANY\/ALL \(array\) is PostgreSQL/ },
    { sql: 'update products set stock = 1 where id = 1 returning id', reason: /RETURNING is not converted/ },
    { sql: 'select id from orders where note = null', reason: /comparing with NULL/ },
  ],
};

function options(dialect: Dialect, params: readonly unknown[], valuesOnly = false): GenerateOptions {
  return { dialect, parameters: params.map((_, i) => `params[${i}]`), valuesOnly, instance: 'schema' };
}

/** Rows in a comparable form: sorted unless the statement's ORDER BY fixes their order. */
function comparable(rows: unknown[][], ordered: boolean): string[] {
  const lines = rows.map((row) => JSON.stringify(row));
  return ordered ? lines : lines.sort();
}

for (const setup of [postgres, mariadb]) {
  describe(`SQL → SQLAlchemy Core on the real ${setup.dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let moduleSource: string;

    before(async () => {
      database = await setup.createDatabase(readFileSync(setup.fixture, 'utf8'));
      const parsed = parseConnection({ name: 'equivalence', ...setup.connection(database.name) }, {}, 'test');
      if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
      const driver = createDriver(parsed.connection, {
        passwords: () => Promise.resolve(mysqlServer.password || undefined),
        root: process.cwd(),
      });
      try {
        const { snapshot } = await driver.discover();
        const fingerprint = await driver.fingerprint();
        moduleSource = generatePythonSchemaModule(snapshot, { connection: 'equivalence', fingerprint });
      } finally {
        await driver.close();
      }
    });

    after(() => database?.drop());

    test(`${setup.corpus.length} corpus statements and ${setup.extra.length} more: same columns, rows and table state`, async (t) => {
      assert.ok(setup.corpus.length >= 60, `the corpus has ${setup.corpus.length} statements`);
      const converted: { entry: Case; code: string; imports: ImportNeed[]; expected: Outcome }[] = [];
      const refused: [string, string][] = [];
      const original = setup.originalRunner(database.name);
      try {
        for (const entry of [...setup.corpus, ...setup.extra]) {
          const params = entry.params ?? [];
          const conversion = await generateSqlAlchemy(entry.sql, options(setup.dialect, params));
          if ('refused' in conversion) {
            refused.push([entry.sql, conversion.refused]);
            continue;
          }
          const expected = await original.run(entry.sql, params, entry.check);
          converted.push({ entry, code: conversion.code, imports: conversion.imports, expected });
        }
      } finally {
        await original.close();
      }
      t.diagnostic(`${setup.dialect}: ${converted.length} converted, ${refused.length} refused`);
      for (const [sql, reason] of refused) t.diagnostic(`refused: ${sql} — ${reason}`);

      const cases: PythonCase[] = converted.map(({ entry, code, imports }) => ({
        code,
        imports,
        params: entry.params ?? [],
        check: entry.check,
      }));
      const results: RunResult[] = runSqlAlchemy(
        setup.dialect,
        setup.sqlalchemyUrl(database.name),
        moduleSource,
        cases,
      );

      for (const [index, { entry, code, expected }] of converted.entries()) {
        await t.test(entry.sql, () => {
          const actual = results[index];
          const context = `\n${code}\ncompiled: ${actual.compiled ?? '(not compiled)'}`;
          assert.equal(actual.error, undefined, `the generated code failed: ${actual.error}${context}`);
          const ordered = /\border by\b/i.test(entry.sql);
          assert.deepEqual(actual.columns, expected.columns, `column names differ${context}`);
          assert.deepEqual(
            comparable(actual.rows, ordered),
            comparable(expected.rows, ordered),
            `rows differ${context}`,
          );
          assert.deepEqual(
            comparable(actual.state, true),
            comparable(expected.state, true),
            `table state differs${context}`,
          );
        });
      }
      await t.test('refused corpus statements are the expected ones, for the expected reasons', () => {
        assert.deepEqual(refused.map(([sql]) => sql).sort(), Object.keys(setup.corpusRefusals).sort());
        for (const [sql, reason] of refused) assert.match(reason, setup.corpusRefusals[sql]);
      });
    });

    test('constructs that cannot be converted faithfully are refused with the reason', async (t) => {
      for (const { sql, reason, valuesOnly } of setup.refusals) {
        await t.test(sql, async () => {
          const conversion = await generateSqlAlchemy(sql, options(setup.dialect, ['x'], valuesOnly));
          assert.ok(
            'refused' in conversion,
            `converted instead of refused:\n${'code' in conversion ? conversion.code : ''}`,
          );
          assert.match(conversion.refused, reason);
          t.diagnostic(`refused ${sql}: ${conversion.refused}`);
        });
      }
    });
  });
}
