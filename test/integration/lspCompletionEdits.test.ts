import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient, VSCODE_CAPABILITIES } from '../support/lspClient';

/** Accepting `item` as an editor does (LSP 3.17): its own edit, else the list's range with its text. */
function accept(text: string, list: CompletionList, item: CompletionItem): string {
  const document = TextDocument.create('file:///x.sql', 'sql', 1, text);
  const ownEdit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
  const defaultRange = list.itemDefaults?.editRange as Range | undefined;
  const range = ownEdit?.range ?? defaultRange;
  assert.ok(range, `no edit range for ${item.label}`);
  const newText = ownEdit?.newText ?? item.textEditText ?? item.insertText ?? item.label;
  return TextDocument.applyEdits(document, [{ range, newText }]);
}

/**
 * Accepting a completion inserts the right text, quoted where the name needs it, whether the
 * client takes one edit range for the whole list (VS Code) or needs one per item.
 */
describe('language server over stdio: what accepting a completion inserts', () => {
  let db: TestDatabase;
  let folder: string;

  before(async () => {
    db = await createPostgresDatabase(
      'CREATE TABLE orders (id bigint PRIMARY KEY, "Total Cents" integer); CREATE TABLE "Order Items" (id bigint);',
    );
    folder = mkdtempSync(path.join(tmpdir(), 'ls-complete-'));
  });
  after(async () => {
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  for (const [shape, capabilities] of [
    ['one edit range for the list (VS Code)', VSCODE_CAPABILITIES],
    ['an edit per item (a basic client)', {}],
  ] as const) {
    test(shape, async () => {
      const client = new TestLanguageClient({
        connections: [{ name: 'app', driver: 'postgres', ...pgServer, database: db.name }],
      });
      try {
        await client.initialize(folder, capabilities);
        const complete = async (text: string, marker: string) => {
          const uri = await client.open(path.join(folder, `c${Math.random().toString(36).slice(2)}.sql`), text);
          // Checked first: the schema is there (completion waits for a first discovery only briefly).
          await client.diagnostics(uri);
          const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
            textDocument: { uri },
            position: positionOf(text, marker),
          });
          await client.close(uri);
          return list;
        };
        const pick = (list: CompletionList, label: string) => {
          const item = list.items.find((i) => i.label === label);
          assert.ok(item, `"${label}" offered among ${list.items.map((i) => i.label).join(', ')}`);
          return item;
        };

        const afterFrom = 'SELECT * FROM Ord';
        const tables = await complete(afterFrom, 'FROM Ord');
        assert.equal(tables.isIncomplete, false);
        assert.equal(accept(afterFrom, tables, pick(tables, 'Order Items')), 'SELECT * FROM "Order Items"');
        assert.equal(accept(afterFrom, tables, pick(tables, 'orders')), 'SELECT * FROM orders');

        const afterDot = 'SELECT o.to FROM orders o';
        const columns = await complete(afterDot, 'o.to');
        assert.equal(accept(afterDot, columns, pick(columns, 'Total Cents')), 'SELECT o."Total Cents" FROM orders o');
        assert.equal(accept(afterDot, columns, pick(columns, 'id')), 'SELECT o.id FROM orders o');
        if (capabilities === VSCODE_CAPABILITIES)
          assert.ok(
            columns.items.every((i) => i.textEdit === undefined),
            'no item repeats the shared range',
          );
      } finally {
        await client.shutdown();
      }
    });
  }
});
