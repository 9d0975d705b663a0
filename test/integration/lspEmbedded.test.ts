import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';

const schema = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total_cents integer NOT NULL DEFAULT 0);
COMMENT ON COLUMN orders.total_cents IS 'Order total in cents';`;

const typescript = [
  "import { Pool } from 'pg';",
  'const pool = new Pool();',
  "const label = 'Café ☕ — select a file';",
  'export async function totals(customerId: number) {',
  '  const { rows } = await pool.query(',
  "    'SELECT o.totl_cents FROM orders o WHERE o.customer_id = $1',",
  '    [customerId],',
  '  );',
  '  return rows;',
  '}',
  'export const ok = (id: number) => pool.query(`SELECT total_cents FROM orders WHERE id = ${id}`);',
  "console.log('select the best option from the list');",
  '',
].join('\n');

const python = [
  'import psycopg',
  '',
  'def totals(conn, customer_id):',
  '    with conn.cursor() as cur:',
  '        cur.execute(',
  '            "SELECT totl_cents "',
  '            "FROM orders WHERE customer_id = %s",',
  '            (customer_id,),',
  '        )',
  '        return cur.fetchall()',
  '',
].join('\r\n');

const sqlErrors = (d: Diagnostic[]) => d.filter((x) => x.severity === 1);

describe('language server over stdio: SQL inside TypeScript and Python against the real PostgreSQL', () => {
  let db: TestDatabase;
  let client: TestLanguageClient;
  let folder: string;

  before(async () => {
    db = await createPostgresDatabase(schema);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-embedded-'));
    client = new TestLanguageClient({
      connections: [{ name: 'app', driver: 'postgres', ...pgServer, database: db.name }],
    });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('TypeScript: the error lands on the exact characters inside the string; valid SQL and log messages get none', async () => {
    const uri = await client.open(path.join(folder, 'orders.ts'), typescript, 'typescript');
    const diagnostics = await client.diagnostics(uri, (d) => sqlErrors(d).length > 0);
    const errors = sqlErrors(diagnostics);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]?.code, 'unknown-column');
    assert.deepEqual(errors[0]?.range, {
      start: positionOf(typescript, 'totl_cents', true),
      end: positionOf(typescript, 'totl_cents'),
    });
    assert.ok(!diagnostics.some((d) => d.range.start.line === 11), 'the log message is not SQL');
  });

  test('Python: implicit concatenation and CRLF still map to the exact characters', async () => {
    const uri = await client.open(path.join(folder, 'orders.py'), python, 'python');
    const errors = sqlErrors(await client.diagnostics(uri, (d) => sqlErrors(d).length > 0));
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const lines = python.split('\r\n');
    const line = lines.findIndex((l) => l.includes('totl_cents'));
    assert.deepEqual(errors[0]?.range.start, { line, character: lines[line].indexOf('totl_cents') });
  });

  test('completion and hover work inside a SQL string', async () => {
    const text = "const q = pool.query('SELECT o. FROM orders o');\n";
    const uri = await client.open(path.join(folder, 'complete.ts'), text, 'typescript');
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'o.'),
    });
    assert.deepEqual(
      list.items.map((i) => i.label),
      ['id', 'customer_id', 'total_cents'],
    );

    const hoverText = "pool.query('SELECT total_cents FROM orders');\n";
    const hoverUri = await client.open(path.join(folder, 'hover.ts'), hoverText, 'typescript');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri: hoverUri },
      position: positionOf(hoverText, 'total_c'),
    });
    assert.match((hover.contents as { value: string }).value, /Order total in cents/);
  });
});
