/**
 * Migrated files run as the user runs them: a `.js` file is imported as JavaScript, a `.ts` file
 * through tsx, each calling its own driver method (`client.query` of pg, `connection.execute` and
 * `connection.query` of mysql2) with the values it passes; what the function returns before and
 * after the migration must be the same, values and their runtime types included. The builder
 * instance comes from a module next to the file, set up for the dialect as an application's is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { BuilderTarget } from '../../server/src/migrate/builderTarget';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import { planFileMigration } from '../../server/src/migrate/planMigration';
import { checkStatement, compilers, mysqlRunner, postgresRunner, rowsOf } from '../support/jsDifferential';
import type { Dialect } from '../../server/src/schema/snapshot';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { REFUSAL } from '../../server/src/migrate/query/refusals';

/** The module a migrated file imports its builder from: compiling only, the file's driver runs the SQL. */
const INSTANCE_MODULES: Record<BuilderTarget, Record<Dialect, string>> = {
  kysely: {
    postgres:
      "import { Kysely, PostgresDialect } from 'kysely';\nexport const db = new Kysely({ dialect: new PostgresDialect({ pool: {} }) });\n",
    mysql:
      "import { Kysely, MysqlDialect } from 'kysely';\nexport const db = new Kysely({ dialect: new MysqlDialect({ pool: {} }) });\n",
  },
  knex: {
    postgres: "import createKnex from 'knex';\nexport const knex = createKnex({ client: 'pg' });\n",
    mysql: "import createKnex from 'knex';\nexport const knex = createKnex({ client: 'mysql2' });\n",
  },
  sqlalchemy: { postgres: '', mysql: '' },
};

/** Rows as the user's code sees them: field names, values and their runtime types, in order. */
function typed(rows: unknown): string {
  return JSON.stringify(rowsOf(rows as Record<string, unknown>[], true));
}

describe('migrated files run as the user runs them', () => {
  let postgres: TestDatabase;
  let mariadb: TestDatabase;
  let pgPool: pg.Pool;
  let mysqlPool: mysql.Pool;
  let directory: string;
  let count = 0;

  before(async () => {
    postgres = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
    mariadb = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8'));
    pgPool = new pg.Pool({ ...pgServer, database: postgres.name, max: 1 });
    mysqlPool = mysql.createPool({ ...mysqlServer, database: mariadb.name, connectionLimit: 1 });
    directory = mkdtempSync(join(tmpdir(), 'ls-user-path-'));
    symlinkSync(resolve('node_modules'), join(directory, 'node_modules'), 'dir');
    writeFileSync(join(directory, 'package.json'), '{ "type": "module" }');
  });

  after(async () => {
    await pgPool?.end();
    await mysqlPool?.end();
    await postgres?.drop();
    await mariadb?.drop();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Imports `text` as a module named `*.extension` and calls its `run(driver, ...args)`. */
  async function runModule(text: string, extension: string, args: unknown[], dialect: Dialect): Promise<unknown> {
    const file = join(directory, `query${++count}.${extension}`);
    writeFileSync(file, text);
    const module = (await import(pathToFileURL(file).href)) as { run(driver: unknown, ...args: unknown[]): unknown };
    if (dialect === 'postgres') {
      const client = await pgPool.connect();
      try {
        return await module.run(client, ...args);
      } finally {
        client.release();
      }
    }
    const connection = await mysqlPool.getConnection();
    try {
      return await module.run(connection, ...args);
    } finally {
      connection.release();
    }
  }

  /** Migrates `source` (a file named `*.extension`), then runs both and compares what `run` returns. */
  async function assertSameResult(
    target: BuilderTarget,
    dialect: Dialect,
    extension: string,
    source: string,
    args: unknown[] = [],
  ): Promise<string> {
    const instance = target === 'kysely' ? 'db' : 'knex';
    const instanceModule = `instance-${target}-${dialect}.js`;
    writeFileSync(join(directory, instanceModule), INSTANCE_MODULES[target][dialect]);
    const plan = await planFileMigration({
      file: `queries.${extension}`,
      fileName: `/project/queries.${extension}`,
      text: source,
      dialect,
      target,
      instance,
      instanceImport: { module: `./${instanceModule}`, name: instance },
    });
    assert.deepEqual(plan.refusals, [], 'refused');
    assert.ok(plan.converted > 0);
    let migrated = source;
    for (const edit of [...plan.edits].sort((a, b) => b.start - a.start))
      migrated = migrated.slice(0, edit.start) + edit.newText + migrated.slice(edit.end);
    const expected = typed(await runModule(source, extension, args, dialect));
    const actual = typed(await runModule(migrated, extension, args, dialect));
    assert.equal(actual, expected, migrated);
    return migrated;
  }

  test('Kysely in a .js file: no TypeScript syntax, the same rows (number on the left, decimals on MariaDB)', async () => {
    const pgSource = `export async function run(client) {
  const result = await client.query('select id, 2 * total as doubled from orders where 3 > customer_id order by id');
  return result.rows;
}
`;
    const migrated = await assertSameResult('kysely', 'postgres', 'js', pgSource);
    assert.doesNotMatch(migrated, /<number>/);
    const mysqlSource = `export async function run(connection) {
  const [rows] = await connection.query('select id, total * 1.50 as scaled from orders where id < 3 order by id');
  return rows;
}
`;
    assert.doesNotMatch(await assertSameResult('kysely', 'mysql', 'js', mysqlSource), /<number>/);
  });

  test('Kysely and Knex with mysql2 execute: number constants keep their SQL type (no DOUBLE parameters)', async () => {
    // A DOUBLE 1.005 is 1.00499…, which DECIMAL(10,2) stores as 1.00; the constant 1.005 rounds to 1.01.
    const source = `export async function run(connection: any, id: number) {
  await connection.execute('update products set price = 1.005 where id = ?', [id]);
  const [rows] = await connection.execute('select id, price from products where id = ?', [id]);
  return rows;
}
`;
    await assertSameResult('knex', 'mysql', 'ts', source, [2]);
    const kyselySource = `export async function run(connection: any) {
  const [rows] = await connection.execute('select id, total / 7 as share, 2 + 3 as five from orders where id < 4 order by id');
  return rows;
}
`;
    await assertSameResult('kysely', 'mysql', 'ts', kyselySource);
    await assertSameResult('kysely', 'mysql', 'ts', kyselySource.replace('execute', 'query'));
  });

  test('mysql2 execute with an interpolated number is refused (bound, it would be a DOUBLE); query is converted', async () => {
    const source = `export async function run(connection: any, factor: number) {
  const [rows] = await connection.execute(\`select id, total from orders where total > \${factor} order by id\`);
  return rows;
}
`;
    for (const target of ['kysely', 'knex'] as const) {
      const plan = await planFileMigration({
        file: 'queries.ts',
        fileName: '/project/queries.ts',
        text: source,
        dialect: 'mysql',
        target,
        instance: target === 'kysely' ? 'db' : 'knex',
      });
      assert.equal(plan.converted, 0, target);
      assert.match(plan.refusals[0]?.reason ?? '', /DOUBLE/, target);
    }
    await assertSameResult('kysely', 'mysql', 'ts', source.replace('execute', 'query'), [50]);
  });

  test('Kysely on PostgreSQL: a value parameter times a constant keeps a decidable type', async () => {
    const source = `export async function run(client: any, factor: number) {
  const result = await client.query('select id, $1 * 2 as twice, upper($2) as shout from orders where id < 3 order by id', [factor, 'paid']);
  return result.rows;
}
`;
    await assertSameResult(
      'kysely',
      'postgres',
      'ts',
      source.replace(', upper($2) as shout', '').replace(", 'paid'", ''),
      [3],
    );
  });

  test('Knex on PostgreSQL: a decimal constant against an integer column stays an exact numeric literal', async () => {
    const source = `export async function run(client: any) {
  const result = await client.query('select id from orders where customer_id < 2.5 and id <> 42.0 order by id');
  return result.rows;
}
`;
    const migrated = await assertSameResult('knex', 'postgres', 'ts', source);
    assert.match(migrated, /knex\.raw\('42\.0'\)/);
  });

  test('MariaDB: names with capitals and backticked keywords are converted as MySQL reads them, not refused', async () => {
    const statements = [
      'SELECT id AS PostId, status AS `order` FROM orders ORDER BY `order`, id',
      'SELECT P.id, P.title FROM products P WHERE P.stock > 2 ORDER BY P.id',
      'SELECT ID, Status FROM orders WHERE Total > 50 ORDER BY ID',
    ];
    await checkMysqlStatements(statements, ['kysely', 'knex']);
  });

  test('Kysely on MariaDB: <=> (NULL-safe equality) is converted; next to another comparison it is refused', async () => {
    await checkMysqlStatements(
      [
        'select id from orders where customer_id <=> null order by id',
        'select id, note <=> ? as same from orders order by id',
      ],
      ['kysely'],
      [null],
    );
    const mixed = await generateKysely('select id from orders where customer_id <=> 1 = 1', {
      dialect: 'mysql',
      parameters: [],
      valuesOnly: false,
      instance: 'db',
    });
    assert.ok('refused' in mixed);
    assert.equal(mixed.refused, REFUSAL.mysqlNullSafeNextToComparison);
  });

  test('SQL in a const read once, and node-postgres config objects: the migrated call runs the same (.js and .ts)', async () => {
    const pgSource = `export async function run(client, minTotal, customer) {
  const sql = 'select id, total, status from orders where total > $1 order by id';
  const seen = [];
  const { rows: byTotal } = await client.query(sql, [minTotal]);
  const text = 'select id, note from orders where customer_id = $1 order by id';
  const values = [customer];
  const { rows: byCustomer } = await client.query({ text, values });
  const { rows: inline } = await client.query({ text: 'select count(*) as n from orders where total > $1', values: [minTotal] });
  return [...byTotal, ...byCustomer, ...inline, ...seen];
}
`;
    for (const target of ['kysely', 'knex'] as const) {
      for (const extension of ['js', 'ts']) {
        const source =
          extension === 'ts'
            ? pgSource
                .replace('(client, minTotal, customer)', '(client: any, minTotal: number, customer: number)')
                .replace('const seen = []', 'const seen: number[] = []')
            : pgSource;
        const migrated = await assertSameResult(target, 'postgres', extension, source, [50, 1]);
        assert.doesNotMatch(migrated, /const (sql|text) =/, `${target} ${extension}: the declarations go`);
        assert.match(migrated, /client\.query\(\{ text: compiledQuery\d?\.sql, values: /);
      }
    }
  });

  test('MariaDB: SQL in a const read once and mysql2 { sql, values } objects, through query and execute', async () => {
    const source = `export async function run(connection, minTotal) {
  const sql = 'select id, total from orders where total > ? order by id';
  const [viaExecute] = await connection.execute(sql, [minTotal]);
  const [viaQuery] = await connection.query({ sql: 'select id, status from orders where total > ? order by id', values: [minTotal] });
  return [...viaExecute, ...viaQuery];
}
`;
    for (const target of ['kysely', 'knex'] as const) {
      const migrated = await assertSameResult(target, 'mysql', 'js', source, [50]);
      assert.doesNotMatch(migrated, /const sql =/);
    }
  });

  test('Knex on MariaDB: <=> (NULL-safe equality) is converted, with a constant, a parameter or NOT around it', async () => {
    await checkMysqlStatements(
      [
        'select id from orders where customer_id <=> ? order by id',
        "select id from orders where note <=> 'x' or not (customer_id <=> 2) order by id",
        'select o.id from orders o join customers c on c.id <=> o.customer_id where 1 <=> c.id order by o.id',
      ],
      ['knex', 'kysely'],
      [null],
    );
  });

  // Issue 20, item 6: refused before without need.
  const functionForms = {
    postgres: [
      "select id, substring(status from 2 for 3) as part, substring(status, 1, 2) as head, trim(both 'p' from status) as stripped, trim(note) as t, replace(status, 'a', 'o') as swapped from orders order by id",
      'select id, extract(year from placed_on) as y, extract(month from placed_on) as m from orders where extract(day from placed_on) > $1 order by id',
      'select "userId", "Display Name" from "AppUsers" where "Display Name" like \'%a%\' order by "Display Name" desc',
    ],
    mysql: [
      "select id, substring(status from 2 for 3) as part, substring(status, 1, 2) as head, trim(both 'p' from status) as stripped, trim(leading 'x' from 'xxay') as lead, trim(note) as t, replace(status, 'a', 'o') as swapped from orders order by id",
      'select id, extract(year from placed_on) as y, extract(month from placed_on) as m from orders where extract(day from placed_on) > ? order by id',
      "select `userId`, `Display Name` from `AppUsers` where `Display Name` like '%a%' order by `Display Name` desc",
    ],
  };

  test('Kysely: SUBSTRING, TRIM, EXTRACT, REPLACE and names with spaces are converted (PostgreSQL and MariaDB)', async () => {
    await checkPostgresStatements(functionForms.postgres, ['kysely'], [2]);
    await checkMysqlStatements(functionForms.mysql, ['kysely'], [2]);
    // Knex writes functions only through knex.raw; names with spaces it writes as they are.
    await checkPostgresStatements(functionForms.postgres.slice(2), ['knex']);
    await checkMysqlStatements(functionForms.mysql.slice(2), ['knex']);
  });

  test('Kysely and Knex on PostgreSQL: UPDATE … FROM and DELETE … USING are converted, rows and table state the same', async () => {
    await checkPostgresStatements(
      [
        {
          sql: 'update orders set note = c.name from customers c where c.id = orders.customer_id and orders.total > $1 returning orders.id, orders.note',
          check: 'select id, note from orders order by id',
        },
        {
          sql: "delete from order_items using orders o, products p where o.id = order_items.order_id and p.id = order_items.product_id and o.status = 'paid' and p.stock > $1",
          check: 'select * from order_items order by order_id, product_id',
        },
      ],
      ['kysely', 'knex'],
      [3],
    );
  });

  type Statement = string | { sql: string; check: string };

  /** Each statement, run by connection.query, and its migration for each target must be equivalent. */
  function checkMysqlStatements(statements: Statement[], targets: ('kysely' | 'knex')[], values: unknown[] = []) {
    return checkStatements('mysql', statements, targets, values);
  }

  /** Each statement, run by client.query, and its migration for each target must be equivalent. */
  function checkPostgresStatements(statements: Statement[], targets: ('kysely' | 'knex')[], values: unknown[] = []) {
    return checkStatements('postgres', statements, targets, values);
  }

  async function checkStatements(
    dialect: Dialect,
    statements: Statement[],
    targets: ('kysely' | 'knex')[],
    values: unknown[],
  ) {
    const connection = dialect === 'mysql' ? await mysqlPool.getConnection() : await pgPool.connect();
    const instances = compilers(dialect);
    const method = dialect === 'mysql' ? 'connection.query' : 'client.query';
    try {
      const runner =
        dialect === 'mysql'
          ? mysqlRunner(connection as mysql.PoolConnection)
          : postgresRunner(connection as pg.PoolClient);
      for (const entry of statements) {
        const { sql, check } = typeof entry === 'string' ? { sql: entry, check: undefined } : entry;
        const hostValues = /\?|\$1/.test(sql) ? values : [];
        const statement = {
          sql,
          sentText: sql,
          sentValues: hostValues,
          hostValues,
          interpolated: false,
          ordered: check === undefined,
          ...(check ? { check } : {}),
        };
        const original = await runner.run(method, sql, hostValues, check, check === undefined);
        assert.ok('rows' in original && (original.rows.length > 0 || (original.count ?? 0) > 0), sql);
        for (const target of targets) {
          const verdict = await checkStatement(statement, target, method, 'javascript', runner, instances, original);
          assert.equal(verdict.outcome, 'equivalent', `${target}: ${sql}\n${verdict.reason ?? verdict.detail ?? ''}`);
        }
      }
    } finally {
      connection.release();
      await instances.kysely.destroy();
      await instances.knex.destroy();
    }
  }
});
