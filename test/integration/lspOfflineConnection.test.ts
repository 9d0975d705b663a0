import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';

interface Status {
  connections: { name: string; state: string; message: string | null }[];
}

interface TreeResult {
  status: { state: string; message: string | null };
  schemas: unknown[];
}

/**
 * A connection that refuses the login, with a client that behaves like the Schema Explorer: it
 * asks for the connection's tree again on every status notice. Before the fix each tree request
 * re-announced the (unchanged) offline state, so the two chased each other several times a
 * second — a busy server, a flickering explorer that took the focus from the password prompt.
 */
describe('language server over stdio: a connection that stays offline', () => {
  const user = `ls_offline_u${process.pid}`;
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;

  before(async () => {
    db = await createMysqlDatabase('CREATE TABLE invoices (id int PRIMARY KEY);');
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY 'not-given-to-the-server'`);
    await db.admin(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-offline-'));
    client = new TestLanguageClient({
      connections: [
        {
          name: 'billing',
          driver: 'mysql',
          host: mysqlServer.host,
          port: mysqlServer.port,
          user,
          database: db.name,
        },
      ],
    });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.admin(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('asking for its tree on every status notice does not loop: one offline notice, one discovery', async () => {
    const notices: Status[] = [];
    const askForTree = () =>
      client.connection.sendRequest<TreeResult | null>('liveSchema/schemaTree', { connection: 'billing' });
    // One handler per method on a connection: this one also tells when the offline notice came.
    let offlineNoticed: () => void = () => undefined;
    const offline = new Promise<void>((resolve) => (offlineNoticed = resolve));
    client.connection.onNotification('liveSchema/connectionStatus', (status: Status) => {
      notices.push(status);
      if (status.connections[0]?.state === 'offline') offlineNoticed();
      void askForTree();
    });
    const first = await askForTree();
    assert.equal(first?.status.state, 'offline');
    assert.match(first?.status.message ?? '', /refused user .*Set Password/);
    await offline;

    // Long enough for hundreds of round trips; shorter than the first retry's back-off (2 s).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const discoveries = [...client.progress.values()].filter((p) => p.title.includes('discovering the schema'));
    assert.equal(discoveries.length, 1, `discovery progress shown ${discoveries.length} times`);
    assert.ok(notices.length <= 2, `${notices.length} status notices for one failed login`);
    assert.ok(
      notices.every((n) => n.connections[0]?.state !== 'connected'),
      'the connection is never reported connected',
    );
  });
});
