/**
 * The migrated call keeps working: for each target and dialect, a host file that runs SQL through
 * the driver (`pool.query(text, values)`, DB-API `cursor.execute(sql, params)`) is migrated by the
 * planner, and the original and migrated files are both run on the real database with the same
 * arguments: they must return the same rows. Generators are tested statement by statement
 * elsewhere; this is the rewrite around them (compiled constant, arguments, imports).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { createDriver } from '../../server/src/db/createDriver';
import type { BuilderTarget, ImportNeed } from '../../server/src/migrate/builderTarget';
import { planFileMigration } from '../../server/src/migrate/planMigration';
import { schemaModuleText } from '../../server/src/migrate/schemaModule/writeSchemaModule';
import type { Dialect } from '../../server/src/schema/snapshot';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

const JOIN = 'select o.id, c.name from orders o join customers c on c.id = o.customer_id';

/** DB-API drivers take `%s` and `%(name)s` for both databases: one host file. */
const PYTHON_HOST = [
  'def run(cur, status, min_total, customer):',
  `    cur.execute("${JOIN} where o.status = %s and o.total > %s order by o.id", (status, min_total))`,
  '    joined = cur.fetchall()',
  '    cur.execute("select id, total from orders where customer_id = %(customer)s order by id", {"customer": customer})',
  '    return {"joined": joined, "named": cur.fetchall()}',
  '',
].join('\n');

const hostFiles: Record<Dialect, { typescript: string; python: string }> = {
  postgres: {
    typescript: [
      "import { pool } from './setup';",
      '',
      'export async function run(status: string, minTotal: number, customer: number) {',
      `  const { rows: joined } = await pool.query('${JOIN} where o.status = $1 and o.total > $2 order by o.id', [status, minTotal]);`,
      '  const { rows: interpolated } = await pool.query(`select id, total from orders where customer_id = ${customer} order by id`);',
      '  return { joined, interpolated };',
      '}',
      '',
    ].join('\n'),
    python: PYTHON_HOST,
  },
  mysql: {
    typescript: [
      "import { pool } from './setup';",
      '',
      'export async function run(status: string, minTotal: number, customer: number) {',
      `  const [joined] = await pool.query('${JOIN} where o.status = ? and o.total > ? order by o.id', [status, minTotal]);`,
      '  const [interpolated] = await pool.query(`select id, total from orders where customer_id = ${customer} order by id`);',
      '  return { joined, interpolated };',
      '}',
      '',
    ].join('\n'),
    python: PYTHON_HOST,
  },
};

const ARGUMENTS = ['paid', 20, 1] as const;

function setupModule(dialect: Dialect, database: string): string {
  return dialect === 'postgres'
    ? [
        "import pg from 'pg';",
        "import { Kysely, PostgresDialect } from 'kysely';",
        "import knexFactory from 'knex';",
        `export const pool = new pg.Pool(${JSON.stringify({ ...pgServer, database })});`,
        'export const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });',
        "export const knex = knexFactory({ client: 'pg' });",
      ].join('\n')
    : [
        "import mysql from 'mysql2/promise';",
        "import { createPool } from 'mysql2';",
        "import { Kysely, MysqlDialect } from 'kysely';",
        "import knexFactory from 'knex';",
        `const connection = ${JSON.stringify({ ...mysqlServer, database })};`,
        'export const pool = mysql.createPool(connection);',
        'const compileOnly = createPool(connection);',
        'export const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: compileOnly }) });',
        "export const knex = knexFactory({ client: 'mysql2' });",
        'export async function close() { await pool.end(); compileOnly.end(); }',
      ].join('\n');
}

function apply(text: string, edits: { start: number; end: number; newText: string }[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

async function migrated(
  text: string,
  fileName: string,
  dialect: Dialect,
  target: BuilderTarget,
  instance: string,
  instanceImport: ImportNeed,
): Promise<string> {
  const plan = await planFileMigration({
    file: path.basename(fileName),
    fileName,
    text,
    dialect,
    target,
    instance,
    instanceImport,
  });
  assert.deepEqual(plan.refusals, [], 'every query of the host file converts');
  assert.equal(plan.converted, 2);
  return apply(text, plan.edits);
}

const PYTHON_RUNNER = `
import importlib, json, sys
dialect, host, database = sys.argv[1], sys.argv[2], sys.argv[3]
if dialect == 'postgres':
    import psycopg2
    connection = psycopg2.connect(host=HOST, port=PORT, user=USER, dbname=database)
else:
    import pymysql
    connection = pymysql.connect(host=HOST, port=PORT, user=USER, password=PASSWORD, database=database)
cur = connection.cursor()
result = importlib.import_module(host).run(cur, *ARGS)
print(json.dumps({key: [list(row) for row in rows] for key, rows in result.items()}, default=str))
connection.close()
`;

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`migrated call sites run on the real ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let folder: string;
    let setup: { pool: { end(): Promise<void> }; close?: () => Promise<void> };
    let modules = 0;

    before(async () => {
      const fixture = readFileSync(
        `test/fixtures/migrate/${dialect === 'postgres' ? 'postgres' : 'mysql'}.sql`,
        'utf8',
      );
      database = await (dialect === 'postgres' ? createPostgresDatabase(fixture) : createMysqlDatabase(fixture));
      // Inside node_modules so the generated TypeScript resolves pg, mysql2, kysely and knex.
      mkdirSync('node_modules/.cache', { recursive: true });
      folder = mkdtempSync(path.resolve('node_modules/.cache/ls-callsites-'));
      writeFileSync(path.join(folder, 'setup.ts'), setupModule(dialect, database.name));
      setup = (await import(pathToFileURL(path.join(folder, 'setup.ts')).href)) as typeof setup;
    });
    after(async () => {
      await (setup?.close ? setup.close() : setup?.pool.end());
      await database?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    async function runTypescript(text: string): Promise<unknown> {
      const file = path.join(folder, `host${++modules}.ts`);
      writeFileSync(file, text);
      const host = (await import(pathToFileURL(file).href)) as { run(...args: typeof ARGUMENTS): Promise<unknown> };
      return host.run(...ARGUMENTS);
    }

    for (const [target, instance] of [
      ['kysely', 'db'],
      ['knex', 'knex'],
    ] as const) {
      test(`TypeScript → ${target}: pool.query(compiled.sql, compiled values) returns the same rows`, async () => {
        const original = hostFiles[dialect].typescript;
        const text = await migrated(original, 'host.ts', dialect, target, instance, {
          module: './setup',
          name: instance,
        });
        assert.match(text, new RegExp(`^import \\{ ${instance} \\} from '\\./setup';$`, 'm'));
        const expected = (await runTypescript(original)) as { joined: unknown[]; interpolated: unknown[] };
        assert.ok(
          expected.joined.length > 0 && expected.interpolated.length > 0,
          'the fixture has rows for the arguments',
        );
        assert.deepEqual(await runTypescript(text), expected, text);
      });
    }

    test('Python → SQLAlchemy Core: cursor.execute(str(compiled), compiled.params) returns the same rows', async () => {
      const parsed = parseConnection(
        dialect === 'postgres'
          ? { name: 'callsites', driver: 'postgres', ...pgServer, database: database.name }
          : { name: 'callsites', driver: 'mysql', ...mysqlServer, password: undefined, database: database.name },
        {},
        'test',
      );
      if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
      const driver = createDriver(parsed.connection, {
        root: folder,
        passwords: () => Promise.resolve(mysqlServer.password || undefined),
      });
      const { snapshot } = await driver.discover().finally(() => driver.close());
      const python = path.join(folder, 'python');
      mkdirSync(python, { recursive: true });
      writeFileSync(path.join(python, 'db_schema.py'), schemaModuleText(snapshot, 'python', 'callsites'));
      const original = hostFiles[dialect].python;
      writeFileSync(path.join(python, 'original_host.py'), original);
      const text = await migrated(original, 'host.py', dialect, 'sqlalchemy', 'db_schema', {
        module: '',
        name: 'db_schema',
      });
      assert.match(text, /^import db_schema$/m);
      writeFileSync(path.join(python, 'migrated_host.py'), text);
      const server = dialect === 'postgres' ? pgServer : mysqlServer;
      const runner = PYTHON_RUNNER.replaceAll('HOST', JSON.stringify(server.host))
        .replaceAll('PORT', String(server.port))
        .replaceAll('USER', JSON.stringify(server.user))
        .replace('PASSWORD', JSON.stringify(mysqlServer.password))
        .replace('ARGS', JSON.stringify(ARGUMENTS));
      writeFileSync(path.join(python, 'runner.py'), runner);
      const run = (host: string) => {
        const result = spawnSync('/usr/bin/python3', ['runner.py', dialect, host, database.name], {
          cwd: python,
          encoding: 'utf8',
        });
        assert.equal(result.status, 0, result.stderr);
        return JSON.parse(result.stdout) as { joined: unknown[]; named: unknown[] };
      };
      const expected = run('original_host');
      assert.ok(expected.joined.length > 0 && expected.named.length > 0, 'the fixture has rows for the arguments');
      assert.deepEqual(run('migrated_host'), expected, text);
    });
  });
}
