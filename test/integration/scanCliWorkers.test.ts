/**
 * `live-schema scan` on a workspace large enough for the index's worker threads, through the built
 * CLI (`npm run build`), whose worker is a bundle of its own beside `cli.js`: the whole workspace,
 * shared out to worker threads, reports what scanning each folder alone reports (too few files for
 * worker threads: indexed on the CLI's own thread), and no worker thread stopped.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { formatSnapshotJson } from '../../server/src/schema/snapshotJson';
import { CLI, runCli } from '../support/cli';
import { generatedSchema, generateWorkspace } from '../support/workspaceGenerator';

let dir: string;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
  dir = await mkdtemp(path.join(tmpdir(), 'ls-scan-workers-'));
  for (const [file, content] of generateWorkspace(5, 1100)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  await writeFile(path.join(dir, 'schema.json'), formatSnapshotJson(generatedSchema()));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface ScanJson {
  files: number;
  dependencies: { file: string }[];
  notes: { file: string; message: string }[];
}

async function scan(paths: string[]): Promise<ScanJson> {
  const result = await runCli(dir, ['scan', ...paths, '--snapshot', 'schema.json', '--format', 'json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as ScanJson;
}

test('the whole workspace through worker threads reports what each folder scanned alone reports', async () => {
  const folders = ['db', ...(await readdir(path.join(dir, 'src'))).map((name) => `src/${name}`)];
  const whole = await scan(['.']);
  const alone = { files: 0, dependencies: [] as unknown[], notes: [] as unknown[] };
  for (const folder of folders) {
    const part = await scan([folder]);
    assert.ok(part.files < 1000, `${folder} is small enough to be indexed without worker threads`);
    alone.files += part.files;
    alone.dependencies.push(...part.dependencies);
    alone.notes.push(...part.notes);
  }
  assert.ok(whole.files >= 1000, 'enough files for worker threads');
  assert.ok(!whole.notes.some((n) => n.message.includes('Worker threads')), JSON.stringify(whole.notes));
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  assert.deepEqual(
    { ...whole, dependencies: whole.dependencies.sort(byFile), notes: whole.notes.sort(byFile) },
    {
      files: alone.files,
      dependencies: (alone.dependencies as { file: string }[]).sort(byFile),
      notes: (alone.notes as { file: string }[]).sort(byFile),
    },
  );
});
