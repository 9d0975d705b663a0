import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ServerCommands } from '../../server/src/features/executeCommand';
import { ClearCache, GenerateSchemaModule, RefreshSchema } from '../../server/src/protocol/customMessages';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';

const BOUND_MS = 60_000;
const schema = 'CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer NOT NULL);';
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

/** What the README promises about settings and commands, as VS Code drives the server. */
describe('language server over stdio: README promises on settings and commands', () => {
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;
  const connections = () => [{ name: 'app', driver: 'postgres', ...pgServer, database: db.name }];

  before(async () => {
    db = await createPostgresDatabase(schema);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-promises-'));
    client = new TestLanguageClient({ connections: connections() });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test(
    'validation.enable: false shows nothing; turned back on, the findings return',
    { timeout: BOUND_MS },
    async () => {
      const uri = await client.open(path.join(folder, 'off.sql'), 'SELECT totl_cents FROM orders;\n');
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unknown-column']);
      await client.changeSettings({ connections: connections(), validation: { enable: false } });
      assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
      await client.changeSettings({ connections: connections() });
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unknown-column']);
      await client.close(uri);
    },
  );

  test(
    'Check This File checks a file over maxFileSizeKb, which is otherwise only marked not-checked',
    { timeout: BOUND_MS },
    async () => {
      await client.changeSettings({ connections: connections(), validation: { maxFileSizeKb: 1 } });
      const big = `${'-- padding\n'.repeat(200)}SELECT totl_cents FROM orders;\n`;
      const uri = await client.open(path.join(folder, 'big.sql'), big);
      // Once the new limit is read, the file is re-checked and marked.
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.some((x) => x.code === 'not-checked'))), [
        'not-checked',
      ]);
      await client.connection.sendRequest('workspace/executeCommand', {
        command: ServerCommands.checkFile,
        arguments: [uri],
      });
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.some((x) => x.code !== 'not-checked'))), [
        'unknown-column',
      ]);
      await client.close(uri);
      await client.changeSettings({ connections: connections() });
    },
  );

  test(
    'Python: # live-schema-ignore-next-line silences the SQL on the next line only',
    { timeout: BOUND_MS },
    async () => {
      const python = [
        'def totals(cur):',
        '    # live-schema-ignore-next-line',
        '    cur.execute("SELECT totl_cents FROM orders")',
        '    cur.execute("SELECT totl_cents FROM orders")',
        '',
      ].join('\n');
      const uri = await client.open(path.join(folder, 'totals.py'), python, 'python');
      const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'unknown-column'));
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'unknown-column').map((d) => d.range.start.line),
        [3],
      );
      await client.close(uri);
    },
  );

  test(
    'migrations.regenerateSchemaModule rewrites the generated module when the schema changes',
    { timeout: BOUND_MS },
    async () => {
      await client.changeSettings({ connections: connections(), migrations: { regenerateSchemaModule: true } });
      const { uri } = await client.connection.sendRequest(GenerateSchemaModule.type, {
        connection: 'app',
        language: 'typescript',
      });
      const file = new URL(uri);
      assert.doesNotMatch(readFileSync(file, 'utf8'), /discount_cents/);
      const regenerated = client.notification<{ message: string }>('window/logMessage', (p) =>
        /Regenerated .*after the schema change/.test(p.message),
      );
      await db.admin('ALTER TABLE orders ADD COLUMN discount_cents integer');
      await client.connection.sendRequest(RefreshSchema.type, { connection: 'app' });
      await regenerated;
      assert.match(readFileSync(file, 'utf8'), /discount_cents: number \| null;/);
    },
  );

  test(
    'Clear Cache drops the snapshot and discovers again: a column added since is known',
    { timeout: BOUND_MS },
    async () => {
      const uri = await client.open(path.join(folder, 'cleared.sql'), 'SELECT shipped_at FROM orders;\n');
      assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unknown-column']);
      await db.admin('ALTER TABLE orders ADD COLUMN shipped_at timestamptz');
      await client.connection.sendRequest(ClearCache.type, { connection: 'app' });
      assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
      await client.close(uri);
    },
  );
});
