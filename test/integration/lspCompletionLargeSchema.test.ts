import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import type { Relation } from '../../server/src/schema/snapshot';
import { TestLanguageClient, VSCODE_CAPABILITIES, positionOf } from '../support/lspClient';
import { snapshotOf, tableOf } from '../support/snapshotBuilders';
import { Random } from '../support/sqlGenerator/random';

const TABLES = 10_000;
const WORDS = ['account', 'audit', 'billing', 'cart', 'customer', 'event', 'invoice', 'order', 'product', 'stock'];

/**
 * 10,000 tables named like an application's (`order_line_4711`), seeded, with a few that need
 * care: names outside the search path (offered qualified) and a mixed-case name (offered quoted).
 */
function generatedTables(random: Random): Relation[] {
  const names = new Set<string>();
  while (names.size < TABLES - 3) names.add(`${random.pick(WORDS)}_${random.pick(WORDS)}_${random.int(0, 99_999)}`);
  return [
    ...[...names].map((name) => tableOf(name, ['id'])),
    tableOf('OrderArchive', ['id']),
    tableOf('ledger_entry', ['id'], { schema: 'accounting' }),
    tableOf('zz_last', ['id']),
  ];
}

/** Whether an editor's fuzzy filter could show `item` for `typed`: its filter text holds the typed characters in order. */
function mayMatch(item: CompletionItem, typed: string): boolean {
  const text = (item.filterText ?? item.label).toLowerCase();
  let at = 0;
  for (const character of typed.toLowerCase()) {
    at = text.indexOf(character, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * With 10,000 tables the language server answers completion with the candidates matching what is
 * typed and marks the list incomplete, so the editor asks again at every keystroke (as VS Code
 * does). Typed character by character, every table (a seeded sample and the awkward ones) shows up
 * by the time its name is typed, and no answer offers what the typed text cannot match.
 */
describe('language server over stdio: completion with 10,000 tables', () => {
  const seed = Number(process.env.COMPLETION_SEED ?? Date.now() % 1_000_000_000);
  const random = new Random(seed);
  const tables = generatedTables(random);
  let folder: string;
  let client: TestLanguageClient;
  let uri: string;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'ls-complete-large-'));
    mkdirSync(path.join(folder, '.live-schema'));
    const snapshot = snapshotOf([...tables], {
      schemas: [
        { name: 'accounting', comment: null },
        { name: 'public', comment: null },
      ],
    });
    snapshot.relations.sort((a, b) => (a.schema + a.name < b.schema + b.name ? -1 : 1));
    writeFileSync(path.join(folder, '.live-schema/schema.json'), JSON.stringify(snapshot));
    client = new TestLanguageClient({ connections: [{ name: 'snap', driver: 'snapshot' }] });
    await client.initialize(folder, VSCODE_CAPABILITIES);
    uri = await client.open(path.join(folder, 'typing.sql'), 'SELECT * FROM ');
    // Checked first: the schema is read (completion waits for a first schema only briefly).
    await client.diagnostics(uri);
  });
  after(async () => {
    await client?.shutdown();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Types `typed` after `FROM ` and asks for completion, as the editor does on a keystroke. */
  async function completeAfter(typed: string): Promise<CompletionList> {
    const text = `SELECT * FROM ${typed}`;
    await client.change(uri, text);
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, text),
    });
    assert.ok(list, `no completion after "${typed}"`);
    return list;
  }

  /** Types `name` one character at a time until the editor's list holds `label`; returns the keystrokes used. */
  async function typeUntilOffered(name: string, label: string): Promise<number> {
    for (let typed = 0; typed <= name.length; typed++) {
      const prefix = name.slice(0, typed);
      const list = await completeAfter(prefix);
      for (const item of list.items) assert.ok(mayMatch(item, prefix), `"${item.label}" offered after "${prefix}"`);
      if (list.items.some((item) => item.label === label)) return typed;
      assert.equal(list.isIncomplete, true, `"${label}" is missing after "${prefix}" from a list said to be complete`);
    }
    assert.fail(`"${label}" was never offered while "${name}" was typed (seed ${seed})`);
  }

  test('nothing typed: a part of the list, marked incomplete', async () => {
    const list = await completeAfter('');
    assert.equal(list.isIncomplete, true);
    assert.ok(list.items.length > 0 && list.items.length < TABLES);
  });

  test(`every table is reached by typing its name (seed ${seed})`, async () => {
    const sample = Array.from({ length: 40 }, () => tables[random.int(0, TABLES - 4)]);
    for (const table of sample) await typeUntilOffered(table.name, table.name);
    assert.ok((await typeUntilOffered('zz_last', 'zz_last')) <= 'zz_last'.length);
  });

  test('a mixed-case name is reached through its quoted form, a table outside the search path qualified', async () => {
    await typeUntilOffered('"OrderArchive', 'OrderArchive');
    await typeUntilOffered('ledger', 'accounting.ledger_entry');
  });

  test('every table starting with the typed text is offered once few enough match', async () => {
    const typed = `${tables[0].name.slice(0, tables[0].name.lastIndexOf('_'))}_1`;
    const expected = tables.filter((t) => t.schema === 'public' && t.name.startsWith(typed)).map((t) => t.name);
    const list = await completeAfter(typed);
    const offered = new Set(list.items.map((item) => item.label));
    assert.ok(expected.length > 0);
    for (const name of expected) assert.ok(offered.has(name), `"${name}" is missing after "${typed}" (seed ${seed})`);
  });
});
