import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkspaceFilter } from '../../server/src/index/workspaceFilter';

describe('which files the workspace index reads', () => {
  let root: string;
  const layout: Record<string, string> = {
    '.gitignore': '*.gen.ts\nscratch/\n',
    'app/main.ts': '',
    'app/main.gen.ts': '',
    'app/readme.md': '',
    'app/legacy/.gitignore': '*.sql\n!keep.sql\n',
    'app/legacy/drop.sql': '',
    'app/legacy/keep.sql': '',
    'app/dist/bundle.js': '',
    'scratch/try.sql': '',
    'node_modules/pkg/index.js': '',
    'tools/report.py': '',
    'tools/tmp/notes.sql': '',
  };
  const relative = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ls-filter-'));
    for (const [file, text] of Object.entries(layout)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('nested .gitignore files with re-includes, exclude globs, node_modules; only indexed languages', async () => {
    const filter = new WorkspaceFilter({ root, exclude: ['**/dist', 'tools/tmp/**'] });
    assert.deepEqual(relative(await filter.files()), ['app/legacy/keep.sql', 'app/main.ts', 'tools/report.py']);
  });

  test('a single file is judged the same way (for updates from the editor or the file watcher)', async () => {
    const filter = new WorkspaceFilter({ root, exclude: ['**/dist', 'tools/tmp/**'] });
    const verdicts = await Promise.all(Object.keys(layout).map((f) => filter.includes(path.join(root, f))));
    const included = Object.keys(layout).filter((_, i) => verdicts[i]);
    assert.deepEqual(included.sort(), ['app/legacy/keep.sql', 'app/main.ts', 'tools/report.py']);
    assert.equal(await filter.includes(path.join(path.dirname(root), 'elsewhere.sql')), false);
  });

  test('walking a sub-folder applies the .gitignore files above it; gitignore can be turned off', async () => {
    const filter = new WorkspaceFilter({ root });
    assert.deepEqual(relative(await filter.files(path.join(root, 'app'))), [
      'app/dist/bundle.js',
      'app/legacy/keep.sql',
      'app/main.ts',
    ]);
    const everything = new WorkspaceFilter({ root, gitignore: false });
    assert.ok(relative(await everything.files()).includes('scratch/try.sql'));
    assert.ok(!relative(await everything.files()).some((f) => f.startsWith('node_modules/')));
  });
});
