import { DatabaseError, type DiscoveryWarning, type SchemaDriver } from '../db/driver';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { diffSnapshots, type SchemaDiff } from './schemaDiff';
import type { CachedSnapshot, SnapshotStore } from './snapshotStore';
import { TypedEmitter } from './typedEmitter';

/**
 * Keeps one connection's snapshot fresh: TTL with a cheap fingerprint check on expiry,
 * background polling for schema changes, and failure handling that keeps the last good
 * snapshot in use. Nothing here throws at the caller; problems become state.
 */

export interface SchemaMonitorOptions {
  /** `connectionKey()` of the connection; the store's key. */
  key: string;
  /** Owned by the monitor: `dispose()` closes it. */
  driver: SchemaDriver;
  store: SnapshotStore;
  /** How long a snapshot is trusted before the fingerprint is asked again. Default 5 minutes. */
  ttlMs?: number;
  /** Background fingerprint polling; 0 turns it off (failures are still retried). Default 30 s. */
  pollIntervalMs?: number;
  /** Retry delays after failures: doubling from `initialMs`, never above `maxMs`. Default 2 s … 5 min. */
  backoff?: { initialMs: number; maxMs: number };
  clock?: Clock;
}

/**
 * `loading` before the first snapshot; `fresh` when the last check succeeded; `stale` when it
 * failed and the last good snapshot is still served; `offline` when it failed and there is none.
 */
export type MonitorStatus = 'loading' | 'fresh' | 'stale' | 'offline';

export interface MonitorState {
  status: MonitorStatus;
  /** What failed, in words that say what to fix (the `DatabaseError` message); null when fresh. */
  reason: string | null;
  errorKind: DatabaseError['kind'] | null;
  /** Consecutive failed checks. */
  failures: number;
  /** When the next automatic attempt is due after a failure (ms since the epoch), else null. */
  retryAt: number | null;
}

/** One detected schema change: the diff names what changed, with both snapshots for later analysis. */
export interface SchemaChangeEvent {
  key: string;
  previous: CachedSnapshot;
  current: CachedSnapshot;
  diff: SchemaDiff;
}

export type CheckOutcome =
  | { result: 'unchanged' }
  | { result: 'discovered' }
  | { result: 'changed'; diff: SchemaDiff }
  | { result: 'failed'; reason: string };

const DEFAULT_TTL_MS = 300_000;
const DEFAULT_POLL_MS = 30_000;
const DEFAULT_BACKOFF = { initialMs: 2_000, maxMs: 300_000 };

export class SchemaMonitor extends TypedEmitter<{
  change: SchemaChangeEvent;
  state: MonitorState;
  /** A discovery's warnings, when they differ from the last discovery's (never again on every refresh). */
  warnings: DiscoveryWarning[];
}> {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private current: MonitorState = { status: 'loading', reason: null, errorKind: null, failures: 0, retryAt: null };
  private inFlight: Promise<CheckOutcome> | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private paused = false;
  private disposed = false;
  private lastCheckAt: number | undefined;
  private lastWarnings = '[]';

  constructor(private readonly options: SchemaMonitorOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get key(): string {
    return this.options.key;
  }

  get state(): MonitorState {
    return this.current;
  }

  /** True while the back-off after a failed check runs: until it ends, `snapshot()` does not ask the database. */
  get backingOff(): boolean {
    return this.current.retryAt !== null && this.clock.now() < this.current.retryAt;
  }

  /** What the cache holds (memory or disk), without asking the database: instant diagnostics after a restart. */
  cached(): Promise<CachedSnapshot | undefined> {
    return this.options.store.get(this.key);
  }

  /**
   * The snapshot to analyse with. Within its TTL it is served as is; past it the fingerprint
   * decides whether to re-discover; with none cached it is discovered. While the database fails
   * the last good snapshot is returned (see `state`), and undefined only when there never was one.
   */
  async snapshot(): Promise<CachedSnapshot | undefined> {
    const entry = await this.options.store.get(this.key);
    const now = this.clock.now();
    if (entry && now - entry.checkedAt < this.ttlMs) return entry;
    if (!this.backingOff) await this.check();
    return (await this.options.store.peek(this.key)) ?? entry;
  }

  /**
   * One poll: ask the fingerprint; re-discover when it moved (or nothing is cached) and emit
   * `change` with the diff. Concurrent callers share one check.
   */
  check(): Promise<CheckOutcome> {
    return this.exclusive(() => this.runCheck(false));
  }

  /** Re-discovers whatever the fingerprint says ("Refresh Schema"). */
  refresh(): Promise<CheckOutcome> {
    return this.exclusive(() => this.runCheck(true));
  }

  /** Resolves when no check is in progress: a signal to wait on instead of sleeping. */
  async whenIdle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Starts background polling (and retries after failures). */
  start(): void {
    if (this.disposed) return;
    this.running = true;
    this.scheduleNext();
  }

  /** Stops polling, e.g. while the editor is idle; `snapshot()` still works. */
  pause(): void {
    this.paused = true;
    this.cancelTimer();
  }

  /** Resumes polling, checking at once if a poll fell due while paused. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.scheduleNext();
  }

  /** Stops polling and closes the driver; waits for a check in progress. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelTimer();
    await this.inFlight;
    await this.options.driver.close();
  }

  private exclusive(work: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
    this.inFlight ??= work().finally(() => {
      this.inFlight = undefined;
      // Whoever asked, the next poll or retry is timed from this check.
      this.scheduleNext();
    });
    return this.inFlight;
  }

  private async runCheck(force: boolean): Promise<CheckOutcome> {
    const { driver, store } = this.options;
    this.lastCheckAt = this.clock.now();
    try {
      store.recordFingerprintCheck();
      // Taken before discovery: a DDL landing in between moves it again, so the next poll re-checks.
      const fingerprint = await driver.fingerprint();
      const previous = await store.peek(this.key);
      if (previous && !force && previous.fingerprint === fingerprint) {
        store.touch(this.key, this.clock.now());
        this.succeeded();
        return { result: 'unchanged' };
      }
      const discovery = await driver.discover();
      const now = this.clock.now();
      const current = await store.put(
        {
          key: this.key,
          snapshot: discovery.snapshot,
          fingerprint,
          takenAt: now,
          checkedAt: now,
          serverVersion: discovery.snapshot.server.version,
        },
        discovery.durationMs,
      );
      this.succeeded();
      this.reportWarnings(discovery.warnings);
      if (!previous) return { result: 'discovered' };
      store.recordRefresh();
      const diff = diffSnapshots(previous.snapshot, current.snapshot);
      if (diff.changes.length > 0) this.emit('change', { key: this.key, previous, current, diff });
      return { result: 'changed', diff };
    } catch (error) {
      const reason = await this.failed(error);
      return { result: 'failed', reason };
    }
  }

  private reportWarnings(warnings: DiscoveryWarning[]): void {
    const text = JSON.stringify(warnings.map((w) => w.message));
    if (text === this.lastWarnings) return;
    this.lastWarnings = text;
    if (warnings.length > 0) this.emit('warnings', warnings);
  }

  private succeeded(): void {
    this.setState({ status: 'fresh', reason: null, errorKind: null, failures: 0, retryAt: null });
  }

  private async failed(error: unknown): Promise<string> {
    const reason =
      error instanceof DatabaseError
        ? error.message
        : `Schema discovery failed: ${error instanceof Error ? error.message : String(error)}`;
    const failures = this.current.failures + 1;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (failures - 1));
    const hasSnapshot = (await this.options.store.peek(this.key)) !== undefined;
    this.setState({
      status: hasSnapshot ? 'stale' : 'offline',
      reason,
      errorKind: error instanceof DatabaseError ? error.kind : null,
      failures,
      retryAt: this.clock.now() + delay,
    });
    return reason;
  }

  /**
   * Listeners hear a state once per change of status (fresh → stale → fresh), never once per
   * failed poll; the latest reason is always readable from `state`.
   */
  private setState(next: MonitorState): void {
    const before = this.current;
    this.current = next;
    if (before.status !== next.status) this.emit('state', next);
  }

  private scheduleNext(): void {
    this.cancelTimer();
    if (!this.running || this.paused || this.disposed) return;
    const now = this.clock.now();
    let due: number | undefined;
    if (this.current.retryAt !== null) due = this.current.retryAt;
    else if (this.pollIntervalMs > 0) due = (this.lastCheckAt ?? now) + this.pollIntervalMs;
    if (due === undefined) return;
    this.timer = this.clock.setTimer(() => void this.tick(), Math.max(0, due - now));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    await this.check();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
