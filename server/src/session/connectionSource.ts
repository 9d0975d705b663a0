import type { ConnectionSettings } from '../config/connectionSettings';
import { createDriver, type DriverContext } from '../db/createDriver';
import { DatabaseError, type SchemaDriver } from '../db/driver';
import type { SchemaSnapshot } from '../schema/snapshot';
import type { ConnectionStatus } from '../protocol/customMessages';

/**
 * One configured connection as the language server sees it: the driver, the snapshot in use and
 * the state shown to the user. A failed discovery keeps the last good snapshot (marked stale) and
 * reports its error once per state change, never per request.
 */
export class ConnectionSource {
  private readonly driver: SchemaDriver;
  private snapshotInUse: SchemaSnapshot | undefined;
  private takenAt: number | undefined;
  private state: ConnectionStatus['state'] = 'connecting';
  private message: string | null = null;
  private discovery: Promise<void> | undefined;
  private failures = 0;
  private lastFailureAt = 0;

  constructor(
    readonly settings: ConnectionSettings,
    context: DriverContext,
    private readonly onStatusChanged: (source: ConnectionSource) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.driver = createDriver(settings, context);
  }

  get name(): string {
    return this.settings.name;
  }

  get snapshot(): SchemaSnapshot | undefined {
    return this.snapshotInUse;
  }

  status(): ConnectionStatus {
    return {
      name: this.settings.name,
      driver: this.settings.driver,
      state: this.state,
      schemaAgeMs: this.takenAt === undefined ? null : this.now() - this.takenAt,
      message: this.message,
      tables: this.snapshotInUse?.relations.length ?? 0,
    };
  }

  /**
   * The snapshot, discovering it first if there is none yet. Concurrent callers share one
   * discovery; after a failure, callers get `undefined` at once until the back-off has passed
   * (1 s, doubling up to a minute), so typing never hammers a dead database.
   */
  async ready(): Promise<SchemaSnapshot | undefined> {
    const backOffMs = this.failures === 0 ? 0 : Math.min(60_000, 1_000 * 2 ** (this.failures - 1));
    if (!this.snapshotInUse && (this.discovery || this.now() - this.lastFailureAt >= backOffMs)) await this.refresh();
    return this.snapshotInUse;
  }

  /** Re-discovers now; resolves when done, successful or not (the state says which). */
  refresh(): Promise<void> {
    this.discovery ??= this.discover().finally(() => {
      this.discovery = undefined;
    });
    return this.discovery;
  }

  private async discover(): Promise<void> {
    try {
      const result = await this.driver.discover();
      this.snapshotInUse = result.snapshot;
      this.takenAt = this.now();
      this.failures = 0;
      this.setState('connected', result.warnings.length ? result.warnings.map((w) => w.message).join('\n') : null);
    } catch (error) {
      this.failures++;
      this.lastFailureAt = this.now();
      const message =
        error instanceof DatabaseError
          ? error.message
          : `Discovery failed: ${error instanceof Error ? error.message : String(error)}`;
      this.setState(
        this.snapshotInUse
          ? 'stale'
          : error instanceof DatabaseError && error.kind === 'unreachable'
            ? 'offline'
            : 'error',
        message,
      );
    }
  }

  private setState(state: ConnectionStatus['state'], message: string | null): void {
    const changed = state !== this.state || message !== this.message;
    this.state = state;
    this.message = message;
    if (changed || state === 'connected') this.onStatusChanged(this);
  }

  async dispose(): Promise<void> {
    await this.driver.close();
  }
}
