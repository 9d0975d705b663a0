/**
 * A live check while another session holds a lock: the database answers "lock wait timeout",
 * which says nothing about the statement. The language server, spoken to over stdio, must report
 * no error on valid SQL then — only the statement's own faults are findings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';

const VALID = 'SELECT id, email FROM customers;\n';
/** Another valid statement: one the server has not judged on this session yet. */
const LOCKED = 'SELECT email FROM customers WHERE id = 1;\n';
const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${String(d.code)}: ${d.message}`);

/** A server with one live-checked connection, and the published diagnostics of a document opened now. */
async function startServer(connection: Record<string, unknown>): Promise<{
  client: TestLanguageClient;
  folder: string;
  diagnosticsOf(name: string, text: string): Promise<Diagnostic[]>;
}> {
  const folder = mkdtempSync(path.join(tmpdir(), 'ls-locks-'));
  const client = new TestLanguageClient({
    connections: [{ name: 'app', ...connection }],
    validation: { liveCheck: true, debounceMs: 10 },
  });
  await client.initialize(folder);
  return {
    client,
    folder,
    diagnosticsOf: async (name, text) => client.diagnostics(await client.open(path.join(folder, name), text)),
  };
}

describe('live check on PostgreSQL while another session holds ACCESS EXCLUSIVE', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let holder: pg.Client;

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);');
    // 3 s statement timeout: the lock timeout (2 s) answers first.
    server = await startServer({ driver: 'postgres', ...pgServer, database: db.name, statementTimeoutMs: 3_000 });
    // The schema is known and the live check works before the lock is taken.
    assert.deepEqual(summary(await server.diagnosticsOf('before.sql', VALID)), []);
    holder = new pg.Client({ ...pgServer, database: db.name });
    await holder.connect();
  });
  after(async () => {
    await holder?.end();
    await server?.client.shutdown();
    await db?.drop();
    if (server) rmSync(server.folder, { recursive: true, force: true });
  });

  test('valid SQL gets no error (55P03 lock_not_available is no verdict), and is judged again once the lock is gone', async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
    assert.deepEqual(summary(await server.diagnosticsOf('locked.sql', LOCKED)), []);
    await holder.query('ROLLBACK');
    // A fault only the server sees (text > integer): the live check judges statements again.
    const afterwards = await server.diagnosticsOf('after.sql', 'SELECT id FROM customers WHERE email > 1;\n');
    assert.deepEqual(
      afterwards.map((d) => d.code),
      ['database-error'],
    );
  });
});

describe('live check on MariaDB while a migration waits for the table', () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let reader: mysql.Connection;
  let migrator: mysql.Connection;

  before(async () => {
    db = await createMysqlDatabase('CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL)');
    const { host, port, user } = mysqlServer;
    server = await startServer({ driver: 'mysql', host, port, user, database: db.name, statementTimeoutMs: 1_000 });
    assert.deepEqual(summary(await server.diagnosticsOf('before.sql', VALID)), []);
    reader = await mysql.createConnection({ ...mysqlServer, database: db.name });
    migrator = await mysql.createConnection({ ...mysqlServer, database: db.name });
  });
  after(async () => {
    await reader?.end();
    await migrator?.end();
    await server?.client.shutdown();
    await db?.drop();
    if (server) rmSync(server.folder, { recursive: true, force: true });
  });

  test('valid SQL gets no error (1205 lock wait timeout is no verdict)', async () => {
    // An open transaction keeps the table's metadata lock; the ALTER behind it waits for an
    // exclusive one, and every new statement on the table queues behind the ALTER.
    await reader.query('START TRANSACTION');
    await reader.query('SELECT * FROM customers');
    const migration = migrator.query('ALTER TABLE customers ADD COLUMN age INT');
    for (;;) {
      const [rows] = await reader.query(
        "SELECT 1 FROM information_schema.PROCESSLIST WHERE STATE = 'Waiting for table metadata lock' AND DB = ?",
        [db.name],
      );
      if ((rows as unknown[]).length > 0) break;
    }
    assert.deepEqual(summary(await server.diagnosticsOf('locked.sql', LOCKED)), []);
    await reader.query('COMMIT');
    await migration;
  });
});
