import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import type { ConnectionSettings, SettingsError } from '../config/connectionSettings';
import { DEFAULT_SETTINGS, parseSettings, type LiveSchemaSettings } from '../config/settings';
import { trustOfSettings } from '../config/trust';
import type { ConnectionStatus } from '../protocol/customMessages';
import type { SchemaChangeEvent } from '../schema/schemaMonitor';
import { SnapshotStore } from '../schema/snapshotStore';
import { ConnectionSource } from './connectionSource';
import { cacheDirectory } from '../engine/cacheDirectory';
import { connectionsFor } from '../engine/defaultConnection';
import { describeSettingsError, settingsErrorsNotice } from '../engine/settingsErrors';
import { discoveryWarningsNotice } from '../engine/discoveryWarnings';

/** What the session needs from the editor, supplied by `server.ts`. */
export interface SessionHost {
  /** The raw `liveSchema` settings of a workspace folder (`workspace/configuration`). */
  fetchSettings(folderUri: string): Promise<unknown>;
  requestPassword(connection: ConnectionSettings): Promise<string | undefined>;
  /** A connection's state or snapshot changed: re-check documents, tell the client. */
  connectionChanged(source: ConnectionSource): void;
  /** The schema changed under the running editor. */
  schemaChanged(source: ConnectionSource, event: SchemaChangeEvent): void;
  /** Progress shown to the user while long work runs (the first discovery of a connection). */
  startProgress(title: string): Promise<{ done(): void }>;
  /** The server's output: what happened, for the user who looks. */
  log: ServerLog;
  /** A notice the user sees without looking (settings that cannot be used, schema files not applied). */
  showWarning(message: string): void;
}

/** Lines for the server's output (the editor's output channel). */
export interface ServerLog {
  info(message: string): void;
  warn(message: string): void;
}

interface Folder {
  uri: string;
  root: string;
  settings: LiveSchemaSettings;
  connections: ConnectionSource[];
  /** The serialised settings the connections were built from, to rebuild only on a real change. */
  signature: string;
}

/**
 * All mutable state of the language server: workspace folders, their settings (per folder, never
 * global), and the connection each document is bound to.
 */
export class Session {
  private readonly folders = new Map<string, Folder>();
  private lastErrors = new Map<string, string>();
  private settingsLoaded!: () => void;
  /** Settles once the first settings have been read; requests wait on it instead of answering empty. */
  readonly loaded = new Promise<void>((resolve) => (this.settingsLoaded = resolve));

  private cache: SnapshotStore | undefined;

  constructor(private readonly host: SessionHost) {}

  /**
   * Where snapshots persist: the folder the editor gives (its storage), else the user's cache
   * folder (`engine/cacheDirectory.ts`). Set once at initialisation, before any connection is made.
   */
  async useCacheDirectory(given: unknown): Promise<void> {
    this.openStore(await cacheDirectory({ given }));
  }

  private openStore(cacheDir: string | undefined): void {
    this.cache = new SnapshotStore({ cacheDir });
    // The cache handled a problem by itself (a damaged file, a read-only directory).
    this.cache.on('message', (message) => this.host.log.warn(`Schema cache: ${message.message}`));
  }

  /** Snapshots of every connection, persisted so a restarted editor has a schema at once. */
  get store(): SnapshotStore {
    if (!this.cache) this.openStore(undefined);
    return this.cache!;
  }

  /** Reads every folder's settings again; connections are rebuilt only where they changed. */
  async loadSettings(folderUris: readonly string[]): Promise<void> {
    try {
      for (const uri of folderUris) await this.loadFolder(uri);
      for (const uri of [...this.folders.keys()]) {
        if (!folderUris.includes(uri)) await this.removeFolder(uri);
      }
    } finally {
      this.settingsLoaded();
    }
  }

  private async loadFolder(uri: string): Promise<void> {
    const root = fileURLToPath(uri);
    const raw = await this.host.fetchSettings(uri).catch(() => undefined);
    const trust = trustOfSettings(raw, process.env);
    const { settings, errors } = parseSettings(raw, process.env, trust);
    if (!trust.workspaceTrusted && trust.origin === 'repository') {
      // Restricted Mode: the workspace's own files (schema files, a snapshot) still work; its servers are not contacted.
      const remote = settings.connections.filter((c) => c.driver === 'postgres' || c.driver === 'mysql');
      settings.connections = settings.connections.filter((c) => !remote.includes(c));
      for (const c of remote)
        errors.push({
          key: 'liveSchema.connections',
          message: `"${c.name}" is not connected in Restricted Mode: trust this workspace to connect to the servers it configures`,
        });
    }
    this.reportSettingsErrors(uri, errors);
    const signature = JSON.stringify([settings.connections, settings.cache]);
    const existing = this.folders.get(uri);
    if (existing && existing.signature === signature) {
      existing.settings = settings;
      return;
    }
    if (existing) await Promise.all(existing.connections.map((c) => c.dispose()));
    const folder: Folder = { uri, root, settings, signature, connections: [] };
    const configured = connectionsFor(settings, root);
    folder.connections = configured.map(
      (c) =>
        new ConnectionSource(c, {
          driver: { root, passwords: (c) => this.host.requestPassword(c) },
          store: this.store,
          ttlMs: settings.cache.ttlSeconds * 1000,
          pollIntervalMs: settings.cache.pollIntervalSeconds * 1000,
          onStatusChanged: (source) => this.host.connectionChanged(source),
          onSchemaChanged: (source, event) => this.host.schemaChanged(source, event),
          onDiscoveryWarnings: (source, warnings) => {
            for (const warning of warnings) this.host.log.warn(`${source.name}: ${warning.message}`);
            const notice = discoveryWarningsNotice(source.name, warnings);
            if (notice) this.host.showWarning(notice);
          },
          startProgress: (title) => this.host.startProgress(title),
        }),
    );
    this.folders.set(uri, folder);
  }

  /** Settings errors of a folder: logged, the first shown, once per distinct set (not on every reload). */
  private reportSettingsErrors(uri: string, errors: SettingsError[]): void {
    const errorText = JSON.stringify(errors);
    if (this.lastErrors.get(uri) === errorText) return;
    this.lastErrors.set(uri, errorText);
    for (const error of errors) this.host.log.warn(describeSettingsError(error, `Settings of ${uri}`));
    const notice = settingsErrorsNotice(errors);
    if (notice) this.host.showWarning(notice);
  }

  private async removeFolder(uri: string): Promise<void> {
    const folder = this.folders.get(uri);
    this.folders.delete(uri);
    await Promise.all(folder?.connections.map((c) => c.dispose()) ?? []);
  }

  /** The settings that apply to a document (its folder's, or the defaults outside any folder). */
  settingsFor(documentUri: string): LiveSchemaSettings {
    return this.folderOf(documentUri)?.settings ?? DEFAULT_SETTINGS;
  }

  /** The connection whose `files` globs match the document, first match wins. */
  connectionFor(documentUri: string): ConnectionSource | undefined {
    const folder = this.folderOf(documentUri);
    if (!folder || !documentUri.startsWith('file:')) return folder?.connections[0];
    const relative = path.relative(folder.root, fileURLToPath(documentUri)).split(path.sep).join('/');
    return folder.connections.find((c) => picomatch.isMatch(relative, c.settings.files, { dot: true }));
  }

  /** The first connection of each folder: the one its workspace index resolves against. */
  folderConnections(): ConnectionSource[] {
    return [...this.folders.values()].flatMap((f) => f.connections.slice(0, 1));
  }

  /** The first connection of the folder a document is in. */
  folderConnectionFor(documentUri: string): ConnectionSource | undefined {
    return this.folderOf(documentUri)?.connections[0];
  }

  /** The settings of the folder a connection belongs to. */
  settingsOf(source: ConnectionSource): LiveSchemaSettings {
    return [...this.folders.values()].find((f) => f.connections.includes(source))?.settings ?? DEFAULT_SETTINGS;
  }

  /** The workspace folder a connection belongs to (for files written next to the project). */
  folderRootOf(source: ConnectionSource): string | undefined {
    return [...this.folders.values()].find((f) => f.connections.includes(source))?.root;
  }

  /** The folder path of the workspace folder a document is in: where its journal and modules live. */
  rootFor(documentUri: string): string | undefined {
    return this.folderOf(documentUri)?.root;
  }

  /** Every workspace folder as URI and path. */
  folderRoots(): { uri: string; root: string }[] {
    return [...this.folders.values()].map(({ uri, root }) => ({ uri, root }));
  }

  connection(name: string): ConnectionSource | undefined {
    return this.allConnections().find((c) => c.name === name);
  }

  allConnections(): ConnectionSource[] {
    return [...this.folders.values()].flatMap((f) => f.connections);
  }

  statuses(): ConnectionStatus[] {
    return this.allConnections().map((c) => c.status());
  }

  private folderOf(documentUri: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.folders.values()) {
      const prefix = folder.uri.endsWith('/') ? folder.uri : `${folder.uri}/`;
      if (documentUri.startsWith(prefix) && (!best || folder.uri.length > best.uri.length)) best = folder;
    }
    return best ?? (this.folders.size === 1 ? [...this.folders.values()][0] : undefined);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.allConnections().map((c) => c.dispose()));
    this.folders.clear();
  }
}
