import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  DEFAULT_SCHEMA_FILES,
  parseConnection,
  type ConnectionSettings,
} from '../../server/src/config/connectionSettings';
import { DatabaseError } from '../../server/src/db/driver';
import { PgliteDriver } from '../../server/src/db/pglite/pgliteDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { createPostgresDatabase, pgServer } from '../support/databases';

const fixture = readFileSync(new URL('../fixtures/postgres/fixture.sql', import.meta.url), 'utf8');
const folders: string[] = [];

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ls-pglite-'));
  folders.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

function embedded(schemaFiles = DEFAULT_SCHEMA_FILES): ConnectionSettings {
  const parsed = parseConnection({ name: 'embedded', driver: 'pglite', schemaFiles }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

async function discoverEmbedded(root: string) {
  const driver = new PgliteDriver(embedded(), root);
  try {
    return await driver.discover();
  } finally {
    await driver.close();
  }
}

/**
 * Everything but the facts that name the server. View text is the server's own rendering, which
 * differs between major versions (PGlite is PostgreSQL 18), so only its presence is compared.
 */
const content = (s: SchemaSnapshot) => ({
  ...s,
  server: undefined,
  relations: s.relations.map((r) => ({ ...r, viewDefinition: r.viewDefinition === null ? null : 'present' })),
});

after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

describe('embedded PGlite discovery', () => {
  test('the fixture gives the same snapshot through PGlite as through the PostgreSQL server', async () => {
    const db = await createPostgresDatabase(fixture);
    const server = new PostgresDriver(
      (() => {
        const parsed = parseConnection({ name: 'pg', driver: 'postgres', ...pgServer, database: db.name }, {}, 'test');
        if ('errors' in parsed) throw new Error('bad settings');
        return parsed.connection;
      })(),
      () => Promise.resolve(undefined),
    );
    try {
      const fromServer = (await server.discover()).snapshot;
      const fromPglite = await discoverEmbedded(project({ 'schema.sql': fixture }));
      assert.deepEqual(fromPglite.warnings, []);
      assert.equal(fromPglite.snapshot.server.product, 'pglite');
      assert.deepEqual(content(fromPglite.snapshot), content(fromServer));
    } finally {
      await server.close();
      await db.drop();
    }
  });

  test('applies migrations in numeric order and skips down scripts', async () => {
    const root = project({
      'migrations/10_add_total.sql': 'ALTER TABLE orders ADD COLUMN total integer;',
      'migrations/2_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id));',
      'migrations/1_customers.sql': 'CREATE TABLE customers (id int PRIMARY KEY);',
      'migrations/2_orders.down.sql': 'DROP TABLE orders;',
      'migrations/down/9_drop.sql': 'DROP TABLE customers CASCADE;',
    });
    const { snapshot, warnings } = await discoverEmbedded(root);
    assert.deepEqual(warnings, []);
    const orders = snapshot.relations.find((r) => r.name === 'orders');
    assert.deepEqual(
      orders?.columns.map((c) => c.name),
      ['id', 'customer_id', 'total'],
    );
  });

  test('a file PostgreSQL rejects is reported with path, line and message; the other files still count', async () => {
    const root = project({
      'db/1_ok.sql': 'CREATE TABLE kept (id int);',
      'db/2_broken.sql': '-- a typo on line 3\nCREATE TABLE a (id int);\nCREATE TABEL b (id int);\n',
      'db/3_ok.sql': 'CREATE TABLE also_kept (id int);',
    });
    const { snapshot, warnings } = await discoverEmbedded(root);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.file, 'db/2_broken.sql');
    assert.equal(warnings[0]?.line, 3);
    assert.equal(warnings[0]?.column, 8);
    assert.match(
      warnings[0]?.message ?? '',
      /^db\/2_broken\.sql:3:8: not applied, PostgreSQL says: syntax error at or near "TABEL"/,
    );
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['also_kept', 'kept'],
    );
  });

  test('a binary file among the schema files is skipped with a message', async () => {
    const root = project({
      'db/1.sql': 'CREATE TABLE t (id int);',
      'db/2.sql': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]),
      'db/3.sql': Buffer.from([0xc3, 0x28, 0x20]),
    });
    const { snapshot, warnings } = await discoverEmbedded(root);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ['db/2.sql: skipped, not a UTF-8 text file', 'db/3.sql: skipped, not a UTF-8 text file'],
    );
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['t'],
    );
  });

  test('a byte-order mark does not break the first statement', async () => {
    const { snapshot, warnings } = await discoverEmbedded(
      project({ 'schema.sql': '\ufeffCREATE TABLE bom (id int);' }),
    );
    assert.deepEqual(warnings, []);
    assert.equal(snapshot.relations[0]?.name, 'bom');
  });

  test('no schema files is an error that says where it looked', async () => {
    const driver = new PgliteDriver(embedded(), project({ 'README.md': '# nothing here' }));
    await assert.rejects(
      driver.discover(),
      (e: unknown) =>
        e instanceof DatabaseError && e.kind === 'schema-files' && /schema\.sql, db\/\*\*\/\*\.sql/.test(e.message),
    );
  });

  test('the fingerprint changes when a schema file changes, and only then', async () => {
    const root = project({ 'schema.sql': 'CREATE TABLE t (id int);' });
    const driver = new PgliteDriver(embedded(), root);
    const first = await driver.fingerprint();
    assert.equal(await driver.fingerprint(), first);
    writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE t (id int, name text);');
    assert.notEqual(await driver.fingerprint(), first);
  });
});

/** Short bounds, so that a hostile file costs the test seconds; starting PGlite is not counted. */
async function discoverBounded(root: string, limits = { buildTimeoutMs: 60_000, statementTimeoutMs: 2_000 }) {
  const parsed = parseConnection({ name: 'embedded', driver: 'pglite', ...limits }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return new PgliteDriver(parsed.connection, root).discover();
}

describe('embedded PGlite discovery of hostile schema files', () => {
  test('a file that loops or sleeps is stopped and reported; the other files still count', async () => {
    const root = project({
      'db/1_ok.sql': 'CREATE TABLE kept (id int PRIMARY KEY);',
      'db/2_loop.sql': 'DO $$ BEGIN LOOP END LOOP; END $$;',
      'db/3_sleep.sql': 'SELECT pg_sleep(100000);',
      'db/4_ok.sql': 'CREATE TABLE also_kept (id int REFERENCES kept (id));',
    });
    const { snapshot, warnings } = await discoverBounded(root);
    assert.deepEqual(
      warnings.map((w) => w.message),
      [
        'db/2_loop.sql: not applied, it did not finish within 2 s',
        'db/3_sleep.sql: not applied, it did not finish within 2 s',
      ],
    );
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['also_kept', 'kept'],
    );
  });

  test('a file that breaks PGlite (COPY … TO PROGRAM) is reported; the files before and after it still count', async () => {
    const root = project({
      'db/1_ok.sql': 'CREATE TABLE kept (id int);',
      'db/2_copy.sql': "CREATE TABLE t (id int);\nCOPY t TO PROGRAM 'true';",
      'db/3_ok.sql': 'CREATE TABLE also_kept (id int);',
    });
    const { snapshot, warnings } = await discoverBounded(root);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.file, 'db/2_copy.sql');
    assert.match(warnings[0]?.message ?? '', /^db\/2_copy\.sql: not applied, /);
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['also_kept', 'kept'],
    );
  });

  test('a build that outruns its budget ends with a timeout that names the files that applied', async () => {
    const loops = Object.fromEntries(
      [2, 3, 4, 5, 6, 7].map((n) => [`db/${n}_loop.sql`, 'DO $$ BEGIN LOOP END LOOP; END $$;']),
    );
    // Each loop costs a quarter of the budget: six cannot fit.
    const root = project({ 'db/1_ok.sql': 'CREATE TABLE kept (id int);', ...loops });
    await assert.rejects(
      discoverBounded(root, { buildTimeoutMs: 3_000, statementTimeoutMs: 15_000 }),
      (e: unknown) =>
        e instanceof DatabaseError &&
        e.kind === 'timeout' &&
        /^The embedded schema build did not finish within 3 s(, stopped while applying db\/\d_loop\.sql)?; 1 file\(s\) had applied: db\/1_ok\.sql\.$/.test(
          e.message,
        ),
    );
  });
});

describe('embedded PGlite discovery builds the schema the way the migration tool does', () => {
  test('one-file formats apply their up half only: dbmate, goose, node-pg-migrate', async () => {
    const { snapshot, warnings } = await discoverEmbedded(
      project({
        'db/migrations/20240101_dbmate.sql':
          '-- migrate:up\nCREATE TABLE dbmate_t (id int);\n\n-- migrate:down\nDROP TABLE dbmate_t;\n',
        'migrations/00001_goose.sql':
          '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE goose_t (id int);\n-- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE goose_t;\n',
        'migrations/1700000000000_pgm.sql':
          '-- Up Migration\nCREATE TABLE pgm_t (id int);\n-- Down Migration\nDROP TABLE pgm_t;\n',
      }),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['dbmate_t', 'goose_t', 'pgm_t'],
    );
  });

  test('a pg_dump file: psql meta-commands and COPY … FROM stdin data are skipped, errors keep their line', async () => {
    const dump = [
      '\\restrict abc123',
      "SET client_encoding = 'UTF8';",
      'CREATE TABLE public.t (id int, name text);',
      'COPY public.t (id, name) FROM stdin;',
      '1\tann',
      '2\tbob',
      '\\.',
      '\\connect shop',
      'CREATE TABLE public.u (id int);',
      '\\unrestrict abc123',
    ].join('\n');
    const { snapshot, warnings } = await discoverEmbedded(
      project({ 'schema.sql': dump, 'db/2.sql': '\\set ON_ERROR_STOP on\n\nCREATE TABEL x (id int);' }),
    );
    assert.deepEqual(
      snapshot.relations.map((r) => r.name),
      ['t', 'u'],
    );
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.line, 3);
  });

  test('an extension PGlite ships is loaded when a file creates it', async () => {
    const { snapshot, warnings } = await discoverEmbedded(
      project({
        'schema.sql':
          'CREATE EXTENSION IF NOT EXISTS citext;\nCREATE EXTENSION "uuid-ossp";\nCREATE TABLE users (id uuid DEFAULT uuid_generate_v4(), email citext);',
      }),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      snapshot.relations[0]?.columns.map((c) => c.type),
      ['uuid', 'citext'],
    );
  });
});
