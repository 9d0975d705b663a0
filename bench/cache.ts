import { mkdtempSync, rmSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectionKey, parseConnection } from '../server/src/config/connectionSettings';
import { PostgresDriver } from '../server/src/db/postgres/postgresDriver';
import { formatSnapshotJson } from '../server/src/schema/snapshotJson';
import { SnapshotStore } from '../server/src/schema/snapshotStore';
import { createPostgresDatabase, pgServer } from '../test/support/databases';
import { fmt, medianMs, report } from './measure';
import { generatePostgresSchema } from './postgresSchemaGenerator';

/**
 * The schema cache on PostgreSQL (issue 4): the fingerprint query against a full discovery
 * (goal < 5 %), the persisted snapshot's size and load time (goal < 300 ms at 10,000 tables),
 * and the heap the in-memory snapshot holds.
 */
export async function benchCache(tableCounts: number[]): Promise<void> {
  for (const tables of tableCounts) {
    process.stdout.write(`\nSchema cache on PostgreSQL, ${fmt(tables)} tables\n`);
    const db = await createPostgresDatabase();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'ls-bench-cache-'));
    try {
      await generatePostgresSchema(db, tables);
      const parsed = parseConnection(
        { name: 'bench', driver: 'postgres', ...pgServer, database: db.name },
        {},
        'bench',
      );
      if ('errors' in parsed) throw new Error('bad bench settings');
      const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
      const key = connectionKey(parsed.connection);
      let discovered: Awaited<ReturnType<PostgresDriver['discover']>> | undefined;
      const discovery = await medianMs(3, async () => {
        discovered = await driver.discover();
      });
      const fingerprint = await medianMs(5, () => driver.fingerprint());
      const fingerprintValue = await driver.fingerprint();
      await driver.close();
      if (!discovered) throw new Error('no discovery');
      const { snapshot } = discovered;

      const store = new SnapshotStore({ cacheDir });
      await store.put({ key, snapshot, fingerprint: fingerprintValue, takenAt: 0, checkedAt: 0, serverVersion: '' });
      const bytes = store.statistics().entries[0]?.bytes ?? 0;
      const load = await medianMs(5, async () => {
        const restarted = new SnapshotStore({ cacheDir });
        if (!(await restarted.get(key))) throw new Error('the persisted snapshot did not load');
      });
      const exportText = formatSnapshotJson(snapshot);
      const exported = path.join(cacheDir, 'schema.json');
      await writeFile(exported, exportText);

      report('full discovery', `${fmt(discovery)} ms`);
      report('fingerprint query', `${fmt(fingerprint, 1)} ms`);
      report('fingerprint / discovery', `${fmt((fingerprint / discovery) * 100, 1)} %`, 'goal < 5 %');
      report('persisted snapshot (cache file)', `${fmt(bytes / 1_048_576, 1)} MB`);
      report(
        'load persisted snapshot (read + checksum + parse)',
        `${fmt(load)} ms`,
        tables >= 10_000 ? 'goal < 300 ms' : '',
      );
      report('schema.json export', `${fmt((await stat(exported)).size / 1_048_576, 1)} MB`);
      report('heap held by the in-memory snapshot', `${fmt(await heapOfMb(cacheDir, key), 1)} MB`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      await db.drop();
    }
  }
}

/** Heap growth while one loaded snapshot is held, measured between forced collections. */
async function heapOfMb(cacheDir: string, key: string): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = await new SnapshotStore({ cacheDir }).get(key);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (!held) throw new Error('the persisted snapshot did not load');
  return (after - before) / 1_048_576;
}
