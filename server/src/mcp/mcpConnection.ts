import { connectionKey, type ConnectionSettings } from '../config/connectionSettings';
import type { EmbeddedSettings } from '../embedded/settings';
import { createDriver, type DriverContext } from '../db/createDriver';
import type { PrepareChecker, SchemaDriver } from '../db/driver';
import { WorkspaceIndex, type ReferenceLocation } from '../index/workspaceIndex';
import { isTableOrView, type SchemaSnapshot } from '../schema/snapshot';
import { SchemaMonitor, type MonitorStatus, type SchemaChangeEvent } from '../schema/schemaMonitor';
import type { CachedSnapshot, SnapshotStore } from '../schema/snapshotStore';
import type { ElementRef } from '../sql/editing/references';

export interface McpConnectionOptions {
  driver: DriverContext;
  store: SnapshotStore;
  ttlMs: number;
  /** 0 turns background polling off. */
  pollIntervalMs: number;
  embedded: EmbeddedSettings;
}

/** A connection's state as tools and resources report it; nothing secret. */
export interface ConnectionState {
  name: string;
  driver: ConnectionSettings['driver'];
  /** `fresh` checked, `stale` last good snapshot served while the database fails, `offline` none yet. */
  state: MonitorStatus;
  /** What failed, in words that say what to fix; null when fresh. */
  reason: string | null;
  takenAt: string | null;
  schemaAgeSeconds: number | null;
  serverVersion: string | null;
  tables: number;
}

/** The last schema change detected in this session. */
export interface DetectedChange {
  detectedAt: number;
  event: SchemaChangeEvent;
}

/**
 * One configured connection as the MCP server sees it: a schema monitor (cache, TTL, polling,
 * back-off) that every tool asks through, so a tool call past the TTL re-checks the fingerprint
 * and a database that went away leaves the last good snapshot in use, marked stale.
 */
export class McpConnection {
  private readonly monitor: SchemaMonitor;
  private entry: CachedSnapshot | undefined;
  private started = false;
  private change: DetectedChange | undefined;
  private checker: (SchemaDriver & PrepareChecker) | undefined;
  private index: { index: WorkspaceIndex; snapshot: SchemaSnapshot } | undefined;

  constructor(
    readonly settings: ConnectionSettings,
    private readonly options: McpConnectionOptions,
  ) {
    this.monitor = new SchemaMonitor({
      key: connectionKey(settings, options.driver.root),
      driver: createDriver(settings, options.driver),
      store: options.store,
      ttlMs: options.ttlMs,
      pollIntervalMs: options.pollIntervalMs,
    });
    this.monitor.on('change', (event) => {
      this.entry = event.current;
      this.change = { detectedAt: Date.now(), event };
    });
  }

  get name(): string {
    return this.settings.name;
  }

  /** True for servers that can PREPARE statements (PostgreSQL, MySQL/MariaDB). */
  get isLive(): boolean {
    return this.settings.driver === 'postgres' || this.settings.driver === 'mysql';
  }

  /**
   * The snapshot to answer with: within the TTL the cached one; past it the fingerprint decides.
   * While the database fails it is the last good one (see `state()`); undefined when there never was one.
   */
  async snapshot(): Promise<SchemaSnapshot | undefined> {
    this.entry = (await this.monitor.snapshot()) ?? this.entry;
    if (!this.started) {
      this.started = true;
      this.monitor.start();
    }
    return this.entry?.snapshot;
  }

  /** Polls the fingerprint now and re-discovers on a change (what `schema_changes` answers from). */
  async checkNow(): Promise<void> {
    await this.monitor.check();
    this.entry = (await this.options.store.peek(this.monitor.key)) ?? this.entry;
  }

  state(): ConnectionState {
    const { status, reason } = this.monitor.state;
    const entry = this.entry;
    return {
      name: this.settings.name,
      driver: this.settings.driver,
      state: entry && status === 'loading' ? 'fresh' : status,
      reason,
      takenAt: entry ? new Date(entry.takenAt).toISOString() : null,
      schemaAgeSeconds: entry ? Math.round((Date.now() - entry.takenAt) / 1000) : null,
      serverVersion: entry?.serverVersion ?? null,
      tables: entry?.snapshot.relations.filter(isTableOrView).length ?? 0,
    };
  }

  get lastChange(): DetectedChange | undefined {
    return this.change;
  }

  /** A driver of its own for PREPARE checks (read-only session, statement timeout), opened on first use. */
  prepareChecker(): PrepareChecker | undefined {
    if (!this.isLive) return undefined;
    this.checker ??= createDriver(this.settings, this.options.driver) as SchemaDriver & PrepareChecker;
    return this.checker;
  }

  /**
   * Where the workspace names `element`, from the workspace index. The index is built on first
   * use (again after a schema change) and walked again on every call, so edits made since (by the agent, too) are seen.
   */
  async referencesTo(element: ElementRef, snapshot: SchemaSnapshot): Promise<ReferenceLocation[]> {
    if (this.index?.snapshot !== snapshot) {
      const index = new WorkspaceIndex({
        root: this.options.driver.root,
        snapshot,
        previousSnapshot: this.index?.snapshot,
        embedded: this.options.embedded,
      });
      this.index = { index, snapshot };
    }
    await this.index.index.build();
    return this.index.index.referencesTo(element);
  }

  async dispose(): Promise<void> {
    await this.monitor.dispose();
    await this.checker?.close();
  }
}
