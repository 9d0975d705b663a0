/**
 * Migrations through a real stdio LSP connection against the real PostgreSQL: the "Migrate to
 * Kysely" action appears on a SQL string, its command journals and applies the edit, the migrated
 * file still returns the same rows when run, rollback restores the original text exactly — also
 * after the document was saved and closed — and a range edited since is reported, never overwritten.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol';
import {
  GenerateSchemaModule,
  GetMigrationDiff,
  GetMigrations,
  Migrate,
  RollBackMigration,
} from '../../server/src/protocol/customMessages';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';

const schema = `
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL, name text);
INSERT INTO customers VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', NULL), (3, 'cy@example.com', 'Cy');`;

const original = [
  "import { pool } from './pool';",
  '',
  'export async function customerEmails(minId: number) {',
  "  const { rows } = await pool.query('select id, email from customers where id >= $1 order by id', [minId]);",
  '  return rows;',
  '}',
  '',
  'export async function ranked() {',
  "  const { rows } = await pool.query('select id, rank() over (order by id) as r from customers');",
  '  return rows;',
  '}',
  '',
].join('\n');

const journalFiles = (folder: string): string[] => {
  try {
    return readdirSync(path.join(folder, '.live-schema', 'journal'));
  } catch {
    return [];
  }
};

describe('migrations over stdio LSP on the real PostgreSQL', () => {
  let db: TestDatabase;
  let client: TestLanguageClient;
  let folder: string;
  let file: string;
  let modules = 0;

  before(async () => {
    db = await createPostgresDatabase(schema);
    // Inside the project's node_modules so the migrated module resolves `pg` and `kysely` when run.
    mkdirSync('node_modules/.cache', { recursive: true });
    folder = mkdtempSync(path.resolve('node_modules/.cache/ls-migrate-'));
    const connection = { ...pgServer, database: db.name };
    writeFileSync(
      path.join(folder, 'pool.ts'),
      `import pg from 'pg';\nexport const pool = new pg.Pool(${JSON.stringify(connection)});\n`,
    );
    writeFileSync(
      path.join(folder, 'db.ts'),
      "import { Kysely, PostgresDialect } from 'kysely';\nimport { pool } from './pool';\n" +
        'export const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });\n',
    );
    mkdirSync(path.join(folder, 'runs'));
    writeFileSync(path.join(folder, '.gitignore'), 'runs/\n');
    file = path.join(folder, 'orders.ts');
    writeFileSync(file, original);
    client = new TestLanguageClient({
      connections: [{ name: 'app', driver: 'postgres', ...connection }],
      migrations: { target: 'kysely', builderImport: './db' },
    });
    await client.initialize(folder);
  });
  after(async () => {
    await client?.shutdown();
    const { pool } = (await import(pathToFileURL(path.join(folder, 'pool.ts')).href)) as {
      pool: { end(): Promise<void> };
    };
    await pool.end();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Runs `customerEmails(2)` of a version of the file, saved under a fresh name (git-ignored: no migration sees it). */
  async function rowsOf(text: string): Promise<unknown[]> {
    const module = path.join(folder, 'runs', `run${++modules}.ts`);
    writeFileSync(module, text.replaceAll("from './", "from '../"));
    const loaded = (await import(pathToFileURL(module).href)) as { customerEmails(minId: number): Promise<unknown[]> };
    return loaded.customerEmails(2);
  }

  async function actionsAt(uri: string, text: string, needle: string): Promise<CodeAction[]> {
    const position = positionOf(text, needle, true);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    return (actions ?? []).filter((a): a is CodeAction => typeof a.command !== 'string');
  }

  async function migrateAt(uri: string, text: string, needle: string): Promise<void> {
    const action = (await actionsAt(uri, text, needle)).find((a) => a.title === 'Migrate to Kysely');
    assert.ok(action?.command, 'the Migrate to Kysely action is offered');
    const command = action.command;
    await client.connection.sendRequest('workspace/executeCommand', {
      command: command.command,
      arguments: command.arguments,
    });
  }

  test('the action appears, the edit applies, the code still returns the same rows, rollback restores the text', async () => {
    const uri = await client.open(file, original, 'typescript');
    const expectedRows = await rowsOf(original);
    assert.equal(expectedRows.length, 2);

    await migrateAt(uri, original, 'select id, email');
    const migrated = client.texts.get(uri)!;
    assert.notEqual(migrated, original);
    assert.match(migrated, /^import \{ db \} from '\.\/db';$/m);
    assert.match(migrated, /\.selectFrom\('customers'\)/);
    assert.match(migrated, /pool\.query\(compiledQuery\.sql, \[\.\.\.compiledQuery\.parameters\]\)/);
    assert.ok(migrated.includes("pool.query('select id, rank() over"), 'the other query is left alone');
    assert.equal(journalFiles(folder).length, 1, 'journaled');
    assert.deepEqual(await rowsOf(migrated), expectedRows, 'the migrated call returns the same rows');

    const { entries } = await client.connection.sendRequest(GetMigrations.type);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].state, 'applied');
    assert.deepEqual(
      entries[0].files.map((f) => f.uri),
      [uri],
    );

    const rolledBack = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.equal(rolledBack.id, entries[0].id);
    assert.deepEqual(rolledBack.conflicts, []);
    assert.equal(client.texts.get(uri), original, 'the original text, to the character');
    const after = await client.connection.sendRequest(GetMigrations.type);
    assert.deepEqual(
      after.entries.map((e) => [e.kind, e.state]),
      [
        ['rollback', 'applied'],
        ['migration', 'rolled back'],
      ],
    );
    await client.close(uri);
  });

  test('what cannot be converted faithfully is offered disabled, with the reason', async () => {
    const uri = await client.open(file, original, 'typescript');
    const actions = await actionsAt(uri, original, 'select id, rank()');
    const migrate = actions.find((a) => a.title === 'Migrate to Kysely');
    assert.ok(migrate?.disabled, JSON.stringify(actions));
    assert.match(migrate.disabled.reason, /window/i);
    assert.equal(migrate.command, undefined);
    const message = "console.log('select the best option from the list');\n";
    const other = await client.open(path.join(folder, 'messages.ts'), message, 'typescript');
    assert.deepEqual(await actionsAt(other, message, 'select the best'), [], 'a message for people is not SQL');
    await client.close(other);
    await client.close(uri);
  });

  test('a range edited since the migration is a conflict: reported with both texts, the edit stays', async () => {
    const uri = await client.open(file, original, 'typescript');
    await migrateAt(uri, original, 'select id, email');
    const migrated = client.texts.get(uri)!;
    const edited = migrated
      .replace(".orderBy('id')", ".orderBy('email')")
      .replace('return rows;', 'return rows; // mine');
    assert.notEqual(edited, migrated);
    await client.change(uri, edited);

    const result = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.ok(result.conflicts.length > 0, 'the conflict is reported');
    assert.match(result.conflicts[0].message, /orderBy\('id'\)/);
    assert.match(result.conflicts[0].message, /orderBy\('email'\)/);
    assert.equal(client.texts.get(uri), edited, 'nothing the user wrote is overwritten');

    // The user puts the line back; now the rollback goes through and keeps the edit elsewhere.
    await client.change(uri, migrated.replace('return rows;', 'return rows; // mine'));
    const retried = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.deepEqual(retried.conflicts, []);
    assert.equal(client.texts.get(uri), original.replace('return rows;', 'return rows; // mine'));
    await client.close(uri);
  });

  test('rollback after the migrated file was saved and closed restores the file on disk', async () => {
    writeFileSync(file, original);
    const uri = await client.open(file, original, 'typescript');
    await migrateAt(uri, original, 'select id, email');
    writeFileSync(file, client.texts.get(uri)!);
    await client.close(uri);

    const result = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.deepEqual(result.conflicts, []);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  test("the Migrations view's diff: the file before the migration beside the file as it is now", async () => {
    writeFileSync(file, original);
    const uri = await client.open(file, original, 'typescript');
    await migrateAt(uri, original, 'select id, email');
    const migrated = client.texts.get(uri)!;
    assert.notEqual(migrated, original);
    const [entry] = (await client.connection.sendRequest(GetMigrations.type)).entries;
    assert.deepEqual(
      entry.files.map((f) => f.uri),
      [uri],
    );
    assert.deepEqual(await client.connection.sendRequest(GetMigrationDiff.type, { id: entry.id, uri }), {
      original,
      migrated,
    });

    // Edited elsewhere since: the diff still shows just the migration, on today's text.
    const comment = '// edited after the migration\n';
    await client.change(uri, migrated + comment);
    assert.deepEqual(await client.connection.sendRequest(GetMigrationDiff.type, { id: entry.id, uri }), {
      original: original + comment,
      migrated: migrated + comment,
    });
    assert.equal(await client.connection.sendRequest(GetMigrationDiff.type, { id: 'no-such-entry', uri }), null);

    assert.deepEqual((await client.connection.sendRequest(RollBackMigration.type, {})).conflicts, []);
    assert.equal(client.texts.get(uri), original + comment);
    await client.close(uri);
  });

  test('Migrate on a folder: previewed with a confirmation annotation; a cancelled preview leaves no journal entry', async () => {
    writeFileSync(file, original);
    const before = journalFiles(folder).length;
    client.refuseEdits = true;
    const cancelled = await client.connection.sendRequest(Migrate.type, {
      uris: [pathToFileURL(folder).href],
      preview: true,
    });
    client.refuseEdits = false;
    assert.match(cancelled.failure ?? '', /cancelled/);
    assert.equal(journalFiles(folder).length, before, 'no entry for an edit that never landed');
    const annotated = client.appliedEdits.at(-1)!.edit;
    assert.equal(Object.values(annotated.changeAnnotations ?? {})[0]?.needsConfirmation, true);
    assert.equal(readFileSync(file, 'utf8'), original);

    const applied = await client.connection.sendRequest(Migrate.type, {
      uris: [pathToFileURL(folder).href],
      preview: true,
    });
    assert.equal(applied.migrated, 1);
    assert.ok(applied.refused.some((r) => /window/i.test(r.reason) && r.uri.endsWith('/orders.ts')));
    assert.match(readFileSync(file, 'utf8'), /\.selectFrom\('customers'\)/);
    assert.equal(journalFiles(folder).length, before + 1);
    const undone = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.deepEqual(undone.conflicts, []);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  test('a hard-coded table name becomes a reference into the generated schema module, journaled and undoable', async () => {
    const names = "export const CUSTOMERS_TABLE = 'customers';\n";
    const uri = await client.open(path.join(folder, 'names.ts'), names, 'typescript');
    const findAction = async () =>
      (await actionsAt(uri, names, "customers'")).find((a) => a.title.startsWith('Use the schema module'));
    const beforeModule = await findAction();
    assert.match(beforeModule?.disabled?.reason ?? '', /Generate Schema Module/);

    const { uri: moduleUri } = await client.connection.sendRequest(GenerateSchemaModule.type, {
      connection: 'app',
      language: 'typescript',
    });
    assert.equal(moduleUri, pathToFileURL(path.join(folder, 'src/db/schema.ts')).href);
    assert.match(readFileSync(path.join(folder, 'src/db/schema.ts'), 'utf8'), /customers: \{ name: 'customers'/);

    const action = await findAction();
    assert.equal(action?.title, 'Use the schema module: tables.customers.name');
    await client.connection.sendRequest('workspace/executeCommand', {
      command: action.command!.command,
      arguments: action.command!.arguments,
    });
    assert.equal(
      client.texts.get(uri),
      "import { tables } from './src/db/schema';\nexport const CUSTOMERS_TABLE = tables.customers.name;\n",
    );
    const undone = await client.connection.sendRequest(RollBackMigration.type, {});
    assert.deepEqual(undone.conflicts, []);
    assert.equal(client.texts.get(uri), names);
    await client.close(uri);
  });

  test('no journal, no edit: when the journal cannot be written the migration is refused with a message', async () => {
    const journal = path.join(folder, '.live-schema', 'journal');
    renameSync(journal, `${journal}.moved`);
    writeFileSync(journal, 'not a folder');
    try {
      const uri = await client.open(file, original, 'typescript');
      await migrateAt(uri, original, 'select id, email');
      assert.match(await client.shownMessage(/not migrated/), /journal/);
      assert.equal(client.texts.get(uri), original, 'the document is unchanged');
      await client.close(uri);
    } finally {
      rmSync(journal);
      renameSync(`${journal}.moved`, journal);
    }
  });
});
