import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { connectionKey, parseConnections } from '../../server/src/config/connectionSettings';
import { createDriver } from '../../server/src/db/createDriver';
import { DatabaseError } from '../../server/src/db/driver';
import { formatSnapshotJson, parseSnapshotJson } from '../../server/src/schema/snapshotJson';
import { column, shopSnapshot } from '../support/snapshotBuilders';

const work = mkdtempSync(path.join(tmpdir(), 'ls-snapshot-file-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** `git diff --numstat` between two texts: [added, deleted] lines, as a reviewer would see them. */
function gitDiffLines(before: string, after: string): [number, number] {
  const a = path.join(work, 'a.json');
  const b = path.join(work, 'b.json');
  writeFileSync(a, before);
  writeFileSync(b, after);
  let out = '';
  try {
    execFileSync('git', ['diff', '--no-index', '--numstat', a, b], { encoding: 'utf8' });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit code 1 means "differs"
  }
  const [added, deleted] = out.trim().split(/\s+/).map(Number);
  return [added ?? 0, deleted ?? 0];
}

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('schema.json text', () => {
  test('is stable: same schema, same bytes, whatever order the driver listed things in', () => {
    const snapshot = shopSnapshot();
    const shuffled = structuredClone(snapshot);
    shuffled.relations.reverse();
    shuffled.relations[0].columns.reverse();
    const reordered = reverseKeys(shuffled) as typeof snapshot;
    assert.equal(formatSnapshotJson(shuffled), formatSnapshotJson(snapshot));
    assert.equal(formatSnapshotJson(reordered), formatSnapshotJson(snapshot));
  });

  test('a changed column type is a one-line git diff', () => {
    const before = shopSnapshot();
    const after = structuredClone(before);
    after.relations[1].columns[2].type = 'numeric(12,2)';
    assert.deepEqual(gitDiffLines(formatSnapshotJson(before), formatSnapshotJson(after)), [1, 1]);
  });

  test('an added column is its own line (plus the comma JSON needs on the line before)', () => {
    const before = shopSnapshot();
    const after = structuredClone(before);
    after.relations[1].columns.push(column('shipped_at', 5, 'timestamp with time zone'));
    assert.deepEqual(gitDiffLines(formatSnapshotJson(before), formatSnapshotJson(after)), [2, 1]);
  });

  test('round-trips: what is exported reads back equal', () => {
    const text = formatSnapshotJson(shopSnapshot());
    assert.deepEqual(parseSnapshotJson(text, 'schema.json'), { snapshot: shopSnapshot() });
  });

  test('a hand-edited wrong value is reported with the file and the exact path', () => {
    const text = formatSnapshotJson(shopSnapshot()).replace('"nullable": true', '"nullable": "yes"');
    assert.deepEqual(parseSnapshotJson(text, '.live-schema/schema.json'), {
      error: '.live-schema/schema.json: relations[0].columns[2].nullable: expected boolean, got "yes"',
    });
  });

  test('a missing field, a misspelt key and an unknown kind are named', () => {
    const value = JSON.parse(formatSnapshotJson(shopSnapshot())) as Record<string, unknown[]>;
    const relations = value.relations as Record<string, unknown>[];
    delete (relations[1].columns as Record<string, unknown>[])[0].type;
    assert.deepEqual(parseSnapshotJson(JSON.stringify(value), 's.json'), {
      error: 's.json: relations[1].columns[0].type: missing (expected string)',
    });
    const misspelt = formatSnapshotJson(shopSnapshot()).replace('"nullable": true', '"nulable": true');
    assert.deepEqual(parseSnapshotJson(misspelt, 's.json'), {
      error: 's.json: relations[0].columns[2]: unknown key "nulable" (expected "nullable")',
    });
    const kind = formatSnapshotJson(shopSnapshot()).replace('"kind": "table"', '"kind": "tabel"');
    assert.match(
      (parseSnapshotJson(kind, 's.json') as { error: string }).error,
      /relations\[0\]\.kind: expected "table" or/,
    );
  });

  test('truncated JSON and another format version are refused with what to do', () => {
    const text = formatSnapshotJson(shopSnapshot());
    assert.match(
      (parseSnapshotJson(text.slice(0, 200), 's.json') as { error: string }).error,
      /^s\.json: not valid JSON .*cut short/,
    );
    assert.deepEqual(parseSnapshotJson(text.replace('"formatVersion": 1', '"formatVersion": 7'), 's.json'), {
      error:
        's.json: formatVersion: the file has format version 7, this Live Schema reads version 1; export the snapshot again',
    });
    assert.match(
      (parseSnapshotJson('{"tables": []}', 's.json') as { error: string }).error,
      /not a Live Schema snapshot/,
    );
  });
});

describe('driver "snapshot"', () => {
  const settingsFor = (raw: Record<string, unknown>) => {
    const parsed = parseConnections([raw], {});
    assert.deepEqual(parsed.errors, []);
    return parsed.connections[0];
  };

  test('settings: `path` defaults to .live-schema/schema.json and belongs to driver snapshot only', () => {
    const settings = settingsFor({ driver: 'snapshot' });
    assert.equal(settings.snapshotPath, '.live-schema/schema.json');
    assert.equal(settings.name, 'snapshot:.live-schema/schema.json');
    assert.equal(
      connectionKey(settingsFor({ driver: 'snapshot', path: 'ci/schema.json' })),
      'snapshot://ci/schema.json?schemas=',
    );
    assert.deepEqual(parseConnections([{ driver: 'postgres', path: 'x.json' }], {}).errors, [
      {
        key: 'liveSchema.connections[0].path',
        message: '"path" is the snapshot file of driver "snapshot", not of "postgres"',
      },
    ]);
  });

  test('serves the committed file as the schema, and its fingerprint moves when the file changes', async () => {
    const root = path.join(work, 'project');
    await mkdir(path.join(root, '.live-schema'), { recursive: true });
    const file = path.join(root, '.live-schema', 'schema.json');
    await writeFile(file, formatSnapshotJson(shopSnapshot()));
    const driver = createDriver(settingsFor({ name: 'ci', driver: 'snapshot' }), {
      root,
      passwords: () => Promise.resolve(undefined),
    });
    const { snapshot } = await driver.discover();
    assert.deepEqual(snapshot, shopSnapshot());
    const first = await driver.fingerprint();
    assert.equal(await driver.fingerprint(), first);
    const changed = shopSnapshot();
    changed.relations[0].columns.push(column('phone', 4, 'text'));
    await writeFile(file, formatSnapshotJson(changed));
    assert.notEqual(await driver.fingerprint(), first);
    await driver.close();
  });

  test('a broken or missing file fails discovery with the path and the problem', async () => {
    const root = path.join(work, 'broken');
    await mkdir(path.join(root, '.live-schema'), { recursive: true });
    const driver = createDriver(settingsFor({ driver: 'snapshot' }), {
      root,
      passwords: () => Promise.resolve(undefined),
    });
    await assert.rejects(driver.discover(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.match(
        error.message,
        /^\.live-schema\/schema\.json: the file does not exist; export one with `live-schema snapshot`/,
      );
      return true;
    });
    const text = formatSnapshotJson(shopSnapshot());
    const lines = text.split('\n');
    const target = lines.findIndex((l) => l.includes('"name": "email"'));
    lines[target] = lines[target].replace('"nullable": false', '"nullable": 0');
    await writeFile(path.join(root, '.live-schema', 'schema.json'), lines.join('\n'));
    await assert.rejects(driver.discover(), {
      message: '.live-schema/schema.json: relations[0].columns[1].nullable: expected boolean, got 0',
    });
  });
});
