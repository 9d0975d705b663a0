import assert from 'node:assert/strict';
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
});
