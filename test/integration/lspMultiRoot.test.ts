import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';

const query = 'SELECT amount_cents FROM invoices;\nSELECT total_cents FROM orders;\n';
const found = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}:${d.severity}:${d.range.start.line}`);
const ERROR = 1;
const WARNING = 2;

describe('language server over stdio: a multi-root workspace, each folder with its own connection', () => {
  let db: TestDatabase;
  let scratch: string;
  let billing: string;
  let shop: string;
  let client: TestLanguageClient;

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer);');
    scratch = mkdtempSync(path.join(tmpdir(), 'ls-multiroot-'));
    billing = path.join(scratch, 'billing');
    shop = path.join(scratch, 'shop');
    mkdirSync(billing);
    mkdirSync(shop);
    writeFileSync(
      path.join(billing, 'schema.sql'),
      'CREATE TABLE invoices (id bigint PRIMARY KEY, amount_cents integer);\n',
    );
    // The user's settings apply everywhere; the shop folder overrides one severity, as VS Code merges them.
    client = new TestLanguageClient(
      {},
      {},
      {
        user: { validation: { severity: { 'unknown-table': 'warning' } } },
        folders: {
          [billing]: { connections: [{ name: 'billing-embedded', driver: 'pglite' }] },
          [shop]: {
            connections: [{ name: 'shop-db', driver: 'postgres', ...pgServer, database: db.name }],
            validation: { severity: { 'unknown-table': 'error' } },
          },
        },
      },
    );
    await client.initialize([billing, shop]);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("the same query is checked against its own folder's schema and settings", { timeout: 60_000 }, async () => {
    const inBilling = await client.open(path.join(billing, 'q.sql'), query);
    const inShop = await client.open(path.join(shop, 'q.sql'), query);
    assert.deepEqual(found(await client.diagnostics(inBilling, (d) => d.length > 0)), [`unknown-table:${WARNING}:1`]);
    assert.deepEqual(found(await client.diagnostics(inShop, (d) => d.length > 0)), [`unknown-table:${ERROR}:0`]);
  });
});
