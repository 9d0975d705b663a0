import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, Hover, Location } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { DIAGNOSTIC_SOURCE } from '../../server/src/protocol/rules';

const schema = `
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id bigint PRIMARY KEY, email text NOT NULL);
COMMENT ON COLUMN shop.customers.email IS 'Where receipts go';
CREATE TABLE shop.orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES shop.customers (id),
  total_cents integer NOT NULL DEFAULT 0
);`;

const withTypo = 'SELECT o.totl_cents\nFROM shop.orders o;\n\nSELECT * FROM shop.ordrs;\n';
const fixed = 'SELECT o.total_cents\nFROM shop.orders o;\n\nSELECT * FROM shop.orders;\n';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

describe('language server over stdio: .sql files against the real PostgreSQL', () => {
  let db: TestDatabase;
  let client: TestLanguageClient;
  let folder: string;
  let settings: Record<string, unknown>;

  before(async () => {
    db = await createPostgresDatabase(schema);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-lsp-'));
    settings = {
      connections: [{ name: 'shop-db', driver: 'postgres', ...pgServer, database: db.name }],
    };
    client = new TestLanguageClient(settings);
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('diagnostics land exactly on the unknown column and table, and clear when fixed', async () => {
    const uri = await client.open(path.join(folder, 'query.sql'), withTypo);
    const diagnostics = await client.diagnostics(uri, (d) => d.length === 2);
    assert.deepEqual(codes(diagnostics), ['unknown-column', 'unknown-table']);
    const column = diagnostics.find((d) => d.code === 'unknown-column')!;
    assert.deepEqual(column.range, {
      start: positionOf(withTypo, 'totl_cents', true),
      end: positionOf(withTypo, 'totl_cents'),
    });
    assert.equal(column.source, DIAGNOSTIC_SOURCE);
    assert.match(column.message, /totl_cents/);
    const table = diagnostics.find((d) => d.code === 'unknown-table')!;
    assert.deepEqual(table.range.start, positionOf(withTypo, 'ordrs', true));

    await client.change(uri, fixed);
    assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
  });

  test('a quick fix offers the suggested name', async () => {
    const text = 'SELECT totl_cents FROM shop.orders;';
    const uri = await client.open(path.join(folder, 'fix.sql'), text);
    const [diagnostic] = await client.diagnostics(uri, (d) => d.length === 1);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const preferred = actions.find((a) => a.isPreferred);
    assert.equal(preferred?.title, 'Change to `total_cents`');
    assert.equal(preferred?.edit?.changes?.[uri]?.[0]?.newText, 'total_cents');
  });

  test('completion after FROM, after alias dot, in JOIN … ON and in an INSERT column list', async () => {
    const complete = async (text: string, marker: string) => {
      const uri = await client.open(path.join(folder, `complete-${Math.random()}.sql`), text.replace(marker, ''));
      const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: positionOf(text, marker, true),
      });
      await client.close(uri);
      return list.items.map((i) => i.label);
    };
    assert.ok((await complete('SELECT * FROM shop.|', '|')).includes('orders'));
    assert.deepEqual(await complete('SELECT o.| FROM shop.orders o', '|'), ['id', 'customer_id', 'total_cents']);
    const onClause = await complete('SELECT 1 FROM shop.orders o JOIN shop.customers c ON c.id = o.|', '|');
    assert.deepEqual(onClause, ['id', 'customer_id', 'total_cents']);
    assert.deepEqual(await complete('INSERT INTO shop.customers (|) VALUES (1, $1)', '|'), ['id', 'email']);
  });

  test('hover shows the column’s type, nullability, comment and connection', async () => {
    const text = 'SELECT c.email FROM shop.customers c;';
    const uri = await client.open(path.join(folder, 'hover.sql'), text);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'c.em'),
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /shop\.customers\.email/);
    assert.match(value, /`text` not null/);
    assert.match(value, /Where receipts go/);
    assert.match(value, /shop-db/);
  });

  test('go to definition opens the generated DDL at the column', async () => {
    const text = 'SELECT o.customer_id FROM shop.orders o;';
    const uri = await client.open(path.join(folder, 'definition.sql'), text);
    const location = await client.connection.sendRequest<Location>('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(text, 'o.cust'),
    });
    assert.equal(location.uri, 'live-schema-ddl:/shop-db/shop/orders.sql');
    const ddl = await client.connection.sendRequest<string>('liveSchema/virtualDocument', { uri: location.uri });
    assert.match(ddl.split('\n')[location.range.start.line] ?? '', /customer_id bigint NOT NULL/);
  });

  test('a severity changed in the settings applies without reopening', async () => {
    const text = 'SELECT nope FROM shop.orders;';
    const uri = await client.open(path.join(folder, 'severity.sql'), text);
    await client.diagnostics(uri, (d) => d[0]?.severity === 1);
    await client.changeSettings({
      ...settings,
      validation: { severity: { 'unknown-column': 'warning' } },
    });
    const [warning] = await client.diagnostics(uri, (d) => d[0]?.severity === 2);
    assert.equal(warning?.code, 'unknown-column');
    await client.changeSettings(settings);
  });

  test('a broken settings value is reported once with its key and the rest keeps working', async () => {
    await client.changeSettings({ ...settings, validation: { maxFileSizeKb: 'lots' } });
    await client.shownMessage(/liveSchema\.validation\.maxFileSizeKb: expected a number of kilobytes, got "lots"/);
    const text = 'SELECT totl FROM shop.orders;';
    const uri = await client.open(path.join(folder, 'after-broken.sql'), text);
    assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length === 1)), ['unknown-column']);
    await client.changeSettings(settings);
  });

  test('with liveCheck on, the database judges what offline analysis lets through, and nothing is executed', async () => {
    await client.changeSettings({ ...settings, validation: { liveCheck: true } });
    const text =
      "SELECT lower(o.id) FROM shop.orders o;\nINSERT INTO shop.customers (id, email) VALUES (99, 'x@example.com');\n";
    const uri = await client.open(path.join(folder, 'live.sql'), text);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    // `lower` exists, not for an integer: only the database knows the overloads.
    assert.deepEqual(codes(diagnostics), ['unknown-function'], JSON.stringify(diagnostics.map((d) => d.message)));
    assert.match(diagnostics[0].message, /function lower\(bigint\) does not exist/);
    assert.equal(diagnostics[0].range.start.line, 0);
    assert.deepEqual(await db.admin('SELECT count(*)::int AS n FROM shop.customers'), [{ n: 0 }]);
    await client.changeSettings(settings);
  });

  test('other documents are checked and completed while a 20,000-statement file is being checked', async () => {
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `SELECT o.total_cents, o.id + ${i} FROM shop.orders o WHERE o.id = ${i};`,
    ).join('\n');
    const bigUri = await client.open(path.join(folder, 'big.sql'), big);
    let bigChecked = false;
    const bigDiagnostics = client.diagnostics(bigUri).then((d) => {
      bigChecked = true;
      return d;
    });
    // Opened after the big file, so its check starts second: it can only finish first if the big
    // check gives the event loop back between statements.
    const smallUri = await client.open(path.join(folder, 'during-big.sql'), 'SELECT totl_cents FROM shop.orders;');
    await client.diagnostics(smallUri, (d) => d.length === 1);
    assert.equal(bigChecked, false, 'the small file waited for the whole big file to be checked');
    const text = 'SELECT o. FROM shop.orders o';
    const uri = await client.open(path.join(folder, 'complete-during-big.sql'), text);
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'o.'),
    });
    assert.ok(list.items.some((i) => i.label === 'total_cents'));
    assert.deepEqual(await bigDiagnostics, []);
  });
});
