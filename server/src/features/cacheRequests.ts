import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ResponseError, type Connection } from 'vscode-languageserver';
import { ClearCache, ExportSnapshot, GetCacheStatistics } from '../protocol/customMessages';
import { formatSnapshotJson } from '../schema/snapshotJson';
import type { Session } from '../session/session';
import { realPathInside } from '../workspace/realPathInside';

/** Show Cache Statistics, Clear Cache and Export Schema Snapshot. */
export function registerCacheRequests(connection: Connection, session: Session): void {
  connection.onRequest(GetCacheStatistics.type, async () => {
    await session.loaded;
    const statistics = session.store.statistics();
    return {
      connections: session.allConnections().map((source) => {
        const entry = statistics.entries.find((e) => e.key === source.key);
        return {
          connection: source.name,
          hits: statistics.hits,
          misses: statistics.misses,
          refreshes: statistics.refreshes,
          lastRefreshMs: statistics.lastRefreshMs,
          snapshotBytes: entry?.bytes ?? 0,
          takenAt: entry ? new Date(entry.takenAt).toISOString() : null,
        };
      }),
    };
  });

  connection.onRequest(ClearCache.type, async ({ connection: name }) => {
    await session.loaded;
    const targets = session.allConnections().filter((c) => name === undefined || c.name === name);
    for (const source of targets) {
      await session.store.delete(source.key);
      await source.refresh();
    }
    return { connections: session.statuses() };
  });

  connection.onRequest(ExportSnapshot.type, async ({ connection: name, uri }) => {
    await session.loaded;
    const source = session.connection(name);
    const snapshot = await source?.ready();
    if (!source || !snapshot)
      throw new ResponseError(
        1,
        `No schema to export for "${name}": ${source?.status().message ?? 'no such connection'}`,
      );
    const root = session.folderRootOf(source) ?? process.cwd();
    // A URI is the user's choice in the save dialog; the default lies in the repository's `.live-schema`.
    const file = uri ? fileURLToPath(uri) : await realPathInside(root, path.join('.live-schema', 'schema.json'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, formatSnapshotJson(snapshot));
    return { uri: pathToFileURL(file).href, relations: snapshot.relations.length };
  });
}
