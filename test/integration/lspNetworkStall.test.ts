/**
 * The language server, over stdio, reaching PostgreSQL and MariaDB through a loopback proxy whose
 * network stalls in the middle of a session. A stalled live check or discovery ends within its
 * timeout plus one second, refresh keeps answering while the network is down, and once it is
 * back the next refresh and live check succeed on a fresh connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';
import { startStallingProxy, type StallingProxy } from '../support/network';

const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 1_500;

interface Statuses {
  connections: { name: string; state: string; message: string | null }[];
}

/** Resolves with the value and the milliseconds from `since` to it. */
async function timed<T>(since: number, work: Promise<T>): Promise<{ value: T; ms: number }> {
  const value = await work;
  return { value, ms: performance.now() - since };
}

function assertWithin(ms: number, boundMs: number, what: string): void {
  assert.ok(ms <= boundMs + 1_000, `${what} took ${Math.round(ms)} ms (bound ${boundMs} + 1000 ms)`);
}

for (const driver of ['mysql', 'postgres'] as const) {
  const label = driver === 'mysql' ? 'MariaDB' : 'PostgreSQL';
  /** Valid SQL and a fault only the server sees: a function that does not exist (for an integer, on PG). */
  const stallingSql = 'SELECT email FROM customers WHERE id = 42;\n';
  const faultySql =
    driver === 'mysql' ? 'SELECT no_such_function(id) FROM customers;\n' : 'SELECT lower(id) FROM customers;\n';

  // A hang fails the suite instead of holding the run.
  describe(`language server over stdio: ${label} behind a network that stalls`, { timeout: 60_000 }, () => {
    let db: TestDatabase;
    let proxy: StallingProxy;
    let folder: string;
    let client: TestLanguageClient;
    const refresh = () => client.connection.sendRequest<Statuses>('liveSchema/refreshSchema', { connection: 'app' });

    before(async () => {
      const ddl = 'CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL)';
      db = driver === 'mysql' ? await createMysqlDatabase(ddl) : await createPostgresDatabase(ddl);
      const server = driver === 'mysql' ? mysqlServer : pgServer;
      proxy = await startStallingProxy(server);
      folder = mkdtempSync(path.join(tmpdir(), 'ls-stall-lsp-'));
      client = new TestLanguageClient({
        connections: [
          {
            name: 'app',
            driver,
            host: '127.0.0.1',
            port: proxy.port,
            user: server.user,
            database: db.name,
            connectTimeoutMs: CONNECT_TIMEOUT_MS,
            statementTimeoutMs: STATEMENT_TIMEOUT_MS,
          },
        ],
        validation: { liveCheck: true, debounceMs: 10 },
        // Nothing in the background: every database call in this test is one the test made.
        cache: { pollIntervalSeconds: 0, ttlSeconds: 3600 },
      });
      await client.initialize(folder);
      const first = await client.diagnostics(
        await client.open(path.join(folder, 'first.sql'), 'SELECT id FROM customers;\n'),
      );
      assert.deepEqual(first, [], 'the schema is discovered and the live check works before the stall');
    });
    after(async () => {
      await client?.shutdown();
      await proxy?.close();
      await db?.drop();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    test('a stall during a live PREPARE: diagnostics within the timeout, refresh answers, and everything recovers', async () => {
      const stalled = proxy.stallOn('id = 42');
      const uri = await client.open(path.join(folder, 'stalled.sql'), stallingSql);
      await stalled;
      const since = performance.now();
      const diagnostics = await timed(since, client.diagnostics(uri));
      assertWithin(diagnostics.ms, STATEMENT_TIMEOUT_MS, 'the stalled live check');
      assert.deepEqual(diagnostics.value, [], 'a stall is no verdict on valid SQL');

      // The network is still down: refresh answers (not connected) instead of queueing forever.
      const down = performance.now();
      const whileDown = await timed(down, refresh());
      assertWithin(whileDown.ms, CONNECT_TIMEOUT_MS, 'refresh while the network is down');
      assert.notEqual(whileDown.value.connections[0]?.state, 'connected');

      proxy.resume();
      const back = await refresh();
      assert.equal(back.connections[0]?.state, 'connected', back.connections[0]?.message ?? '');
      const faulty = await client.diagnostics(await client.open(path.join(folder, 'faulty.sql'), faultySql));
      assert.deepEqual(
        faulty.map((d) => d.code),
        ['unknown-function'],
        'the live check judges statements again on a fresh connection',
      );
    });

    test('a stall on the open, idle connection: refresh answers within the timeout, the next one succeeds', async () => {
      proxy.stall();
      const during = await timed(performance.now(), refresh());
      assertWithin(during.ms, STATEMENT_TIMEOUT_MS, 'the stalled refresh');
      assert.match(during.value.connections[0]?.message ?? '', /statement timeout \(1500 ms\)/);

      proxy.resume();
      const back = await refresh();
      assert.equal(back.connections[0]?.state, 'connected', back.connections[0]?.message ?? '');
    });
  });
}
