import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, InlayHint, MarkupContent, Range } from 'vscode-languageserver-protocol';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { typeErrors } from '../support/typescriptCheck';

/**
 * Result types in the editor over stdio, on a live PostgreSQL: the hover shows the row a
 * statement returns, and "Add the row type" writes a `pool.query<…>` annotation that the real
 * TypeScript compiler accepts with node-postgres's own types.
 */

const schema = `
CREATE TABLE accounts (
  id integer PRIMARY KEY,
  email text,
  balance numeric(10,2) NOT NULL,
  created_at timestamptz NOT NULL,
  visits bigint NOT NULL
);`;

const host = (query: string) => `import pg from 'pg';

export async function firstAccount(pool: pg.Pool) {
  const result = await pool.query${query}('SELECT id, email, balance, created_at FROM accounts WHERE id = $1', [1]);
  const row = result.rows[0]!;
  const id: number = row.id;
  const email: string | null = row.email;
  const balance: string = row.balance;
  const createdAt: Date = row.created_at;
  return { id, email, balance, createdAt };
}
`;

describe('language server over stdio: result types', () => {
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;

  before(async () => {
    db = await createPostgresDatabase(schema);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-types-'));
    client = new TestLanguageClient({
      connections: [{ name: 'app', driver: 'postgres', ...pgServer, database: db.name }],
      validation: { debounceMs: 10 },
    });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  const actionsAt = async (uri: string, text: string, needle: string): Promise<CodeAction[]> => {
    const position = positionOf(text, needle);
    const range: Range = { start: position, end: position };
    return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [] },
    });
  };

  const apply = (text: string, action: CodeAction, uri: string): string => {
    const edits = action.edit?.changes?.[uri] ?? [];
    return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, text), edits);
  };

  test('hover on a SQL string shows the result row and the parameters', async () => {
    const text = host('');
    const uri = await client.open(path.join(folder, 'hover.ts'), text, 'typescript');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'WHER'),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\| `id` \| int4 \| no \| `number` \|/);
    assert.match(value, /\| `email` \| text \| yes \| `string \| null` \|/);
    assert.match(value, /\| `balance` \| numeric \| no \| `string` \|/);
    assert.match(value, /\| `created_at` \| timestamptz \| no \| `Date` \|/);
    assert.match(value, /`\$1: int4`/);
  });

  test('hover on a Python SQL string shows the row without the Node driver types', async () => {
    const text = 'cur.execute("SELECT id, email FROM accounts WHERE id = %s", (1,))\n';
    const uri = await client.open(path.join(folder, 'hover.py'), text, 'python');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'SEL'),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\| `id` \| int4 \| no \|\n\| `email` \| text \| yes \|/);
    assert.doesNotMatch(value, /driver returns/);
  });

  test('inlay hints are off by default', async () => {
    const text = host('');
    const uri = await client.open(path.join(folder, 'hints-off.ts'), text, 'typescript');
    const hints = await client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    });
    assert.deepEqual(hints, []);
  });

  test('hover on a .sql statement shows its row', async () => {
    const text = 'SELECT count(*) AS n, max(visits) AS most FROM accounts;\n';
    const uri = await client.open(path.join(folder, 'report.sql'), text);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'SEL'),
    });
    const value = (hover.contents as MarkupContent).value;
    // count is never NULL; max over no rows is.
    assert.match(value, /\| `n` \| int8 \| no \| `string` \|/);
    assert.match(value, /\| `most` \| int8 \| yes \| `string \| null` \|/);
  });

  test('"Add the row type" annotates pool.query, and tsc accepts the result with node-postgres types', async () => {
    const text = host('');
    const uri = await client.open(path.join(folder, 'add.ts'), text, 'typescript');
    const actions = await actionsAt(uri, text, 'FROM acc');
    const add = actions.find((a) => a.title === 'Add the row type');
    assert.ok(add, JSON.stringify(actions.map((a) => a.title)));
    const annotated = apply(text, add, uri);
    assert.equal(annotated, host('<{ id: number; email: string | null; balance: string; created_at: Date }>'));
    assert.deepEqual(typeErrors({ 'add.ts': annotated }), []);
    // The annotation is real: treating the nullable email as a string no longer compiles.
    const misuse = annotated.replace('const email: string | null = row.email;', 'const email: string = row.email;');
    assert.match(typeErrors({ 'add.ts': misuse }).join('\n'), /not assignable to type 'string'/);
  });

  test('an annotation that disagrees with the schema is offered an update; a matching one is left alone', async () => {
    const wrong = host('<{ id: string; email: string }>');
    const uri = await client.open(path.join(folder, 'wrong.ts'), wrong, 'typescript');
    const update = (await actionsAt(uri, wrong, 'FROM acc')).find((a) => a.title.startsWith('Update the row type'));
    assert.ok(update);
    assert.equal(
      apply(wrong, update, uri),
      host('<{ id: number; email: string | null; balance: string; created_at: Date }>'),
    );
    const right = host('<{ id: number; email: string | null; balance: string; created_at: Date }>');
    const rightUri = await client.open(path.join(folder, 'right.ts'), right, 'typescript');
    const titles = (await actionsAt(rightUri, right, 'FROM acc')).map((a) => a.title);
    assert.ok(!titles.some((t) => /row type/.test(t)), titles.join(', '));
  });

  test('result-type-mismatch: a disagreeing annotation is a warning with the described type as its quick fix', async () => {
    const wrong = host('<{ id: string; email: string; balance: string; created_at: Date }>');
    const uri = await client.open(path.join(folder, 'mismatch.ts'), wrong, 'typescript');
    const [diagnostic] = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'result-type-mismatch'));
    assert.equal(diagnostic.severity, 2);
    assert.deepEqual(diagnostic.range.start, positionOf(wrong, 'pool.query'));
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix);
    assert.equal(
      apply(wrong, fix, uri),
      host('<{ id: number; email: string | null; balance: string; created_at: Date }>'),
    );
  });

  test('no mismatch for the same type spelled differently, nor for a named type', async () => {
    const reordered = host('<{ created_at: Date, balance: string, email: null | string, id: number }>');
    const named = `type Account = { id: string };\n${host('<Account>')}`;
    for (const [name, text] of [
      ['reordered.ts', reordered],
      ['named.ts', named],
    ] as const) {
      const uri = await client.open(path.join(folder, name), text, 'typescript');
      const diagnostics = await client.diagnostics(uri, () => true);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'result-type-mismatch'),
        [],
        name,
      );
    }
  });
});

describe('language server over stdio: result types offline (embedded schema)', () => {
  let folder: string;
  let client: TestLanguageClient;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'ls-types-offline-'));
    writeFileSync(path.join(folder, 'schema.sql'), schema);
    client = new TestLanguageClient({
      connections: [{ name: 'embedded', driver: 'pglite' }],
      validation: { debounceMs: 10 },
      resultTypes: { inlayHints: true },
    });
    await client.initialize(folder);
    // Editing help answers without a schema while the embedded build runs; these tests are about after.
    await client.connection.sendRequest('liveSchema/schemaTree', { connection: 'embedded' });
  });
  after(async () => {
    await client?.shutdown();
    rmSync(folder, { recursive: true, force: true });
  });

  test('hover and "Add the row type" use what the schema makes certain, unknown for the rest', async () => {
    const text = `import pg from 'pg';
export const load = (pool: pg.Pool) => pool.query('SELECT id, email, visits + 1 AS next FROM accounts');
`;
    const uri = await client.open(path.join(folder, 'offline.ts'), text, 'typescript');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'SEL'),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\| `id` \| int4 \| no \| `number` \|/);
    assert.match(value, /\| `next` \| unknown \| yes \| `unknown` \|/);
    const position = positionOf(text, 'FROM acc');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    const add = actions.find((a) => a.title === 'Add the row type');
    assert.equal(add?.edit?.changes?.[uri]?.[0]?.newText, '<{ id: number; email: string | null; next: unknown }>');
  });

  test('with liveSchema.resultTypes.inlayHints, the row type follows the SQL string', async () => {
    const text =
      "import pg from 'pg';\nexport const load = (pool: pg.Pool) => pool.query('SELECT id, email FROM accounts');\n";
    const uri = await client.open(path.join(folder, 'hints.ts'), text, 'typescript');
    const hints = await client.connection.sendRequest<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
    });
    assert.deepEqual(
      hints.map((h) => [h.position, h.label]),
      [[positionOf(text, "accounts'"), '→ { id: number; email: string | null }']],
    );
  });
});

describe('language server over stdio: result types on MariaDB', () => {
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;

  before(async () => {
    db = await createMysqlDatabase(
      'CREATE TABLE accounts (id int PRIMARY KEY, email text, balance decimal(10,2) NOT NULL, visits bigint NOT NULL);',
    );
    folder = mkdtempSync(path.join(tmpdir(), 'ls-types-mysql-'));
    const { host, port, user } = mysqlServer;
    client = new TestLanguageClient({
      connections: [{ name: 'app', driver: 'mysql', host, port, user, database: db.name }],
      validation: { debounceMs: 10 },
    });
    await client.initialize(folder);
    // A hover before the schema has loaded has nothing to show: wait for the first check.
    const probe = await client.open(path.join(folder, 'probe.sql'), 'SELECT nope FROM accounts', 'sql');
    await client.diagnostics(probe, (d) => d.length > 0);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('hover shows the row with mysql2 types and untyped parameters', async () => {
    const text = "conn.query('SELECT id, email, balance, visits FROM accounts WHERE id = ?', [1]);\n";
    const uri = await client.open(path.join(folder, 'hover.js'), text, 'javascript');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'SEL'),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\| `id` \| INT \| no \| `number` \|/);
    assert.match(value, /\| `email` \| TEXT \| yes \| `string \| null` \|/);
    assert.match(value, /\| `balance` \| DECIMAL \| no \| `string` \|/);
    assert.match(value, /\| `visits` \| BIGINT \| no \| `number` \|/);
    assert.match(value, /`\?1: unknown`/);
  });
});
