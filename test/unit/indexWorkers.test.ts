import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import type { ElementRef } from '../../server/src/sql/editing/references';
import { changedGeneratedSchema, generatedSchema, generateWorkspace } from '../support/workspaceGenerator';

/**
 * The workspace index shares large runs out to worker threads. On seeded generated workspaces the
 * result must be the very index the calling thread builds alone: every file's entry, the notes,
 * the static dependencies and the references to every element, after a build and after a schema
 * change; and a run stopped part-way must leave a later build with the same index.
 */

/** Everything the index answers, in plain data. */
function contentOf(index: WorkspaceIndex, root: string, snapshots: SchemaSnapshot[]) {
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const elements: ElementRef[] = [];
  for (const snapshot of snapshots)
    for (const relation of snapshot.relations) {
      elements.push({ kind: 'schema', schema: relation.schema });
      elements.push({ kind: 'relation', schema: relation.schema, table: relation.name });
      for (const column of relation.columns)
        elements.push({ kind: 'column', schema: relation.schema, table: relation.name, column: column.name });
    }
  return {
    entries: index.files().map((file) => [relative(file), index.fileIndex(file)]),
    notes: index.notes().map((note) => ({ ...note, file: relative(note.file) })),
    dependencies: index.staticDependencies(),
    references: elements.map((element) => [
      element,
      index.referencesTo(element, { includeColumns: true }).map((r) => ({ ...r, file: relative(r.file) })),
    ]),
  };
}

for (const seed of [77, 2026]) {
  describe(`worker threads index workspace #${seed} exactly as the calling thread does`, () => {
    let root: string;
    let textFiles = 0;

    before(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'ls-index-workers-'));
      for (const [file, content] of generateWorkspace(seed, 160)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), content);
        if (typeof content === 'string') textFiles++;
      }
    });
    after(() => rm(root, { recursive: true, force: true }));

    const newIndex = (workers: number) =>
      new WorkspaceIndex({ root, snapshot: generatedSchema(), workers, minFilesForWorkers: 64, maxFileBytes: 4000 });
    const snapshots = [generatedSchema(), changedGeneratedSchema()];

    test('after a build and after a schema change', async () => {
      const alone = newIndex(0);
      const shared = newIndex(2);
      const progress: number[] = [];
      assert.equal((await alone.build()).complete, true);
      const summary = await shared.build({ onProgress: (done) => progress.push(done) });
      assert.equal(summary.complete, true);
      assert.deepEqual(
        progress,
        Array.from({ length: summary.total + 1 }, (_, i) => i),
        'progress counts every file once, in order',
      );
      assert.equal(shared.filesIndexedInWorkers(), textFiles, 'every readable file went to a worker');
      assert.equal(alone.filesIndexedInWorkers(), 0);
      assert.ok(alone.files().length > 100, 'the workspace has files worth comparing');
      assert.deepEqual(contentOf(shared, root, snapshots), contentOf(alone, root, snapshots));

      await alone.setSnapshot(changedGeneratedSchema(), generatedSchema());
      await shared.setSnapshot(changedGeneratedSchema(), generatedSchema());
      assert.ok(shared.filesIndexedInWorkers() > textFiles, 'the re-resolve went to workers too');
      assert.deepEqual(contentOf(shared, root, snapshots), contentOf(alone, root, snapshots));
    });

    test('a run stopped part-way, then a build that completes', async () => {
      const alone = newIndex(0);
      await alone.build();
      const shared = newIndex(2);
      const controller = new AbortController();
      const stopped = await shared.build({
        signal: controller.signal,
        onProgress: (done) => {
          if (done === 20) controller.abort();
        },
      });
      assert.equal(stopped.complete, false);
      assert.ok(stopped.indexed < stopped.total, 'no file is sent once the run is stopped');
      assert.equal((await shared.build()).complete, true);
      assert.deepEqual(contentOf(shared, root, snapshots), contentOf(alone, root, snapshots));
    });
  });
}
