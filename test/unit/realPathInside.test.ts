import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { OutsideWorkspaceError, realPathInside } from '../../server/src/workspace/realPathInside';

let root: string;
let outside: string;

before(async () => {
  const scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'ls-realpath-')));
  root = path.join(scratch, 'project');
  outside = path.join(scratch, 'outside');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, 'src/a.ts'), '');
  await symlink(outside, path.join(root, 'out'));
  await symlink(path.join(root, 'src'), path.join(root, 'alias'));
  await symlink(path.join(outside, 'missing.txt'), path.join(root, 'dangling'));
});
after(() => rm(path.dirname(root), { recursive: true, force: true }));

const refused = (target: string) => assert.rejects(realPathInside(root, target), OutsideWorkspaceError, target);

test('paths inside the root resolve to their real path, existing or not', async () => {
  assert.equal(await realPathInside(root, 'src/a.ts'), path.join(root, 'src/a.ts'));
  assert.equal(await realPathInside(root, 'alias/a.ts'), path.join(root, 'src/a.ts'), 'a link that stays inside');
  assert.equal(await realPathInside(root, 'new/deep/file.json'), path.join(root, 'new/deep/file.json'));
  assert.equal(await realPathInside(root, '.'), root);
});

test('`..`, absolute paths, symlinked folders (also for files not written yet) and dangling links are refused', async () => {
  await refused('../outside/x');
  await refused(path.join(outside, 'x'));
  await refused('out/victim.txt');
  await refused('out/not/there/yet.json');
  await refused('dangling');
  await refused('dangling/below');
});
