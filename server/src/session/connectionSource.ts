import { connectionKey, type ConnectionSettings } from '../config/connectionSettings';
import { createDriver, type DriverContext } from '../db/createDriver';
import type { DiscoveryWarning, PrepareChecker, SchemaDriver, StatementDescriber } from '../db/driver';
import type { ConnectionStatus } from '../protocol/customMessages';
import { isTableOrView, type SchemaSnapshot } from '../schema/snapshot';
import { passwordTarget } from './passwordTarget';
import { SchemaMonitor, type MonitorStatus, type SchemaChangeEvent } from '../schema/schemaMonitor';
import type { CachedSnapshot, SnapshotStore } from '../schema/snapshotStore';

export interface ConnectionSourceOptions {
  driver: DriverContext;
  store: SnapshotStore;
  ttlMs: number;
  /** 0 turns background polling off. */
  pollIntervalMs: number;
  /** State or schema age changed: tell the client, re-check documents. */
  onStatusChanged(source: ConnectionSource): void;
  /** The schema changed under a running editor: the diff says what. */
  onSchemaChanged(source: ConnectionSource, event: SchemaChangeEvent): void;
  /** A discovery warned about something new (a schema file not applied, …): tell the user once. */
  onDiscoveryWarnings(source: ConnectionSource, warnings: DiscoveryWarning[]): void;
  /** Shows progress while the first discovery runs (there is no schema to work with until then). */
  startProgress(title: string): Promise<{ done(): void }>;
}

/** The schema before the last change noticed, and when it was noticed. */
export interface SchemaChange {
  previous: SchemaSnapshot;
  at: Date;
}

const STATES: Record<MonitorStatus, ConnectionStatus['state']> = {
  loading: 'connecting',
  fresh: 'connected',
  stale: 'stale',
  offline: 'offline',
};

/**
 * One configured connection as the language server sees it: a schema monitor (cache, TTL,
 * polling, back-off) over the connection's driver. The persisted snapshot answers at once after a
 * restart; the database is asked in the background and a change re-checks the documents.
 */
export class ConnectionSource {
  private readonly monitor: SchemaMonitor;
  private readonly driver: SchemaDriver;
  private entry: CachedSnapshot | undefined;
  private change: SchemaChange | undefined;
  private waitingForDiscovery = 0;
  private discoveryProgress: Promise<{ done(): void }> | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly settings: ConnectionSettings,
    private readonly options: ConnectionSourceOptions,
  ) {
    this.driver = createDriver(settings, options.driver);
    this.monitor = new SchemaMonitor({
      key: connectionKey(settings, options.driver.root),
      driver: this.driver,
      store: options.store,
      ttlMs: options.ttlMs,
      pollIntervalMs: options.pollIntervalMs,
    });
    this.unsubscribe.push(
      this.monitor.on('state', () => options.onStatusChanged(this)),
      this.monitor.on('warnings', (warnings) => options.onDiscoveryWarnings(this, warnings)),
      this.monitor.on('change', (event) => {
        this.entry = event.current;
        this.change = { previous: event.previous.snapshot, at: new Date() };
        options.onSchemaChanged(this, event);
        options.onStatusChanged(this);
      }),
    );
  }

  get name(): string {
    return this.settings.name;
  }

  /** The driver as a PREPARE-only checker, for drivers that can be one (live servers). */
  get prepareChecker(): PrepareChecker | undefined {
    return 'prepareCheck' in this.driver ? (this.driver as SchemaDriver & PrepareChecker) : undefined;
  }

  /** The driver as a statement describer, for drivers that can be one (live servers). */
  get describer(): StatementDescriber | undefined {
    return 'describe' in this.driver ? (this.driver as SchemaDriver & StatementDescriber) : undefined;
  }

  /** The cache key: what selects the schema, nothing secret. */
  get key(): string {
    return this.monitor.key;
  }

  /** The snapshot in use right now, without waiting; undefined before the first one. */
  get snapshot(): SchemaSnapshot | undefined {
    return this.entry?.snapshot;
  }

  /**
   * The last schema change seen while the server ran (not persisted: after a restart the schema
   * in the cache is simply the schema), so diagnostics can say a name broke because of it.
   */
  get lastChange(): SchemaChange | undefined {
    return this.change;
  }

  status(): ConnectionStatus {
    const state = this.monitor.state;
    return {
      name: this.settings.name,
      driver: this.settings.driver,
      state: this.entry && state.status === 'loading' ? 'connected' : STATES[state.status],
      schemaAgeMs: this.entry ? Date.now() - this.entry.takenAt : null,
      message: state.reason,
      tables: this.entry?.snapshot.relations.filter(isTableOrView).length ?? 0,
      target: passwordTarget(this.settings),
    };
  }

  /**
   * The snapshot to analyse with. A cached one (memory or disk) is returned at once and checked
   * against the database in the background; with none, this waits for the first discovery. While
   * the database fails it stays the last good one (and `status()` says stale).
   */
  async ready(): Promise<SchemaSnapshot | undefined> {
    if (!this.entry) {
      this.entry = await this.monitor.cached();
      if (!this.entry) {
        // After a failure nothing is discovered until the back-off ends: no progress to show, and
        // no status to announce (the client asks again on every status notice, which would loop).
        if (this.monitor.backingOff) return undefined;
        this.entry = await this.withDiscoveryProgress(() => this.monitor.snapshot());
        // A failure was announced by the monitor's state change; a success is announced here,
        // once the snapshot is in place for `status()` to count.
        if (this.entry) this.options.onStatusChanged(this);
        this.monitor.start();
        return this.entry?.snapshot;
      }
      this.monitor.start();
      void this.monitor.snapshot().then((fresh) => {
        if (fresh && fresh !== this.entry) {
          this.entry = fresh;
          this.options.onStatusChanged(this);
        }
      });
    }
    return this.entry.snapshot;
  }

  /** One progress indicator however many documents wait for the same first discovery. */
  private async withDiscoveryProgress<T>(discover: () => Promise<T>): Promise<T> {
    if (this.waitingForDiscovery++ === 0)
      this.discoveryProgress = this.options.startProgress(`Live Schema: discovering the schema of ${this.name}`);
    try {
      return await discover();
    } finally {
      if (--this.waitingForDiscovery === 0) {
        void this.discoveryProgress?.then((progress) => progress.done());
        this.discoveryProgress = undefined;
      }
    }
  }

  /** Re-discovers now ("Refresh Schema"); resolves when done, successful or not. */
  async refresh(): Promise<void> {
    // A check already running (a retry with the old password) must not stand in for this one.
    await this.monitor.whenIdle();
    await this.monitor.refresh();
    this.entry = (await this.options.store.peek(this.monitor.key)) ?? this.entry;
    this.options.onStatusChanged(this);
  }

  pause(): void {
    this.monitor.pause();
  }

  resume(): void {
    this.monitor.resume();
  }

  async dispose(): Promise<void> {
    for (const off of this.unsubscribe) off();
    await this.monitor.dispose();
  }
}
