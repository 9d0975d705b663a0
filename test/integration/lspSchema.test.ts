import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestLanguageClient } from '../support/lspClient';

const shop = path.resolve(import.meta.dirname, '../../examples/shop');

interface TreeResult {
  status: { state: string; tables: number };
  schemas: {
    name: string;
    relations: { name: string; kind: string; columns: { name: string; primaryKey: boolean }[] }[];
  }[];
}

describe('language server: schema requests over stdio (embedded default)', () => {
  let client: TestLanguageClient;

  before(async () => {
    client = new TestLanguageClient({});
    await client.initialize(shop);
  });
  after(() => client.shutdown());

  test('with no connection configured, the project schema files make an embedded connection', async () => {
    const tree = await client.connection.sendRequest<TreeResult | null>('liveSchema/schemaTree', {
      connection: 'embedded',
    });
    assert.ok(tree, 'no embedded connection');
    assert.equal(tree.status.state, 'connected');
    const shopSchema = tree.schemas.find((s) => s.name === 'shop');
    assert.deepEqual(
      shopSchema?.relations.map((r) => r.name),
      ['customers', 'order_lines', 'order_totals', 'orders', 'products'],
    );
    const orders = shopSchema?.relations.find((r) => r.name === 'orders');
    assert.deepEqual(
      orders?.columns.filter((c) => c.primaryKey).map((c) => c.name),
      ['id'],
    );
  });

  test('the status request lists the connection with its age', async () => {
    type Status = { connections: { name: string; state: string; schemaAgeMs: number | null; tables: number }[] };
    let status = await client.connection.sendRequest<Status>('liveSchema/getConnectionStatus');
    if (status.connections[0]?.state !== 'connected') {
      status = await client.notification<Status>(
        'liveSchema/connectionStatus',
        (s) => s.connections[0]?.state === 'connected',
      );
    }
    assert.equal(status.connections.length, 1);
    assert.equal(status.connections[0]?.state, 'connected');
    assert.ok((status.connections[0]?.schemaAgeMs ?? -1) >= 0);
    assert.equal(status.connections[0]?.tables, 8);
  });

  test('a virtual DDL document recreates the table, quoted where needed', async () => {
    const ddl = await client.connection.sendRequest<string | null>('liveSchema/virtualDocument', {
      uri: 'live-schema-ddl:/embedded/billing/Invoices.sql',
    });
    assert.match(ddl ?? '', /CREATE TABLE billing\."Invoices" \(/);
    assert.match(ddl ?? '', /CONSTRAINT "Invoices_pkey" PRIMARY KEY \(invoice_no, fiscal_year\)/);
    assert.match(ddl ?? '', /REFERENCES shop\.orders \(id\)/);
    assert.equal(
      await client.connection.sendRequest('liveSchema/virtualDocument', {
        uri: 'live-schema-ddl:/embedded/billing/nope.sql',
      }),
      null,
    );
  });

  test('Export Schema Snapshot writes a diff-friendly schema.json the snapshot driver can read', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ls-export-'));
    try {
      const target = pathToFileURL(path.join(dir, 'schema.json')).href;
      const result = await client.connection.sendRequest<{ uri: string; relations: number }>(
        'liveSchema/exportSnapshot',
        { connection: 'embedded', uri: target },
      );
      assert.equal(result.relations, 11, '8 tables and views, 3 sequences of serial columns');
      const text = readFileSync(path.join(dir, 'schema.json'), 'utf8');
      assert.match(text, /\n {2}"dialect": "postgres",\n/);
      assert.ok(text.includes('"total_cents"'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cache statistics count the connection and its snapshot size', async () => {
    const stats = await client.connection.sendRequest<{
      connections: { connection: string; snapshotBytes: number; takenAt: string | null }[];
    }>('liveSchema/cacheStatistics');
    assert.equal(stats.connections[0]?.connection, 'embedded');
    assert.ok((stats.connections[0]?.snapshotBytes ?? 0) > 1000);
    assert.ok(stats.connections[0]?.takenAt);
  });
});
