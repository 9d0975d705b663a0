import { fileURLToPath } from 'node:url';
import { brokenReferences } from '../index/brokenReferences';
import { WorkspaceIndex, type IndexSummary, type ReferenceLocation } from '../index/workspaceIndex';
import type { SchemaChangeEvent } from '../schema/schemaMonitor';
import type { ConnectionSource } from './connectionSource';
import type { Session } from './session';

/** How long typing pauses before an edited document's text reaches the index. */
const EDIT_PAUSE_MS = 500;

/** A file that changed on disk (saved, created, deleted by another program). */
export interface FileChangeOnDisk {
  uri: string;
  deleted: boolean;
}

/** Progress reporting the front end supplies (`$/progress` in the language server). */
export interface IndexProgress {
  report(done: number, total: number): void;
  done(): void;
}

/**
 * One workspace index per folder, resolved against the folder's first connection (the common
 * case of one database per project). Built in the background once that connection has a
 * snapshot, kept current file by file, and re-resolved when the schema changes.
 */
export class WorkspaceIndexes {
  private readonly indexes = new Map<ConnectionSource, WorkspaceIndex>();
  private readonly builds = new Map<ConnectionSource, Promise<IndexSummary>>();
  private readonly creating = new Map<ConnectionSource, Promise<WorkspaceIndex | undefined>>();
  private readonly editTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly session: Session,
    private readonly startProgress: (title: string) => Promise<IndexProgress>,
    /** Called whenever an index's content changed (the client refreshes its views). */
    private readonly changed: () => void,
  ) {}

  /** The index of the folder a document or connection belongs to, building it first if needed. */
  async indexFor(source: ConnectionSource | undefined): Promise<WorkspaceIndex | undefined> {
    if (!source) return undefined;
    let creating = this.creating.get(source);
    if (!creating) {
      // Concurrent callers share one creation and wait for the same first build.
      creating = this.create(source);
      this.creating.set(source, creating);
    }
    const index = await creating;
    if (!index) this.creating.delete(source);
    await this.builds.get(source);
    return index;
  }

  private async create(source: ConnectionSource): Promise<WorkspaceIndex | undefined> {
    const snapshot = await source.ready();
    const root = this.session.folderRootOf(source);
    if (!snapshot || !root) return undefined;
    const index = new WorkspaceIndex({ root, snapshot, embedded: this.session.settingsOf(source).embedded });
    this.indexes.set(source, index);
    await this.rebuild(source, index);
    return index;
  }

  /** Indexes every folder that has a connection, in the background. */
  async buildAll(): Promise<void> {
    await Promise.all(this.session.folderConnections().map((source) => this.indexFor(source)));
  }

  /** Settings were read again: indexes of replaced connections go, every folder is indexed in the background. */
  followSettings(): void {
    this.prune(this.session.allConnections());
    // Requests never wait for the build; it reports progress while it runs.
    void this.buildAll();
  }

  /**
   * A document was edited in the editor: its text reaches the index after a pause in typing, so
   * a burst of keystrokes re-indexes the file once. `text` is read when the pause ends.
   */
  documentEdited(uri: string, text: () => string): void {
    clearTimeout(this.editTimers.get(uri));
    this.editTimers.set(
      uri,
      setTimeout(() => {
        this.editTimers.delete(uri);
        void this.fileChanged(uri, text());
      }, EDIT_PAUSE_MS),
    );
  }

  /** A document was closed: its unsaved text no longer counts, the file on disk does (at once). */
  async documentClosed(uri: string): Promise<void> {
    clearTimeout(this.editTimers.get(uri));
    this.editTimers.delete(uri);
    await this.fileChanged(uri);
  }

  /** Files changed on disk: each reaches the index at once. */
  filesChangedOnDisk(changes: readonly FileChangeOnDisk[]): void {
    for (const change of changes) {
      if (change.deleted) this.fileDeleted(change.uri);
      else void this.fileChanged(change.uri);
    }
  }

  /** Stops the pending edit timers (the server is shutting down). */
  dispose(): void {
    for (const timer of this.editTimers.values()) clearTimeout(timer);
    this.editTimers.clear();
  }

  /** Walks the folder again ("Scan Workspace"). */
  async rescan(source: ConnectionSource): Promise<IndexSummary | undefined> {
    const index = await this.indexFor(source);
    if (!index) return undefined;
    return this.rebuild(source, index);
  }

  private async rebuild(source: ConnectionSource, index: WorkspaceIndex): Promise<IndexSummary> {
    const progress = await this.startProgress('Live Schema: indexing the workspace');
    const build = index
      .build({ onProgress: (done, total) => progress.report(done, total) })
      .finally(() => progress.done());
    this.builds.set(source, build);
    const summary = await build;
    this.changed();
    return summary;
  }

  /**
   * The schema changed: returns the references the change broke (undefined while the folder is
   * not indexed), then resolves the files again against the new snapshot in the background.
   */
  schemaChanged(source: ConnectionSource, event: SchemaChangeEvent): ReferenceLocation[] | undefined {
    const index = this.indexes.get(source);
    if (!index) return undefined;
    // Asked before the index follows the change: it still knows what the old names resolved to.
    const broken = brokenReferences(index, event.diff);
    const resolved = index.setSnapshot(event.current.snapshot, event.previous.snapshot);
    // A failed re-resolve leaves files marked stale for the next run; the views still refresh.
    void resolved.then(this.changed, this.changed);
    return broken;
  }

  /** A document's text changed in the editor (or on disk, without `text`). */
  private async fileChanged(uri: string, text?: string): Promise<void> {
    if (!uri.startsWith('file:')) return;
    const source = this.session.folderConnectionFor(uri);
    const index = source && this.indexes.get(source);
    if (!index) return;
    await index.update(fileURLToPath(uri), text);
    this.changed();
  }

  private fileDeleted(uri: string): void {
    if (!uri.startsWith('file:')) return;
    for (const index of this.indexes.values()) index.remove(fileURLToPath(uri));
    this.changed();
  }

  /** Every index built so far. */
  all(): WorkspaceIndex[] {
    return [...this.indexes.values()];
  }

  /** Drops the indexes of connections that settings replaced. */
  private prune(current: ConnectionSource[]): void {
    for (const source of [...this.indexes.keys()]) {
      if (current.includes(source)) continue;
      this.indexes.delete(source);
      this.builds.delete(source);
      this.creating.delete(source);
    }
  }
}
