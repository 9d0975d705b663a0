import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Location } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';

const files: Record<string, string> = {
  'queries/report.sql': 'SELECT o.total_cents FROM orders o;\n',
  'src/orders.ts': "export const sum = (pool: any) => pool.query('SELECT sum(total_cents) FROM orders');\n",
  'src/jobs.py': 'def totals(cur):\n    cur.execute("SELECT total_cents FROM orders WHERE id = %s", (1,))\n',
  'node_modules/lib/x.sql': 'SELECT total_cents FROM orders;\n',
};

describe('language server over stdio: the workspace index', () => {
  let db: TestDatabase;
  let client: TestLanguageClient;
  let folder: string;

  before(async () => {
    db = await createPostgresDatabase(`CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer NOT NULL);
      COMMENT ON COLUMN orders.total_cents IS 'Order total, tax included';`);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-index-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), text);
    }
    client = new TestLanguageClient({
      connections: [{ name: 'app', driver: 'postgres', ...pgServer, database: db.name }],
      search: { synonyms: { revenue: ['total_cents'] } },
    });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the first discovery and the workspace indexing show progress, and both end', async () => {
    // Answered once the index is built, so both have begun by now.
    await client.connection.sendRequest('liveSchema/schemaReferences', {
      connection: 'app',
      schema: 'public',
      relation: 'orders',
    });
    const progress = [...client.progress.values()];
    assert.deepEqual(
      progress.map((p) => p.title),
      ['Live Schema: discovering the schema of app', 'Live Schema: indexing the workspace'],
    );
    assert.ok(
      progress.every((p) => p.ended),
      JSON.stringify(progress),
    );
  });

  test('find references of a column lists every use in .sql files and code, not node_modules', async () => {
    const text = files['queries/report.sql'];
    const uri = await client.open(path.join(folder, 'queries/report.sql'), text);
    const locations = await client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: positionOf(text, 'o.tot'),
      context: { includeDeclaration: true },
    });
    const where = locations
      .map((l) => `${path.relative(folder, new URL(l.uri).pathname)}:${l.range.start.line}:${l.range.start.character}`)
      .sort();
    const expected = ['queries/report.sql', 'src/jobs.py', 'src/orders.ts'].map((name) => {
      const at = positionOf(files[name], 'total_cents', true);
      return `${name}:${at.line}:${at.character}`;
    });
    assert.deepEqual(where, expected);
  });

  test('the explorer’s Find References and the Static Dependencies view come from the same index', async () => {
    const refs = await client.connection.sendRequest<{ locations: Location[] }>('liveSchema/schemaReferences', {
      connection: 'app',
      schema: 'public',
      relation: 'orders',
    });
    assert.equal(refs.locations.length, 3);
    const deps = await client.connection.sendRequest<{ dependencies: { code: string; uri: string }[] }>(
      'liveSchema/staticDependencies',
    );
    assert.ok(
      deps.dependencies.some(
        (d) => d.code === 'sql-template' && d.uri === pathToFileURL(path.join(folder, 'src/orders.ts')).href,
      ),
    );
  });

  test('an edit in the editor updates the index', async () => {
    const file = path.join(folder, 'src/orders.ts');
    const uri = await client.open(file, files['src/orders.ts'], 'typescript');
    const usesOrdersTs = async () => {
      const refs = await client.connection.sendRequest<{ locations: Location[] }>('liveSchema/schemaReferences', {
        connection: 'app',
        schema: 'public',
        relation: 'orders',
      });
      return refs.locations.some((l) => l.uri.endsWith('orders.ts'));
    };
    assert.equal(await usesOrdersTs(), true);
    await client.change(uri, 'export const none = 1;\n');
    // Other files opened earlier may report their own updates first: check after each one.
    let stillUsed = true;
    for (let updates = 0; updates < 5 && stillUsed; updates++) {
      await client.notification('liveSchema/staticDependenciesChanged');
      stillUsed = await usesOrdersTs();
    }
    assert.equal(stillUsed, false);
  });

  test('Scan Workspace reports the files indexed', async () => {
    const result = await client.connection.sendRequest<{ files: number; dependencies: number }>(
      'liveSchema/scanWorkspace',
    );
    assert.equal(result.files, 3);
  });

  test('Find Schema Element finds a column through its comment and through a synonym', async () => {
    type Result = { matches: { relation: string; column: string | null; reason: string }[] };
    const byComment = await client.connection.sendRequest<Result>('liveSchema/findSchemaElement', { query: 'tax' });
    assert.equal(byComment.matches[0]?.column, 'total_cents');
    const bySynonym = await client.connection.sendRequest<Result>('liveSchema/findSchemaElement', { query: 'revenue' });
    assert.equal(bySynonym.matches[0]?.column, 'total_cents');
    assert.match(bySynonym.matches[0]?.reason ?? '', /synonym/);
  });
});
