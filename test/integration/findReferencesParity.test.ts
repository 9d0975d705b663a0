/**
 * One workspace index under the editor and MCP: "where is this used?" asked of the language server
 * (Find References at a column, the explorer's references of a table, over stdio as VS Code asks)
 * and of MCP's `find_references` (the built CLI's `mcp` over stdio) on the same project, with the
 * embedded PostgreSQL built from its `schema.sql`, must name the same places in `.sql`, TypeScript,
 * JavaScript and Python files.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Location } from 'vscode-languageserver-protocol';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { startMcp, type McpTestClient } from '../support/mcpClient';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The explorer's "Find References" on the table `orders` of the embedded connection. */
const EXPLORER_ORDERS = { connection: 'embedded', schema: 'public', relation: 'orders' };

interface McpReferences {
  total: number;
  references: { file: string; line: number; column: number }[];
}

describe('find references: the language server and MCP', () => {
  let folder: string;
  let client: TestLanguageClient;
  let mcp: McpTestClient;

  /** `file:line:column`, 1-based, relative to the project: how both answers are compared. */
  const fromLocation = (l: Location) =>
    `${path.relative(folder, fileURLToPath(l.uri)).split(path.sep).join('/')}:${l.range.start.line + 1}:${l.range.start.character + 1}`;
  const fromMcp = (answer: McpReferences) => answer.references.map((r) => `${r.file}:${r.line}:${r.column}`).sort();

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'ls-references-parity-'));
    await cp(path.join(repo, 'test/fixtures/embedded/parity'), folder, { recursive: true });
    const config = path.join(folder, 'live-schema.json');
    await writeFile(config, JSON.stringify({ liveSchema: {} }));
    client = new TestLanguageClient({});
    await client.initialize(folder);
    // Answered once the embedded schema is built and the folder indexed: Find References has a schema then.
    await client.connection.sendRequest('liveSchema/schemaReferences', EXPLORER_ORDERS);
    mcp = await startMcp(folder, config);
  });
  after(async () => {
    await client?.shutdown();
    await mcp?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('a column: the same places from Find References and find_references', async () => {
    const file = path.join(folder, 'queries/report.sql');
    const text = await readFile(file, 'utf8');
    const uri = await client.open(file, text);
    const locations = await client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: positionOf(text, 'SUM(o.tot'),
      context: { includeDeclaration: true },
    });
    const fromEditor = locations.map(fromLocation).sort();
    const answer = await mcp.call<McpReferences>('find_references', { table: 'orders', column: 'total_cents' });
    assert.deepEqual(fromMcp(answer), fromEditor);
    assert.equal(answer.total, fromEditor.length);
    assert.ok(
      fromEditor.some((place) => place.startsWith('queries/report.sql:2:')),
      fromEditor.join('\n'),
    );
  });

  test('a table: the same places from the explorer and find_references, in every host language', async () => {
    const { locations } = await client.connection.sendRequest<{ locations: Location[] }>(
      'liveSchema/schemaReferences',
      EXPLORER_ORDERS,
    );
    const fromEditor = locations.map(fromLocation).sort();
    const answer = await mcp.call<McpReferences>('find_references', { table: 'orders' });
    assert.deepEqual(fromMcp(answer), fromEditor);
    const files = new Set(fromEditor.map((place) => place.split(':')[0]));
    for (const expected of ['queries/report.sql', 'app/orders.ts', 'app/orders.py'])
      assert.ok(files.has(expected), `${expected} in ${[...files].join(', ')}`);
  });
});
