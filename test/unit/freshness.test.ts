import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseConnections } from '../../server/src/config/connectionSettings';
import { SnapshotFileDriver } from '../../server/src/db/snapshotFile/snapshotFileDriver';
import { describeChange } from '../../server/src/schema/schemaDiff';
import { SchemaMonitor, type MonitorState, type SchemaChangeEvent } from '../../server/src/schema/schemaMonitor';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { formatSnapshotJson } from '../../server/src/schema/snapshotJson';
import { SnapshotStore } from '../../server/src/schema/snapshotStore';
import { CountingDriver } from '../support/countingDriver';
import { ManualClock } from '../support/manualClock';
import { column, shopSnapshot } from '../support/snapshotBuilders';

/**
 * TTL, polling, back-off and statistics, driven by a hand-moved clock. The schema source is the
 * real `driver: snapshot` reading a real file, wrapped to count calls; editing the file is the
 * schema change.
 */

const work = mkdtempSync(path.join(tmpdir(), 'ls-freshness-'));
after(() => rmSync(work, { recursive: true, force: true }));
let projects = 0;

const MINUTE = 60_000;

async function setup(options: { ttlMs?: number; pollIntervalMs?: number } = {}) {
  const root = path.join(work, `project-${++projects}`);
  const file = path.join(root, '.live-schema', 'schema.json');
  await mkdir(path.dirname(file), { recursive: true });
  const write = (s: SchemaSnapshot) => writeFile(file, formatSnapshotJson(s));
  await write(shopSnapshot());
  const settings = parseConnections([{ driver: 'snapshot' }], {}).connections[0];
  const clock = new ManualClock();
  const driver = new CountingDriver(new SnapshotFileDriver(settings, root));
  const store = new SnapshotStore({ cacheDir: path.join(root, '.live-schema', 'cache') });
  const monitor = new SchemaMonitor({
    key: 'snapshot://.live-schema/schema.json?schemas=',
    driver,
    store,
    clock,
    ttlMs: options.ttlMs ?? 5 * MINUTE,
    pollIntervalMs: options.pollIntervalMs ?? 0,
    backoff: { initialMs: 1_000, maxMs: 8_000 },
  });
  const changes: SchemaChangeEvent[] = [];
  const states: MonitorState[] = [];
  monitor.on('change', (c) => changes.push(c));
  monitor.on('state', (s) => states.push(s));
  return { root, file, write, clock, driver, store, monitor, changes, states };
}

describe('freshness', () => {
  test('the first request discovers; within the TTL the snapshot is served without asking the source', async () => {
    const { monitor, driver, clock, store } = await setup();
    const first = await monitor.snapshot();
    assert.deepEqual(first?.snapshot, shopSnapshot());
    assert.deepEqual([driver.fingerprints, driver.discoveries], [1, 1]);
    clock.advance(4 * MINUTE);
    await monitor.snapshot();
    await monitor.snapshot();
    assert.deepEqual([driver.fingerprints, driver.discoveries], [1, 1]);
    const stats = store.statistics();
    assert.deepEqual([stats.hits, stats.misses, stats.fingerprintChecks, stats.refreshes], [2, 1, 1, 0]);
    assert.equal(monitor.state.status, 'fresh');
  });

  test('past the TTL an unchanged fingerprint extends the snapshot: no re-discovery', async () => {
    const { monitor, driver, clock, store } = await setup();
    await monitor.snapshot();
    clock.advance(6 * MINUTE);
    await monitor.snapshot();
    assert.deepEqual([driver.fingerprints, driver.discoveries], [2, 1]);
    clock.advance(4 * MINUTE); // within the extended TTL
    await monitor.snapshot();
    assert.deepEqual([driver.fingerprints, driver.discoveries], [2, 1]);
    assert.equal(store.statistics().fingerprintChecks, 2);
  });

  test('past the TTL a changed fingerprint re-discovers, emits one change with the diff, and counts a refresh', async () => {
    const { monitor, driver, clock, store, write, changes } = await setup();
    await monitor.snapshot();
    const changed = shopSnapshot();
    changed.relations[1].columns.push(column('shipped_at', 5, 'timestamp with time zone'));
    await write(changed);
    clock.advance(6 * MINUTE);
    const served = await monitor.snapshot();
    assert.deepEqual(served?.snapshot, changed);
    assert.deepEqual([driver.fingerprints, driver.discoveries], [2, 2]);
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0].diff.changes.map(describeChange), [
      'added column public.orders.shipped_at (timestamp with time zone)',
    ]);
    const stats = store.statistics();
    assert.equal(stats.refreshes, 1);
    assert.equal(typeof stats.lastRefreshMs, 'number');
  });

  test('background polling notices a change within one interval; pause stops it, resume catches up', async () => {
    const { monitor, driver, clock, write, changes } = await setup({ pollIntervalMs: 30_000 });
    await monitor.snapshot();
    monitor.start();
    assert.deepEqual(clock.pending(), [30_000]);
    const changed = shopSnapshot();
    changed.relations[0].columns[2].type = 'varchar(200)';
    await write(changed);
    clock.advance(30_000);
    await monitor.whenIdle();
    assert.deepEqual(changes.at(-1)?.diff.changes.map(describeChange), [
      'changed column public.customers.name: type text → varchar(200)',
    ]);
    monitor.pause();
    assert.deepEqual(clock.pending(), []);
    const checks = driver.fingerprints;
    clock.advance(10 * MINUTE);
    assert.equal(driver.fingerprints, checks, 'no polling while paused');
    monitor.resume();
    assert.deepEqual(clock.pending(), [0], 'a poll fell due while paused: check at once');
    await monitor.dispose();
  });

  test('a failing source keeps the last good snapshot, goes stale once, backs off, and recovers by itself', async () => {
    const { monitor, clock, file, write, states, driver } = await setup({ pollIntervalMs: 30_000 });
    await monitor.snapshot();
    monitor.start();
    await rm(file);
    clock.advance(30_000);
    await monitor.whenIdle();
    assert.equal(monitor.state.status, 'stale');
    assert.match(monitor.state.reason ?? '', /^\.live-schema\/schema\.json: the file does not exist/);
    assert.deepEqual((await monitor.snapshot())?.snapshot, shopSnapshot(), 'the last good snapshot is still served');
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push(clock.pending()[0]);
      clock.advance(clock.pending()[0]);
      await monitor.whenIdle();
    }
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 8_000], 'doubling, bounded');
    assert.deepEqual(
      states.map((s) => s.status),
      ['fresh', 'stale'],
      'the error surfaced once, not once per poll',
    );
    const attempts = driver.fingerprints;
    await write(shopSnapshot());
    clock.advance(clock.pending()[0]);
    await monitor.whenIdle();
    assert.ok(driver.fingerprints > attempts);
    assert.equal(monitor.state.status, 'fresh');
    assert.deepEqual(
      states.map((s) => s.status),
      ['fresh', 'stale', 'fresh'],
    );
    assert.deepEqual(clock.pending(), [30_000], 'back to the normal interval');
    await monitor.dispose();
  });

  test('while backing off, requests are served from the cache without hammering the source', async () => {
    const { monitor, clock, file, driver } = await setup();
    await monitor.snapshot();
    await rm(file);
    clock.advance(6 * MINUTE);
    await monitor.snapshot();
    assert.equal(monitor.state.status, 'stale');
    const calls = driver.calls;
    for (let i = 0; i < 10; i++) assert.ok(await monitor.snapshot());
    assert.equal(driver.calls, calls);
  });

  test('with nothing cached and the source failing, the state is offline and nothing is served', async () => {
    const { monitor, file, states } = await setup();
    await rm(file);
    assert.equal(await monitor.snapshot(), undefined);
    assert.equal(monitor.state.status, 'offline');
    assert.deepEqual(
      states.map((s) => s.status),
      ['offline'],
    );
  });

  test('a damaged cache file does not block a fresh discovery: one message, then the schema', async () => {
    const { monitor, root, clock } = await setup();
    await monitor.snapshot();
    const cacheDir = path.join(root, '.live-schema', 'cache');
    const [file] = await readdir(cacheDir);
    await writeFile(path.join(cacheDir, file), '{"kind":"live-schema-cache","cacheVersion":1,"key":');
    const settings = parseConnections([{ driver: 'snapshot' }], {}).connections[0];
    const driver = new CountingDriver(new SnapshotFileDriver(settings, root));
    const store = new SnapshotStore({ cacheDir });
    const messages: string[] = [];
    store.on('message', (m) => messages.push(m.message));
    const restarted = new SchemaMonitor({ key: monitor.key, driver, store, clock });
    assert.deepEqual((await restarted.snapshot())?.snapshot, shopSnapshot());
    assert.equal(driver.discoveries, 1);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /not valid JSON \(truncated or damaged\)/);
  });

  test('a restarted monitor serves the persisted snapshot with zero calls to the source', async () => {
    const { monitor, root, clock } = await setup();
    await monitor.snapshot();
    const settings = parseConnections([{ driver: 'snapshot' }], {}).connections[0];
    const driver = new CountingDriver(new SnapshotFileDriver(settings, root));
    const restarted = new SchemaMonitor({
      key: monitor.key,
      driver,
      store: new SnapshotStore({ cacheDir: path.join(root, '.live-schema', 'cache') }),
      clock,
      ttlMs: 5 * MINUTE,
    });
    assert.deepEqual((await restarted.cached())?.snapshot, shopSnapshot());
    assert.deepEqual((await restarted.snapshot())?.snapshot, shopSnapshot());
    assert.equal(driver.calls, 0);
  });
});
