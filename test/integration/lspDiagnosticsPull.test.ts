import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { RefreshSchema } from '../../server/src/protocol/customMessages';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';

const BOUND_MS = 15_000;
const schema = 'CREATE SCHEMA shop; CREATE TABLE shop.orders (id bigint PRIMARY KEY, total_cents integer NOT NULL);';
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

describe('language server over stdio: diagnostics as VS Code pulls them, and pushed to other clients', () => {
  let db: TestDatabase;
  let folder: string;
  const settings = () => ({ connections: [{ name: 'shop-db', driver: 'postgres', ...pgServer, database: db.name }] });

  before(async () => {
    db = await createPostgresDatabase(schema);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-pull-'));
  });
  after(async () => {
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('VS Code pulls the findings of a .sql and a TypeScript file; nothing is pushed', async () => {
    const client = new TestLanguageClient(settings());
    try {
      await client.initialize(folder);
      const sql = await client.open(path.join(folder, 'q.sql'), 'SELECT totl_cents FROM shop.orders;\n');
      assert.deepEqual(codes(await client.diagnostics(sql, (d) => d.length > 0)), ['unknown-column']);
      const ts = await client.open(
        path.join(folder, 'orders.ts'),
        "export const rows = db.query('SELECT id FROM shop.ordrs');\n",
        'typescript',
      );
      assert.deepEqual(codes(await client.diagnostics(ts, (d) => d.length > 0)), ['unknown-table']);
      assert.equal(client.pushes, 0, 'a client that pulls is never pushed diagnostics');
    } finally {
      await client.shutdown();
    }
  });

  test(
    'a pull cancelled mid-check ends as cancelled, and the next version is checked',
    { timeout: BOUND_MS },
    async () => {
      const client = new TestLanguageClient(settings());
      try {
        await client.initialize(folder);
        // Long enough that the check yields between statements, where it notices the cancellation.
        const long = 'SELECT nope FROM shop.orders;\n'.repeat(3000);
        const uri = await client.open(path.join(folder, 'cancelled.sql'), long);
        const source = new CancellationTokenSource();
        const cancelled = client.connection.sendRequest(
          DocumentDiagnosticRequest.type,
          { textDocument: { uri } },
          source.token,
        );
        // VS Code cancels a pull it no longer needs while the server works on it: once a later request
        // is answered, the pull has started (a cancellation before that is lost in vscode-jsonrpc's queue).
        await client.connection.sendRequest('liveSchema/getConnectionStatus');
        source.cancel();
        await assert.rejects(
          cancelled,
          (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
        );
        await client.change(uri, 'SELECT id FROM shop.ordrs;\n');
        assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length === 1)), ['unknown-table']);
      } finally {
        await client.shutdown();
      }
    },
  );

  test('after a schema change and Refresh Schema, the server asks VS Code to pull again, and the finding goes', async () => {
    const client = new TestLanguageClient(settings());
    try {
      await client.initialize(folder);
      const uri = await client.open(path.join(folder, 'refresh.sql'), 'SELECT discount_cents FROM shop.orders;\n');
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unknown-column']);
      await db.admin('ALTER TABLE shop.orders ADD COLUMN discount_cents integer');
      await client.connection.sendRequest(RefreshSchema.type, { connection: 'shop-db' });
      assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
      assert.ok(client.refreshes > 0, 'the server sent workspace/diagnostic/refresh');
    } finally {
      await client.shutdown();
      await db.admin('ALTER TABLE shop.orders DROP COLUMN IF EXISTS discount_cents');
    }
  });

  test('a client without pull support (Neovim, Helix) gets findings pushed, and cleared on close', async () => {
    const client = new TestLanguageClient(settings());
    try {
      await client.initialize(folder, {});
      const uri = await client.open(path.join(folder, 'pushed.sql'), 'SELECT totl_cents FROM shop.orders;\n');
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unknown-column']);
      await client.close(uri);
      assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
      assert.ok(client.pushes >= 2, 'published, then cleared');
    } finally {
      await client.shutdown();
    }
  });
});
