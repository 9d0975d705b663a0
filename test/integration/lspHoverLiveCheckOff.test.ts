import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { startProxy } from '../support/network';

/**
 * `validation.liveCheck: false` promises that statements are not sent to the database: hover
 * describes the statement from the snapshot instead. A proxy between the server and a real
 * PostgreSQL records every byte the language server sends, so a statement's text on the wire shows.
 */
describe('language server over stdio: hover with the live check off', () => {
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let sent = '';

  const settings = (liveCheck: boolean) => ({
    connections: [{ name: 'app', driver: 'postgres', ...pgServer, port: proxy.port, database: db.name }],
    validation: { debounceMs: 10, liveCheck },
  });
  const hoverOn = async (editor: TestLanguageClient, file: string, text: string, needle: string): Promise<string> => {
    const uri = await editor.open(path.join(folder, file), text);
    const hover = await editor.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, needle),
    });
    return (hover?.contents as MarkupContent | undefined)?.value ?? '';
  };

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE accounts (id integer PRIMARY KEY, email text);');
    proxy = await startProxy(pgServer, (_, bytes) => {
      sent += bytes.toString('latin1');
      return Promise.resolve();
    });
    folder = mkdtempSync(path.join(tmpdir(), 'ls-hover-offline-'));
    client = new TestLanguageClient(settings(false));
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await proxy?.close();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the row is described offline and the statement never reaches the database', async () => {
    const text = 'SELECT id AS marker_offline, email FROM accounts WHERE id = $1;\n';
    const value = await hoverOn(client, 'offline.sql', text, 'FROM');
    assert.match(value, /\| `marker_offline` \| int4 \| no \|/);
    assert.match(value, /\| `email` \| text \| yes \|/);
    assert.ok(sent.includes('pg_catalog'), 'the schema was discovered through the proxy');
    assert.ok(!sent.includes('marker_offline'), 'the hovered statement was sent to the database');
  });

  test('with the live check on, the same hover asks the database (the proxy sees it)', async () => {
    const live = new TestLanguageClient(settings(true));
    try {
      await live.initialize(folder);
      const text = 'SELECT id AS marker_live, email FROM accounts WHERE id = $1;\n';
      const value = await hoverOn(live, 'live.sql', text, 'FROM');
      assert.ok(sent.includes('marker_live'), 'the live describe went through the proxy');
      assert.match(value, /\| `marker_live` \| int4 \| no \|/);
    } finally {
      await live.shutdown();
    }
  });
});
