import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, Diagnostic } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { startProxy } from '../support/network';

interface Status {
  connections: { name: string; state: string; message: string | null }[];
}

const errorCodes = (d: Diagnostic[]) => d.filter((x) => x.severity === 1).map((x) => x.code);
const query = 'SELECT shipped_at FROM orders;\n';
const report = 'SELECT total_cents, nope FROM orders;\n';

interface SchemaChangedParams {
  connection: string;
  changes: string[];
  broken: { total: number; references: { uri: string; range: { start: { line: number } }; name: string }[] } | null;
}

/**
 * The schema changing and the database going away under a running server. The server reaches
 * PostgreSQL through a loopback proxy the test can close and reopen: a database that disappears
 * and comes back, without touching the real server.
 */
describe('language server over stdio: a live schema', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let folder: string;
  let cacheDir: string;
  let settings: Record<string, unknown>;
  let client: TestLanguageClient;

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer);');
    proxy = await startProxy(pgServer);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-live-'));
    cacheDir = mkdtempSync(path.join(tmpdir(), 'ls-cache-'));
    // On disk before the server starts, so the workspace index knows what it references.
    writeFileSync(path.join(folder, 'report.sql'), report);
    settings = {
      connections: [
        {
          name: 'app',
          driver: 'postgres',
          host: '127.0.0.1',
          port: proxy.port,
          user: pgServer.user,
          database: db.name,
          connectTimeoutMs: 1000,
        },
      ],
      cache: { pollIntervalSeconds: 1, ttlSeconds: 1 },
    };
    client = new TestLanguageClient(settings);
    await client.initialize(folder, undefined, { cacheDir });
  });
  after(async () => {
    await client?.shutdown();
    await proxy?.close();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('an ALTER TABLE makes an open document’s error disappear, and the user is told what changed', async () => {
    const uri = await client.open(path.join(folder, 'query.sql'), query);
    assert.deepEqual(errorCodes(await client.diagnostics(uri, (d) => errorCodes(d).length === 1)), ['unknown-column']);
    const changed = client.notification<{ connection: string; changes: string[] }>('liveSchema/schemaChanged');
    await db.admin('ALTER TABLE orders ADD COLUMN shipped_at timestamptz');
    assert.deepEqual(await client.diagnostics(uri, (d) => errorCodes(d).length === 0), []);
    const { changes } = await changed;
    assert.ok(
      changes.some((c) => c.includes('shipped_at')),
      changes.join('\n'),
    );
  });

  test('a dropped column: the notification counts the references it broke, and the open document says the schema broke it', async () => {
    const file = path.join(folder, 'report.sql');
    const { locations } = await client.connection.sendRequest<{ locations: unknown[] }>('liveSchema/schemaReferences', {
      connection: 'app',
      schema: 'public',
      relation: 'orders',
      column: 'total_cents',
    });
    assert.equal(locations.length, 1, 'the workspace index found report.sql');
    const uri = await client.open(file, report);
    assert.deepEqual(errorCodes(await client.diagnostics(uri, (d) => errorCodes(d).length === 1)), ['unknown-column']);

    const changed = client.notification<SchemaChangedParams>('liveSchema/schemaChanged', (p) =>
      p.changes.some((c) => c.includes('total_cents')),
    );
    await db.admin('ALTER TABLE orders DROP COLUMN total_cents');
    const { broken } = await changed;
    assert.equal(broken?.total, 1);
    assert.equal(broken?.references[0]?.uri, uri);
    assert.equal(broken?.references[0]?.range.start.line, 0);
    assert.match(broken?.references[0]?.name ?? '', /orders\.total_cents$/);

    const diagnostics = await client.diagnostics(uri, (d) => errorCodes(d).length === 2);
    // Only the name the change broke is drift; the one that never existed stays unknown-column.
    assert.deepEqual(errorCodes(diagnostics).sort(), ['schema-drift', 'unknown-column']);
    const drift = diagnostics.find((d) => d.code === 'schema-drift');
    assert.match(drift?.message ?? '', /Broken by the schema change noticed at \d\d:\d\d UTC: .*total_cents/);
    assert.equal(report.slice(drift?.range.start.character, drift?.range.end.character), 'total_cents');
  });

  test('a database that goes away leaves the server responsive on the last snapshot, reported stale, then it recovers', async () => {
    const port = proxy.port;
    const stale = client.notification<Status>(
      'liveSchema/connectionStatus',
      (s) => s.connections[0]?.state === 'stale',
    );
    await proxy.close();
    await db.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'live-schema'`,
      [db.name],
    );
    const status = await stale;
    assert.match(status.connections[0]?.message ?? '', /Cannot reach PostgreSQL at 127\.0\.0\.1:\d+/);

    const text = 'SELECT o. FROM orders o';
    const uri = await client.open(path.join(folder, 'while-down.sql'), text);
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'o.'),
    });
    assert.ok(
      list.items.some((i) => i.label === 'shipped_at'),
      'completion answers from the last snapshot',
    );

    const recovered = client.notification<Status>(
      'liveSchema/connectionStatus',
      (s) => s.connections[0]?.state === 'connected',
    );
    proxy = await startProxy(pgServer, undefined, port);
    await recovered;
  });

  test('after a restart, diagnostics come from the persisted snapshot before the database answers', async () => {
    await client.shutdown();
    const port = proxy.port;
    await proxy.close();
    client = new TestLanguageClient(settings);
    await client.initialize(folder, undefined, { cacheDir });
    const uri = await client.open(path.join(folder, 'after-restart.sql'), 'SELECT shipped_at, nope FROM orders;');
    const diagnostics = await client.diagnostics(uri, (d) => errorCodes(d).length > 0);
    assert.deepEqual(errorCodes(diagnostics), ['unknown-column']);
    assert.match(diagnostics[0].message, /nope/);
    proxy = await startProxy(pgServer, undefined, port);
  });
});
