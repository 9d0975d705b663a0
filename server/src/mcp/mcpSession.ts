import type { LiveSchemaSettings } from '../config/settings';
import type { PasswordProvider } from '../db/driver';
import type { SchemaSnapshot } from '../schema/snapshot';
import { SnapshotStore } from '../schema/snapshotStore';
import { McpConnection } from './mcpConnection';
import { connectionsFor } from '../engine/defaultConnection';

export interface McpSessionOptions {
  /** The project folder: schema files, snapshot files and the workspace index are read from here. */
  root: string;
  settings: LiveSchemaSettings;
  /** Where snapshots persist between runs; none keeps them in memory. */
  cacheDir?: string;
  /** The CLI never reads passwords from its config: an environment variable supplies them. */
  passwords: PasswordProvider;
  /** The cache handled a problem by itself (a damaged file): log it, never on stdout. */
  log(message: string): void;
}

/** A connection and the snapshot a tool answers with. */
export interface Resolved {
  connection: McpConnection;
  snapshot: SchemaSnapshot;
}

/**
 * All state of one MCP server run: the settings, the connections (the configured ones, or the
 * embedded database built from the project's schema files when none is configured) and their cache.
 */
export class McpSession {
  readonly connections: McpConnection[];
  readonly store: SnapshotStore;

  constructor(readonly options: McpSessionOptions) {
    const { settings, root } = options;
    this.store = new SnapshotStore({ cacheDir: options.cacheDir });
    this.store.on('message', (m) => options.log(`${m.file ? `${m.file}: ` : ''}${m.message}`));
    const configured = connectionsFor(settings, root);
    this.connections = configured.map(
      (c) =>
        new McpConnection(c, {
          driver: { root, passwords: options.passwords },
          store: this.store,
          ttlMs: settings.cache.ttlSeconds * 1000,
          pollIntervalMs: settings.cache.pollIntervalSeconds * 1000,
          embedded: settings.embedded,
        }),
    );
  }

  get settings(): LiveSchemaSettings {
    return this.options.settings;
  }

  /** The connections a tool applies to: the named one, or all of them. Throws a message for the agent. */
  select(name: string | undefined): McpConnection[] {
    if (this.connections.length === 0) throw new Error(NO_SOURCE);
    if (name === undefined) return this.connections;
    const found = this.connections.find((c) => c.name === name);
    if (!found)
      throw new Error(`No connection named "${name}". Connections: ${this.connections.map((c) => c.name).join(', ')}.`);
    return [found];
  }

  /**
   * The one connection a statement is checked against: the named one, or the only one. With
   * several and no name, the agent must choose.
   */
  single(name: string | undefined): McpConnection {
    const candidates = this.select(name);
    if (candidates.length > 1)
      throw new Error(
        `Several connections are configured; pass "connection": one of ${candidates.map((c) => `"${c.name}"`).join(', ')}.`,
      );
    return candidates[0];
  }

  /** The connection's snapshot, or an error saying why there is none yet. */
  async resolve(connection: McpConnection): Promise<Resolved> {
    const snapshot = await connection.snapshot();
    if (!snapshot) {
      const { reason } = connection.state();
      throw new Error(
        `The schema of "${connection.name}" is not available: ${reason ?? 'discovery has not finished'}. No snapshot was ever taken, so there is nothing to fall back on.`,
      );
    }
    return { connection, snapshot };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.dispose()));
  }
}

const NO_SOURCE =
  'No schema source: configure "liveSchema.connections" in live-schema.json (or pass --config), or add schema files (schema.sql, db/**/*.sql, migrations/**/*.sql) to the project folder for the embedded database.';
