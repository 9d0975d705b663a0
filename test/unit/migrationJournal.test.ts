import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { JournalError } from '../../server/src/migrate/journal/entry';
import {
  applyEntry,
  applyMigration,
  listEntries,
  recordMigration,
  rollback,
} from '../../server/src/migrate/journal/migrationJournal';

const work = mkdtempSync(path.join(tmpdir(), 'ls-journal-'));
after(() => rmSync(work, { recursive: true, force: true }));
let projects = 0;

/** A fresh project folder holding the given files. */
async function project(files: Record<string, string>): Promise<string> {
  const root = path.join(work, `p${++projects}`);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

const read = (root: string, file: string) => readFile(path.join(root, file), 'utf8');
const readBytes = (root: string, file: string) => readFile(path.join(root, file));

/** An edit replacing the first occurrence of `from` in `text`. */
function replace(file: string, text: string, from: string, to: string) {
  const start = text.indexOf(from);
  assert.ok(start >= 0, `fixture must contain ${from}`);
  return { file, start, end: start + from.length, originalText: from, newText: to };
}

const kysely = { target: 'kysely', description: 'Migrate orders query to Kysely' };
const SQL = 'pool.query(`SELECT id, total FROM orders WHERE id = ${id}`)';
const BUILDER = "db.selectFrom('orders').select(['id', 'total']).where('id', '=', id).compile()";
const SOURCE = ['// orders — größe €', 'const a = 1;', `const rows = await ${SQL};`, 'export { rows };', ''].join(
  '\r\n',
);

describe('migration journal', () => {
  test('the entry is on disk before the edit lands, with texts and hashes', async () => {
    const root = await project({ 'src/orders.ts': SOURCE });
    const entry = await recordMigration(root, [replace('src/orders.ts', SOURCE, SQL, BUILDER)], kysely);
    assert.equal(await read(root, 'src/orders.ts'), SOURCE, 'recording does not touch the file');
    const onDisk = JSON.parse(await read(root, `.live-schema/journal/${entry.id}.json`)) as Record<string, unknown>;
    assert.equal(onDisk.target, 'kysely');
    const [file] = onDisk.files as { path: string; edits: Record<string, string>[] }[];
    assert.equal(file?.path, 'src/orders.ts');
    assert.equal(file?.edits[0]?.originalText, SQL);
    assert.equal(file?.edits[0]?.newText, BUILDER);
    assert.match(file?.edits[0]?.newHash ?? '', /^[0-9a-f]{64}$/);
    const applied = await applyEntry(root, entry);
    assert.deepEqual(applied, { applied: ['src/orders.ts'], conflicts: [] });
    assert.equal(await read(root, 'src/orders.ts'), SOURCE.replace(SQL, BUILDER));
  });

  test('rollback restores the original bytes (CRLF, multi-byte, BOM), also from a fresh read', async () => {
    const original = `\uFEFF${SOURCE}\r\n// 日本語 🎉\r\n`;
    const root = await project({ 'a.ts': original });
    const before = await readBytes(root, 'a.ts');
    await applyMigration(root, [replace('a.ts', original, SQL, `${BUILDER} // ✓`)], kysely);
    assert.notDeepEqual(await readBytes(root, 'a.ts'), before);
    const result = await rollback(root, 'last');
    assert.deepEqual(result.conflicts, []);
    assert.deepEqual(result.restored, ['a.ts']);
    assert.deepEqual(await readBytes(root, 'a.ts'), before);
  });

  test('an edit inside a migrated range is a conflict with both texts, and no file changes', async () => {
    const other = 'const q = `SELECT 1`;\n';
    const root = await project({ 'a.ts': SOURCE, 'b.ts': other });
    await applyMigration(
      root,
      [replace('a.ts', SOURCE, SQL, BUILDER), replace('b.ts', other, '`SELECT 1`', 'sql`SELECT 1`')],
      kysely,
    );
    const edited = (await read(root, 'a.ts')).replace(".where('id', '=', id)", ".where('id', '>', id)");
    await writeFile(path.join(root, 'a.ts'), edited);
    const b = await read(root, 'b.ts');
    const listed = await listEntries(root);

    const result = await rollback(root, 'last');
    assert.deepEqual(result.restored, []);
    assert.equal(result.conflicts.length, 1);
    const [conflict] = result.conflicts;
    assert.equal(conflict?.file, 'a.ts');
    assert.equal(conflict?.expected, BUILDER);
    assert.equal(conflict?.actual, BUILDER.replace("'='", "'>'"));
    assert.equal(await read(root, 'a.ts'), edited, 'the edited file is not overwritten');
    assert.equal(await read(root, 'b.ts'), b, 'the clean file of the same migration is not rolled back either');
    assert.deepEqual(await listEntries(root), listed, 'a refused rollback is not journaled');
  });

  test('edits before and after the range move it; rollback finds it and keeps the user lines', async () => {
    const root = await project({ 'a.ts': SOURCE });
    await applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
    const migrated = await read(root, 'a.ts');
    const userEdited = `import { db } from './db'; // ñ\r\n${migrated.replace('const a = 1;', 'const a = 2; // changed')}// trailing note\n`;
    await writeFile(path.join(root, 'a.ts'), userEdited);
    const result = await rollback(root, 'last');
    assert.deepEqual(result.conflicts, []);
    assert.equal(await read(root, 'a.ts'), userEdited.replace(BUILDER, SQL));
  });

  test('a migration that only deletes text rolls back by its context', async () => {
    const root = await project({ 'a.ts': SOURCE });
    await applyMigration(root, [replace('a.ts', SOURCE, 'const a = 1;\r\n', '')], kysely);
    await writeFile(path.join(root, 'a.ts'), `// header\n${await read(root, 'a.ts')}`);
    assert.deepEqual((await rollback(root, 'last')).conflicts, []);
    assert.equal(await read(root, 'a.ts'), `// header\n${SOURCE}`);
  });

  test('an entry whose edit never landed (crash after journaling) rolls back without changing the file', async () => {
    const other = 'const q = `SELECT 1`;\n';
    const root = await project({ 'a.ts': SOURCE, 'b.ts': other });
    await applyMigration(root, [replace('a.ts', SOURCE, 'const a = 1;', 'const a = 2;')], kysely);
    // Journaled, then only the first file was written before the crash.
    const entry = await recordMigration(
      root,
      [replace('a.ts', await read(root, 'a.ts'), SQL, BUILDER), replace('b.ts', other, '`SELECT 1`', 'sql`SELECT 1`')],
      kysely,
    );
    await writeFile(path.join(root, 'a.ts'), (await read(root, 'a.ts')).replace(SQL, BUILDER));
    const result = await rollback(root, 'last');
    assert.deepEqual([result.conflicts, result.restored, result.entry?.undoes], [[], ['a.ts'], entry.id]);
    assert.equal(await read(root, 'b.ts'), other);
    await rollback(root, 'last');
    assert.equal(await read(root, 'a.ts'), SOURCE, '"last" moves on to the migration before');
  });

  test('typing on a line the migration rewrote, even outside the range, is a conflict', async () => {
    const root = await project({ 'a.ts': SOURCE });
    await applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
    const renamed = (await read(root, 'a.ts')).replace('const rows = await', 'const result = await');
    await writeFile(path.join(root, 'a.ts'), renamed);
    const result = await rollback(root, 'last');
    assert.deepEqual(
      result.conflicts.map((c) => [c.expected, c.actual]),
      [[`const rows = await ${BUILDER};`, `const result = await ${BUILDER};`]],
    );
    assert.equal(await read(root, 'a.ts'), renamed);
  });

  test('a migrated text that now occurs twice is ambiguous: a conflict, nothing changed', async () => {
    const text = 'x(`SELECT a FROM t`);\n';
    const root = await project({ 'a.ts': text });
    await applyMigration(root, [replace('a.ts', text, '`SELECT a FROM t`', "db.selectFrom('t').select('a')")], kysely);
    const copied = `y(db.selectFrom('t').select('a'));\n${(await read(root, 'a.ts')).replace('x(', 'z(')}`;
    await writeFile(path.join(root, 'a.ts'), copied);
    const result = await rollback(root, 'last');
    assert.equal(result.conflicts[0]?.reason, 'ambiguous');
    assert.equal(await read(root, 'a.ts'), copied);
  });

  test('a rollback can itself be rolled back, and states follow', async () => {
    const root = await project({ 'a.ts': SOURCE });
    const { entry } = await applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
    const undo = await rollback(root, entry.id);
    assert.equal(await read(root, 'a.ts'), SOURCE);
    await assert.rejects(rollback(root, entry.id), /already rolled back/);
    await assert.rejects(rollback(root, 'last'), /no applied migration/);
    const redo = await rollback(root, undo.entry?.id ?? '');
    assert.deepEqual(redo.conflicts, []);
    assert.equal(await read(root, 'a.ts'), SOURCE.replace(SQL, BUILDER));
    assert.deepEqual(
      (await listEntries(root)).map((e) => [e.kind, e.state.state]),
      [
        ['migration', 'applied'],
        ['rollback', 'rolled back'],
        ['rollback', 'applied'],
      ],
    );
    await rollback(root, 'last');
    assert.equal(await read(root, 'a.ts'), SOURCE);
  });

  test('applying an entry whose original text changed is refused and the entry dropped', async () => {
    const root = await project({ 'a.ts': SOURCE });
    const entry = await recordMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
    const changed = SOURCE.replace('orders WHERE', 'orders o WHERE');
    await writeFile(path.join(root, 'a.ts'), changed);
    const result = await applyEntry(root, entry);
    assert.equal(result.conflicts[0]?.expected, SQL);
    assert.equal(await read(root, 'a.ts'), changed);
    await assert.rejects(
      applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely),
      /no longer the expected original/,
    );
  });

  test('two migrations journaled at once never overwrite each other', async () => {
    const root = await project({ 'a.ts': SOURCE });
    const edit = replace('a.ts', SOURCE, SQL, BUILDER);
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => recordMigration(root, [edit], kysely)));
    const recorded = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
    for (const o of outcomes) if (o.status === 'rejected') assert.match(String(o.reason), /same time/);
    assert.deepEqual((await listEntries(root)).map((e) => e.id).sort(), recorded.sort());
  });

  for (const [name, corrupt] of [
    ['not JSON', (_text: string) => '{ "version": 1, '],
    ['hand-edited new text', (text: string) => text.replace("select(['id', 'total'])", "select(['id'])")],
    ['a path outside the project', (text: string) => text.replace('"path": "a.ts"', '"path": "../a.ts"')],
  ] as const) {
    test(`a corrupt journal entry (${name}) is named and nothing is applied`, async () => {
      const root = await project({ 'a.ts': SOURCE });
      const { entry } = await applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
      const file = path.join(root, '.live-schema', 'journal', `${entry.id}.json`);
      await writeFile(file, corrupt(await readFile(file, 'utf8')));
      const migrated = await read(root, 'a.ts');
      for (const attempt of [() => rollback(root, 'last'), () => listEntries(root)])
        await assert.rejects(attempt, (error: unknown) => {
          assert.ok(error instanceof JournalError);
          assert.ok(error.message.includes(path.join('.live-schema', 'journal', `${entry.id}.json`)), error.message);
          return true;
        });
      assert.equal(await read(root, 'a.ts'), migrated);
      assert.deepEqual(await readdir(path.dirname(file)), [`${entry.id}.json`]);
    });
  }
});

describe('live-schema rollback', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'rollback', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  test('exit 0 restores, 1 reports a conflict with both texts, 2 on journal errors', async () => {
    const root = await project({ 'a.ts': SOURCE });
    await applyMigration(root, [replace('a.ts', SOURCE, SQL, BUILDER)], kysely);
    await writeFile(path.join(root, 'a.ts'), (await read(root, 'a.ts')).replace('.compile()', '.execute()'));
    const conflict = await cli(['--last', '--root', root]);
    assert.equal(conflict.code, 1);
    assert.ok(conflict.stdout.includes(BUILDER) && conflict.stdout.includes(BUILDER.replace('compile', 'execute')));

    await writeFile(path.join(root, 'a.ts'), SOURCE.replace(SQL, BUILDER));
    const restored = await cli(['--root', root]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(await read(root, 'a.ts'), SOURCE);

    const nothing = await cli(['--last', '--root', root]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /no applied migration/);
  });
});
