import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { TestLanguageClient } from '../support/lspClient';

interface TreeResult {
  status: { state: string };
  schemas: { name: string; relations: { name: string }[] }[];
}

/**
 * A folder whose schema files hang the embedded database: the extension activates on
 * `workspaceContains:schema.sql`, so opening it must not freeze the language server.
 */
describe('language server over stdio: the embedded build from a hostile schema file', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ls-hostile-'));
  let client: TestLanguageClient;

  before(async () => {
    mkdirSync(path.join(root, 'db'));
    writeFileSync(path.join(root, 'schema.sql'), 'CREATE TABLE kept (id int PRIMARY KEY, name text);');
    writeFileSync(path.join(root, 'db/loop.sql'), 'DO $$ BEGIN LOOP END LOOP; END $$;');
    client = new TestLanguageClient({});
    await client.initialize(root);
  });
  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  test('a completion request is answered within 1 s while the build runs, and the build ends without the file', async () => {
    const uri = await client.open(path.join(root, 'query.sql'), 'SELECT * FROM ');
    const tree = client.connection.sendRequest<TreeResult | null>('liveSchema/schemaTree', { connection: 'embedded' });
    const asked = performance.now();
    const complete = () =>
      client.connection.sendRequest<CompletionList | null>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 0, character: 14 },
      });
    await complete();
    assert.ok(performance.now() - asked < 1_000, `completion took ${Math.round(performance.now() - asked)} ms`);
    const built = await tree;
    assert.equal(built?.status.state, 'connected');
    assert.deepEqual(
      built?.schemas.flatMap((s) => s.relations.map((r) => r.name)),
      ['kept'],
    );
    assert.ok((await complete())?.items.some((item) => item.label === 'kept'));
  });
});
