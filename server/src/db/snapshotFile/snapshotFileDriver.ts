import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { DEFAULT_SNAPSHOT_PATH } from '../../config/connectionSettings';
import { parseSnapshotJson } from '../../schema/snapshotJson';
import { OutsideWorkspaceError, realPathInside } from '../../workspace/realPathInside';
import { DatabaseError, type DiscoveryResult, type SchemaDriver } from '../driver';

/**
 * `driver: "snapshot"`: the schema from a `.live-schema/schema.json` committed to the repository,
 * for CI and teammates without database access. No server is involved. The file is validated
 * on every read; a broken one fails with its path and the first problem in it.
 */
export class SnapshotFileDriver implements SchemaDriver {
  private readonly file: string;
  /** The path as messages show it: relative to the workspace when inside it. */
  private readonly shownPath: string;

  constructor(
    settings: ConnectionSettings,
    /** The workspace: the file must resolve inside it, since the repository may name any path. */
    private readonly root: string,
  ) {
    this.file = path.resolve(root, settings.snapshotPath ?? DEFAULT_SNAPSHOT_PATH);
    const relative = path.relative(root, this.file);
    this.shownPath = relative.startsWith('..') || path.isAbsolute(relative) ? this.file : relative;
  }

  async discover(): Promise<DiscoveryResult> {
    const started = performance.now();
    const text = await this.read();
    const parsed = parseSnapshotJson(text, this.shownPath);
    if ('error' in parsed) throw new DatabaseError('schema-files', parsed.error);
    return { snapshot: parsed.snapshot, queryCount: 0, durationMs: performance.now() - started, warnings: [] };
  }

  /** The file's content hash: it moves exactly when someone edits, pulls or re-exports the file. */
  async fingerprint(): Promise<string> {
    return createHash('sha256')
      .update(await this.read())
      .digest('hex');
  }

  async close(): Promise<void> {}

  private async read(): Promise<string> {
    try {
      return await readFile(await realPathInside(this.root, this.file), 'utf8');
    } catch (error) {
      if (error instanceof OutsideWorkspaceError)
        throw new DatabaseError('schema-files', error.message, { cause: error });
      const code = (error as NodeJS.ErrnoException).code;
      const hint =
        code === 'ENOENT'
          ? 'the file does not exist; export one with `live-schema snapshot` or the "Export Schema Snapshot" command'
          : `it cannot be read (${code ?? String(error)})`;
      throw new DatabaseError('schema-files', `${this.shownPath}: ${hint}`, { cause: error });
    }
  }
}
