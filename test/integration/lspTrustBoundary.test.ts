/**
 * The language server never reads or writes outside the workspace for the repository (issue 18,
 * item 4): a real stdio LSP connection on a temporary workspace folder whose symlinks and forged
 * journal point into a temporary "outside" folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ExportSnapshot, RollBackMigration } from '../../server/src/protocol/customMessages';
import { TestLanguageClient } from '../support/lspClient';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const BOUND_MS = 60_000;
let scratch: string;
let folder: string;
let outside: string;
let client: TestLanguageClient;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  scratch = await mkdtemp(path.join(tmpdir(), 'ls-lsp-paths-'));
  folder = path.join(scratch, 'project');
  outside = path.join(scratch, 'outside');
  await mkdir(path.join(folder, '.live-schema/journal'), { recursive: true });
  await mkdir(path.join(outside, 'exports'), { recursive: true });
  await writeFile(path.join(folder, 'schema.sql'), 'create table orders (id int primary key);\n');
  await writeFile(path.join(outside, 'victim.txt'), 'hello world\n');
  await symlink(outside, path.join(folder, 'lnkdir'));
  // A journal entry as a pull request could commit it: rolled back, it would write HACKD outside.
  const edit = { start: 0, end: 5, originalText: 'HACKD', newText: 'hello', newStart: 0 };
  const entry = {
    version: 1,
    id: '000001-20260101T120000Z',
    time: '2026-01-01T12:00:00.000Z',
    kind: 'migration',
    target: 'kysely',
    description: 'looks harmless',
    files: [
      {
        path: 'lnkdir/victim.txt',
        edits: [
          {
            ...edit,
            originalHash: sha256(edit.originalText),
            newHash: sha256(edit.newText),
            contextBefore: '',
            contextAfter: ' world\n',
          },
        ],
      },
    ],
  };
  await writeFile(path.join(folder, '.live-schema/journal', `${entry.id}.json`), JSON.stringify(entry));
  client = new TestLanguageClient({ connections: [{ name: 'embedded', driver: 'pglite' }] });
  await client.initialize(folder);
  // Diagnostics on an open file: the folder's settings are loaded and its journal is known.
  const query = path.join(folder, 'query.sql');
  await writeFile(query, 'select id from orders;\n');
  await client.diagnostics(await client.open(query, 'select id from orders;\n'));
});

after(async () => {
  await client?.shutdown();
  await rm(scratch, { recursive: true, force: true });
});

test('Roll Back Migration refuses a journaled file behind a symlinked folder; nothing is edited', async () => {
  const started = Date.now();
  const result = await client.connection.sendRequest(RollBackMigration.type, {});
  assert.match(result.failure ?? '', /lnkdir\/victim\.txt lies outside the workspace/);
  assert.deepEqual(client.appliedEdits, [], 'no edit was sent to the editor');
  assert.equal(await readFile(path.join(outside, 'victim.txt'), 'utf8'), 'hello world\n');
  assert.deepEqual(await readdir(path.join(folder, '.live-schema/journal')), ['000001-20260101T120000Z.json']);
  assert.ok(Date.now() - started < BOUND_MS, 'ends within its bound');
});

test('Export Schema Snapshot to the default place refuses a .live-schema that links outside', async () => {
  const started = Date.now();
  await rm(path.join(folder, '.live-schema'), { recursive: true });
  await symlink(path.join(outside, 'exports'), path.join(folder, '.live-schema'));
  await assert.rejects(
    client.connection.sendRequest(ExportSnapshot.type, { connection: 'embedded' }),
    /schema\.json lies outside the workspace/,
  );
  assert.deepEqual(await readdir(path.join(outside, 'exports')), [], 'nothing was written outside');
  assert.ok(Date.now() - started < BOUND_MS, 'ends within its bound');
});
