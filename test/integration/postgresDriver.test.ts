import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { parseConnection, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import { DatabaseError } from '../../server/src/db/driver';
import { PostgresDriver, postgresClientConfig } from '../../server/src/db/postgres/postgresDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { closedPort, startProxy, startSilentServer } from '../support/network';

const fixture = readFileSync(new URL('../fixtures/postgres/fixture.sql', import.meta.url), 'utf8');
const noPassword = () => Promise.resolve(undefined);

function settings(overrides: Record<string, unknown>): ConnectionSettings {
  const parsed = parseConnection({ name: 'test', driver: 'postgres', ...pgServer, ...overrides }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

async function expectDatabaseError(
  promise: Promise<unknown>,
  kind: DatabaseError['kind'],
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatabaseError, `expected a DatabaseError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('PostgreSQL discovery', () => {
  let db: TestDatabase;
  let snapshot: SchemaSnapshot;
  let queryCount: number;

  before(async () => {
    db = await createPostgresDatabase(fixture);
    const driver = new PostgresDriver(settings({ database: db.name }), noPassword);
    try {
      const result = await driver.discover();
      snapshot = result.snapshot;
      queryCount = result.queryCount;
    } finally {
      await driver.close();
    }
  });
  after(() => db?.drop());

  const relation = (schema: string, name: string) => {
    const found = snapshot.relations.find((r) => r.schema === schema && r.name === name);
    assert.ok(found, `${schema}.${name} not discovered`);
    return found;
  };

  test('reports the server and its search_path', () => {
    assert.equal(snapshot.dialect, 'postgres');
    assert.equal(snapshot.server.database, db.name);
    assert.match(snapshot.server.version, /^PostgreSQL \d+/);
    assert.deepEqual(snapshot.server.searchPath, ['public']);
  });

  test('finds both schemas with their comments and no system schema', () => {
    assert.deepEqual(
      snapshot.schemas.map((s) => [s.name, s.comment]),
      [
        ['inventory', 'Stock and warehouses'],
        ['public', 'standard public schema'],
      ],
    );
  });

  test('keeps quoted mixed-case names, types, nullability, defaults and comments', () => {
    const users = relation('public', 'UserAccounts');
    assert.equal(users.kind, 'table');
    assert.equal(users.comment, 'Login accounts');
    assert.deepEqual(
      users.columns.map((c) => [c.position, c.name, c.type, c.nullable]),
      [
        [1, 'Id', 'integer', false],
        [2, 'eMail', 'character varying(120)', false],
        [3, 'tenant', 'text', false],
        [4, 'mood', 'mood', true],
        [5, 'created_at', 'timestamp with time zone', false],
      ],
    );
    assert.equal(users.columns[1]?.comment, 'Primary e-mail address');
    assert.equal(users.columns[3]?.default, "'neutral'::mood");
    assert.equal(users.columns[4]?.default, 'now()');
    assert.deepEqual(users.primaryKey?.columns, ['Id']);
    assert.deepEqual(users.uniqueConstraints, [
      { name: 'user_accounts_tenant_email_key', columns: ['tenant', 'eMail'] },
    ]);
  });

  test('reads a composite foreign key with its actions and a single-column one', () => {
    const stock = relation('inventory', 'stock');
    const composite = stock.foreignKeys.find((fk) => fk.name === 'stock_warehouse_fk');
    assert.deepEqual(composite, {
      name: 'stock_warehouse_fk',
      columns: ['region', 'code'],
      referencedSchema: 'inventory',
      referencedTable: 'warehouses',
      referencedColumns: ['region', 'code'],
      onUpdate: 'CASCADE',
      onDelete: 'RESTRICT',
    });
    const owner = stock.foreignKeys.find((fk) => fk.columns[0] === 'owner_id');
    assert.equal(owner?.referencedTable, 'UserAccounts');
    assert.deepEqual(owner?.referencedColumns, ['Id']);
    assert.equal(owner?.onDelete, 'SET NULL');
    assert.equal(stock.columns.find((c) => c.name === 'quantity')?.type, 'inventory.positive_int');
    assert.equal(stock.columns.find((c) => c.name === 'price')?.type, 'numeric(10,2)');
  });

  test('reads expression, partial and primary-key indexes', () => {
    const indexes = relation('inventory', 'stock').indexes;
    const expression = indexes.find((i) => i.name === 'stock_lower_region_idx');
    assert.deepEqual(expression?.columns, [null, 'code']);
    assert.equal(expression?.method, 'btree');
    assert.match(expression?.definition ?? '', /lower\(\(?region\)?/);
    const partial = indexes.find((i) => i.name === 'stock_owner_partial_idx');
    assert.equal(partial?.unique, true);
    assert.match(partial?.definition ?? '', /WHERE \(owner_id IS NOT NULL\)/);
    assert.equal(indexes.find((i) => i.primary)?.name, 'stock_pkey');
  });

  test('reads a view over a join and a materialized view with their columns', () => {
    const view = relation('inventory', 'stock_by_owner');
    assert.equal(view.kind, 'view');
    assert.deepEqual(
      view.columns.map((c) => c.name),
      ['email', 'quantity', 'warehouse'],
    );
    assert.match(view.viewDefinition ?? '', /JOIN/);
    const totals = relation('inventory', 'stock_totals');
    assert.equal(totals.kind, 'materialized-view');
    assert.deepEqual(
      totals.columns.map((c) => [c.name, c.type]),
      [
        ['region', 'character(2)'],
        ['total', 'bigint'],
      ],
    );
  });

  test('reads enums, domains and routines', () => {
    assert.deepEqual(snapshot.enums, [{ schema: 'public', name: 'mood', values: ['happy', 'sad', 'neutral'] }]);
    assert.deepEqual(snapshot.domains, [
      {
        schema: 'inventory',
        name: 'positive_int',
        baseType: 'integer',
        nullable: false,
        default: '1',
        checks: ['CHECK ((VALUE > 0))'],
      },
    ]);
    assert.deepEqual(snapshot.routines, [{ schema: 'inventory', name: 'restock', kind: 'function' }]);
  });

  test('issues a fixed number of catalog queries', () => {
    assert.equal(queryCount, 9);
  });

  test('limits discovery to the configured schemas', async () => {
    const driver = new PostgresDriver(settings({ database: db.name, schemas: ['inventory'] }), noPassword);
    try {
      const { snapshot: only } = await driver.discover();
      assert.deepEqual([...new Set(only.relations.map((r) => r.schema))], ['inventory']);
      assert.deepEqual(only.enums, []);
    } finally {
      await driver.close();
    }
  });

  test('the session is read-only: a write is refused by the database', async () => {
    const client = new pg.Client(postgresClientConfig(settings({ database: db.name }), undefined));
    await client.connect();
    try {
      await assert.rejects(client.query('CREATE TABLE public.intruder (id int)'), /read-only transaction/);
      await assert.rejects(
        client.query('INSERT INTO inventory.warehouses VALUES ($1, $2, $3)', ['xx', 1, 'x']),
        /read-only transaction/,
      );
    } finally {
      await client.end();
    }
    const rows = await db.admin('SELECT count(*)::int AS n FROM inventory.warehouses');
    assert.equal(rows[0]?.n, 0);
  });

  test('a connection terminated in the middle of discovery fails cleanly, and the next discovery recovers', async () => {
    let terminated = false;
    // Write 1 is the startup message, 2 BEGIN, 3 the first catalog query: kill the backend just before the 5th.
    const proxy = await startProxy(pgServer, async (n) => {
      if (n !== 5 || terminated) return;
      terminated = true;
      await db.admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'live-schema'`,
        [db.name],
      );
    });
    const driver = new PostgresDriver(settings({ database: db.name, host: '127.0.0.1', port: proxy.port }), noPassword);
    try {
      await expectDatabaseError(driver.discover(), 'connection-lost', /connection|terminat/i);
      assert.ok(terminated);
      const { snapshot: again } = await driver.discover();
      assert.ok(again.relations.some((r) => r.name === 'UserAccounts'));
    } finally {
      await driver.close();
      await proxy.close();
    }
  });
});

describe('PostgreSQL connection failures', () => {
  test('a refused port is reported as unreachable', async () => {
    const driver = new PostgresDriver(settings({ host: '127.0.0.1', port: await closedPort() }), noPassword);
    await expectDatabaseError(driver.discover(), 'unreachable', /connection refused/);
    await driver.close();
  });

  test('a server that never answers fails within the connect timeout', { timeout: 10_000 }, async () => {
    const silent = await startSilentServer();
    const driver = new PostgresDriver(
      settings({ host: '127.0.0.1', port: silent.port, connectTimeoutMs: 300 }),
      noPassword,
    );
    try {
      await expectDatabaseError(driver.discover(), 'timeout', /connect timeout \(300 ms\)/);
    } finally {
      await driver.close();
      await silent.close();
    }
  });

  test('an unknown role is an authentication error that says what to do', async () => {
    const driver = new PostgresDriver(settings({ user: 'ls_no_such_role', database: 'postgres' }), noPassword);
    await expectDatabaseError(driver.discover(), 'auth', /ls_no_such_role.*Set Password/s);
    await driver.close();
  });

  test('a missing database is named', async () => {
    const driver = new PostgresDriver(settings({ database: 'ls_test_does_not_exist' }), noPassword);
    await expectDatabaseError(driver.discover(), 'missing-database', /no database "ls_test_does_not_exist"/);
    await driver.close();
  });

  test('a password from the provider is used and never appears in the error', async () => {
    const secret = 'hunter2-never-print-me';
    const driver = new PostgresDriver(settings({ user: 'ls_no_such_role', database: 'postgres' }), () =>
      Promise.resolve(secret),
    );
    await assert.rejects(driver.discover(), (error: Error) => !error.message.includes(secret));
    await driver.close();
  });
});
