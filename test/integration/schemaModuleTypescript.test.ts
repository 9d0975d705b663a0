/**
 * The promise of the TypeScript schema module, on the real PostgreSQL and MariaDB: discover the
 * seeded schema, generate the module, and the TypeScript compiler accepts a query file written
 * against `Kysely<DB>`; after `ALTER TABLE … DROP COLUMN` and regeneration the same query file
 * fails to compile, naming the column. Application files migrated to Kysely and Knex (the
 * hand-written corpus and seeded generated statements) compile against the same module.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import type { SchemaDriver } from '../../server/src/db/driver';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { generateTypescriptSchemaModule } from '../../server/src/migrate/schemaModule/typescriptModule';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { typeErrors } from '../support/typescriptCheck';
import { typecheckMigrated, type TypedStatement } from '../support/migratedTypescript';
import { StatementGenerator } from '../support/sqlGenerator/jsStatements';
import { mysqlCorpus } from '../fixtures/migrate/mysqlCorpus';
import { postgresCorpus } from '../fixtures/migrate/postgresCorpus';
import type { Dialect } from '../../server/src/schema/snapshot';

/** Beyond the seed: a schema off the search path and an identity column only the database writes. */
const postgresExtra = `
CREATE SCHEMA sales;
CREATE TABLE sales.invoices (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id integer NOT NULL REFERENCES orders (id),
  amount numeric(10, 2) NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now()
);`;

const mysqlExtra = `
CREATE TABLE invoices (
  id int AUTO_INCREMENT PRIMARY KEY,
  order_id int NOT NULL,
  amount decimal(10, 2) NOT NULL,
  amount_cents int AS (amount * 100) VIRTUAL
);`;

/** Queries an application would write against the seeded schema; `invoices` is the table name Kysely takes. */
function queryFile(invoices: string): string {
  return [
    "import type { Kysely } from 'kysely';",
    "import { tables, type DB } from './schema';",
    'declare const db: Kysely<DB>;',
    'export const notes = db',
    "  .selectFrom('orders as o')",
    "  .innerJoin('customers as c', 'c.id', 'o.customer_id')",
    "  .select(['o.id', 'o.note', 'c.name'])",
    "  .where('o.note', 'is not', null);",
    "export const logged = db.insertInto('audit_log').values({ entity: 'order', message: 'noted' });",
    `export const billed = db.insertInto('${invoices}').values({ order_id: 1, amount: 9.5 });`,
    '// @ts-expect-error the database fills the column itself',
    `export const forced = db.insertInto('${invoices}').values({ id: 1, order_id: 1, amount: 9.5, ${invoices === 'invoices' ? 'amount_cents: 950' : 'issued_at: new Date()'} });`,
    `export const names = [tables.orders.columns.note, tables['${invoices}'].name] as const;`,
    'export async function firstNote(): Promise<string | null> {',
    '  return (await notes.executeTakeFirstOrThrow()).note;',
    '}',
  ].join('\n');
}

async function discoveredModule(driver: SchemaDriver): Promise<string> {
  const { snapshot } = await driver.discover();
  return generateTypescriptSchemaModule(snapshot, { connection: 'test', fingerprint: 'test' });
}

/** Compiles, drops `orders.note`, regenerates: the same query file must then fail on `note`. */
async function assertSchemaChangeBreaksCompile(
  database: TestDatabase,
  driver: SchemaDriver,
  invoices: string,
): Promise<string[]> {
  const query = queryFile(invoices);
  const before = await discoveredModule(driver);
  assert.deepEqual(typeErrors({ 'schema.ts': before, 'query.ts': query }), []);

  await database.admin('ALTER TABLE orders DROP COLUMN note');
  const afterDrop = await discoveredModule(driver);
  assert.notEqual(afterDrop, before);
  const errors = typeErrors({ 'schema.ts': afterDrop, 'query.ts': query });
  assert.ok(errors.length > 0, 'the query file still compiles after the column was dropped');
  assert.ok(
    errors.every((error) => error.startsWith('query.ts(')),
    `the module itself must compile:\n${errors.join('\n')}`,
  );
  assert.ok(
    errors.some((error) => /\bnote\b/.test(error)),
    `no error names the dropped column:\n${errors.join('\n')}`,
  );
  return errors;
}

function settings(driver: 'postgres' | 'mysql', database: string) {
  const server =
    driver === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  const parsed = parseConnection({ name: 'test', driver, ...server, database }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

const noPassword = () => Promise.resolve(mysqlServer.password || undefined);

describe('TypeScript schema module on the real PostgreSQL', () => {
  let database: TestDatabase;
  let driver: PostgresDriver;
  before(async () => {
    database = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8') + postgresExtra);
    driver = new PostgresDriver(settings('postgres', database.name), () => Promise.resolve(undefined));
  });
  after(async () => {
    await driver?.close();
    await database?.drop();
  });

  test('the query file compiles; after DROP COLUMN note the regenerated module makes it fail on note', async (t) => {
    for (const error of await assertSchemaChangeBreaksCompile(database, driver, 'sales.invoices'))
      t.diagnostic(error.split('\n')[0]);
  });
});

describe('TypeScript schema module on the real MariaDB', () => {
  let database: TestDatabase;
  let driver: MysqlDriver;
  before(async () => {
    database = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8') + mysqlExtra);
    driver = new MysqlDriver(settings('mysql', database.name), noPassword);
  });
  after(async () => {
    await driver?.close();
    await database?.drop();
  });

  test('the query file compiles; after DROP COLUMN note the regenerated module makes it fail on note', async (t) => {
    for (const error of await assertSchemaChangeBreaksCompile(database, driver, 'invoices'))
      t.diagnostic(error.split('\n')[0]);
  });
});

const GENERATED = Number(process.env.TYPECHECK_STATEMENTS ?? 300);

/** The corpus of the dialect and `GENERATED` seeded statements, as an application passes them. */
function migratedStatements(dialect: Dialect): TypedStatement[] {
  const corpus = dialect === 'postgres' ? postgresCorpus : mysqlCorpus;
  const generator = new StatementGenerator(dialect, 20261207);
  const generated = Array.from({ length: GENERATED }, () => generator.statement());
  return [
    ...corpus.map((entry) => ({ sql: entry.sql, params: entry.params ?? [] })),
    ...generated.map((statement) => ({ sql: statement.sql, params: statement.hostValues })),
  ];
}

/**
 * Every migrated statement type-checks against the module of the real database; after a column
 * the migrations use is dropped and the module regenerated, the same migrated file does not.
 */
async function assertMigrationsTypecheck(
  t: { diagnostic(message: string): void },
  database: TestDatabase,
  driver: SchemaDriver,
  dialect: Dialect,
): Promise<void> {
  const schema = await discoveredModule(driver);
  const statements = migratedStatements(dialect);
  const checked = [];
  for (const target of ['kysely', 'knex'] as const) {
    const result = await typecheckMigrated(statements, dialect, target, schema);
    t.diagnostic(
      `${target} on ${dialect}: ${result.statements} statements, ${result.migrated} migrated, ${result.migrated - result.failing.size} typecheck`,
    );
    assert.deepEqual([...result.failing.values()].slice(0, 5), [], `${target}: migrated code the compiler rejects`);
    assert.ok(result.migrated > statements.length / 4, `${target}: too few migrated to prove anything`);
    checked.push(result);
  }
  await database.admin('ALTER TABLE customers DROP COLUMN email');
  const afterDrop = await discoveredModule(driver);
  const kysely = checked[0];
  const errors = kysely.check(afterDrop);
  assert.ok(kysely.migratedText.includes("'c.email'"), 'the migrated file uses customers.email');
  assert.ok(
    errors.some((error) => error.startsWith('queries.ts(') && /\bemail\b/.test(error)),
    `no error names the dropped column:\n${errors.slice(0, 5).join('\n')}`,
  );
}

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`migrated Kysely and Knex code type-checks against the module of the real ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let driver: SchemaDriver;
    before(async () => {
      const fixture = readFileSync(`test/fixtures/migrate/${dialect}.sql`, 'utf8');
      database = dialect === 'postgres' ? await createPostgresDatabase(fixture) : await createMysqlDatabase(fixture);
      driver =
        dialect === 'postgres'
          ? new PostgresDriver(settings('postgres', database.name), () => Promise.resolve(undefined))
          : new MysqlDriver(settings('mysql', database.name), noPassword);
    });
    after(async () => {
      await driver?.close();
      await database?.drop();
    });

    test(`the corpus and ${GENERATED} seeded statements, migrated by the planner, compile strict`, async (t) => {
      await assertMigrationsTypecheck(t, database, driver, dialect);
    });
  });
}
