import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile';
import { SNAPSHOT_FORMAT_VERSION, type SchemaSnapshot } from './snapshot';
import { validateSnapshot } from './snapshotSchema';
import { TypedEmitter } from './typedEmitter';

/** One connection's snapshot with what the cache needs to decide whether it is still good. */
export interface CachedSnapshot {
  /** `connectionKey()` of the connection: what selects the schema, never a secret. */
  key: string;
  snapshot: SchemaSnapshot;
  /** The driver's fingerprint taken just before the discovery that produced `snapshot`. */
  fingerprint: string;
  /** When the discovery ran (ms since the epoch). */
  takenAt: number;
  /** When the fingerprint last confirmed the snapshot; the TTL runs from here. */
  checkedAt: number;
  serverVersion: string;
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
}

/** A problem the store handled by itself (a damaged cache file, a read-only directory); never thrown. */
export interface StoreMessage {
  message: string;
  file?: string;
}

/** Figures for "Show Cache Statistics". Counters run from the store's creation. */
export interface CacheStatistics {
  /** Requests answered from memory or from the cache directory. */
  hits: number;
  /** Of those, answered by reading the cache directory. */
  diskLoads: number;
  /** Requests that found nothing and needed a discovery. */
  misses: number;
  /** Full discoveries stored after the first one for a key. */
  refreshes: number;
  fingerprintChecks: number;
  evictions: number;
  /** Duration of the most recent discovery, or null before the first. */
  lastRefreshMs: number | null;
  entries: {
    key: string;
    relations: number;
    columns: number;
    /** Size of the persisted form (compact JSON). */
    bytes: number;
    takenAt: number;
    checkedAt: number;
  }[];
}

export interface SnapshotStoreOptions {
  /** Where snapshots persist (extension storage; the user's cache folder for MCP). None: memory only. */
  cacheDir?: string;
  /** Snapshots held in memory at most; the least recently used one is dropped first (it stays on disk). */
  maxEntries?: number;
  /** The time, to refuse cache files that claim to come from the future. */
  now?: () => number;
}

const CACHE_FILE_KIND = 'live-schema-cache';
/** The envelope's own version; the snapshot inside carries `SNAPSHOT_FORMAT_VERSION`. */
const CACHE_FILE_VERSION = 1;

/**
 * Snapshots by connection key: in memory under an LRU bound and persisted to a cache directory,
 * so a restarted editor has a schema before any database answers. Disk trouble never reaches the
 * caller: an unreadable file is a miss, an unwritable directory leaves the store memory-only,
 * and both are reported once through the `message` event.
 */
export class SnapshotStore extends TypedEmitter<{ message: StoreMessage }> {
  private readonly memory = new Map<string, { entry: CachedSnapshot; bytes: number | undefined }>();
  private readonly maxEntries: number;
  private readonly counters = {
    hits: 0,
    diskLoads: 0,
    misses: 0,
    refreshes: 0,
    fingerprintChecks: 0,
    evictions: 0,
    lastRefreshMs: null as number | null,
  };
  /** Files being read, by key. */
  private readonly loading = new Map<string, Promise<CachedSnapshot | undefined>>();
  private writeFailureReported = false;
  /** Damaged files already reported: each is reported once, not on every lookup until it is overwritten. */
  private readonly reportedFiles = new Set<string>();

  constructor(private readonly options: SnapshotStoreOptions = {}) {
    super();
    this.maxEntries = Math.max(1, options.maxEntries ?? 8);
  }

  /** The entry for a key from memory, else from the cache directory; undefined (a miss) otherwise. */
  async get(key: string): Promise<CachedSnapshot | undefined> {
    const held = this.memory.get(key);
    if (held) {
      this.counters.hits++;
      this.remember(key, held.entry, held.bytes);
      return held.entry;
    }
    const loaded = await this.loadOnce(key);
    if (loaded) this.counters.hits++;
    else this.counters.misses++;
    return loaded;
  }

  /** Like `get`, without counting a hit or miss: for the monitor's own bookkeeping. */
  async peek(key: string): Promise<CachedSnapshot | undefined> {
    return this.memory.get(key)?.entry ?? (await this.loadOnce(key));
  }

  /** Stores a fresh discovery in memory and on disk. Resolves once persisted or found unwritable. */
  async put(entry: Omit<CachedSnapshot, 'formatVersion'>, discoveryMs?: number): Promise<CachedSnapshot> {
    const complete: CachedSnapshot = { ...entry, formatVersion: SNAPSHOT_FORMAT_VERSION };
    if (discoveryMs !== undefined) this.counters.lastRefreshMs = discoveryMs;
    const file = this.fileFor(entry.key);
    const text = file === undefined ? undefined : serialise(complete);
    this.remember(entry.key, complete, text === undefined ? undefined : Buffer.byteLength(text));
    if (file !== undefined && text !== undefined) await this.persist(file, text);
    return complete;
  }

  /** Records that the fingerprint confirmed the snapshot: the TTL restarts (in memory; disk keeps the discovery time). */
  touch(key: string, checkedAt: number): void {
    const held = this.memory.get(key);
    if (held) held.entry = { ...held.entry, checkedAt };
  }

  /** Forgets a key in memory and on disk ("Clear Cache"). */
  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    const file = this.fileFor(key);
    if (file) await rm(file, { force: true }).catch(() => undefined);
  }

  async clear(): Promise<void> {
    for (const key of [...this.memory.keys()]) await this.delete(key);
  }

  /** Counted by the monitor that decides when to check and re-discover. */
  recordFingerprintCheck(): void {
    this.counters.fingerprintChecks++;
  }

  recordRefresh(): void {
    this.counters.refreshes++;
  }

  statistics(): CacheStatistics {
    const entries = [...this.memory.entries()].map(([key, held]) => {
      held.bytes ??= Buffer.byteLength(serialise(held.entry));
      const { snapshot, takenAt, checkedAt } = held.entry;
      return {
        key,
        relations: snapshot.relations.length,
        columns: snapshot.relations.reduce((n, r) => n + r.columns.length, 0),
        bytes: held.bytes,
        takenAt,
        checkedAt,
      };
    });
    return { ...this.counters, entries };
  }

  /** Most recently used last; beyond the bound the oldest is dropped from memory only. */
  private remember(key: string, entry: CachedSnapshot, bytes: number | undefined): void {
    this.memory.delete(key);
    this.memory.set(key, { entry, bytes });
    while (this.memory.size > this.maxEntries) {
      const oldest = this.memory.keys().next().value as string;
      this.memory.delete(oldest);
      this.counters.evictions++;
    }
  }

  private fileFor(key: string): string | undefined {
    if (this.options.cacheDir === undefined) return undefined;
    const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
    return path.join(this.options.cacheDir, `${name}.json`);
  }

  private async persist(file: string, text: string): Promise<void> {
    try {
      await writeFileAtomic(file, text);
      this.writeFailureReported = false;
      this.reportedFiles.delete(file);
    } catch (error) {
      if (this.writeFailureReported) return;
      this.writeFailureReported = true;
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.emit('message', {
        message: `The schema cache directory ${this.options.cacheDir} is not writable (${reason}); snapshots are kept in memory only and rediscovered after a restart.`,
        file,
      });
    }
  }

  /**
   * Reads a key's file once however many ask at the same time (the documents and the workspace
   * index of a starting editor): one parse and one snapshot in memory, not one per caller. An
   * entry stored while the file was read wins over the file.
   */
  private loadOnce(key: string): Promise<CachedSnapshot | undefined> {
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key)
        .then((loaded) => {
          const held = this.memory.get(key);
          if (held) return held.entry;
          if (!loaded) return undefined;
          this.counters.diskLoads++;
          this.remember(key, loaded.entry, loaded.bytes);
          return loaded.entry;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(key: string): Promise<{ entry: CachedSnapshot; bytes: number } | undefined> {
    const file = this.fileFor(key);
    if (file === undefined) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT')
        this.emit('message', { message: `Ignored the cached schema ${file}: it cannot be read (${code}).`, file });
      return undefined;
    }
    const result = parseCacheFile(bytes, key, (this.options.now ?? Date.now)());
    if ('error' in result) {
      if (this.reportedFiles.has(file)) return undefined;
      this.reportedFiles.add(file);
      this.emit('message', {
        message: `Ignored the cached schema ${file}: ${result.error}. The schema is discovered afresh.`,
        file,
      });
      return undefined;
    }
    return { entry: result.entry, bytes: bytes.length };
  }
}

/**
 * Two lines: a header (`kind`, versions, key, fingerprint, times, a checksum) and the snapshot as
 * compact JSON. The checksum tells damage (a torn or truncated file) apart from a file written by
 * something else; it proves nothing, since anyone can recompute it. So a loaded snapshot is
 * validated with the same schema as `schema.json`, and times in the future or before Live Schema
 * existed are refused: a cache directory may sit in a repository, written by an attacker.
 */
function serialise(entry: CachedSnapshot): string {
  const { key, fingerprint, takenAt, checkedAt, serverVersion, snapshot } = entry;
  const body = JSON.stringify(snapshot);
  const header = {
    kind: CACHE_FILE_KIND,
    cacheVersion: CACHE_FILE_VERSION,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    key,
    fingerprint,
    takenAt,
    checkedAt,
    serverVersion,
    checksum: checksum(body),
  };
  return `${JSON.stringify(header)}\n${body}`;
}

/** MD5 of the body's UTF-8 bytes: the file's own bytes on load, never a decoded and re-encoded copy. */
function checksum(text: string | Uint8Array): string {
  return createHash('md5').update(text).digest('hex');
}

/** Earlier than any snapshot Live Schema took (2020-01-01): such a time was forged or damaged. */
const EARLIEST_TIME = Date.UTC(2020, 0, 1);
/** Clocks of one machine agree; a minute covers a cache shared between two. */
const CLOCK_SKEW_MS = 60_000;

function parseCacheFile(file: Buffer, key: string, now: number): { entry: CachedSnapshot } | { error: string } {
  const newline = file.indexOf(0x0a);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(file.toString('utf8', 0, newline === -1 ? file.length : newline)) as Record<string, unknown>;
  } catch {
    return { error: 'it is not valid JSON (truncated or damaged)' };
  }
  if (header === null || typeof header !== 'object' || header.kind !== CACHE_FILE_KIND || newline === -1)
    return { error: 'it is not a Live Schema cache file' };
  if (header.cacheVersion !== CACHE_FILE_VERSION || header.formatVersion !== SNAPSHOT_FORMAT_VERSION)
    return {
      error: `it was written by another version of Live Schema (cache format ${String(header.cacheVersion)}, snapshot format ${String(header.formatVersion)})`,
    };
  if (header.key !== key) return { error: 'it belongs to another connection' };
  const { fingerprint, takenAt, checkedAt, serverVersion } = header;
  if (
    typeof fingerprint !== 'string' ||
    typeof takenAt !== 'number' ||
    typeof checkedAt !== 'number' ||
    typeof serverVersion !== 'string'
  )
    return { error: 'its header is incomplete' };
  const times = [takenAt, checkedAt];
  if (times.some((t) => !Number.isSafeInteger(t) || t < EARLIEST_TIME) || checkedAt < takenAt)
    return { error: 'its times are impossible (damaged or forged)' };
  if (times.some((t) => t > now + CLOCK_SKEW_MS)) return { error: 'its times lie in the future (damaged or forged)' };
  const body = file.subarray(newline + 1);
  if (checksum(body) !== header.checksum)
    return { error: 'its content does not match its checksum (truncated, damaged or edited by hand)' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { error: 'it is not valid JSON (truncated or damaged)' };
  }
  const validated = validateSnapshot(value);
  if ('error' in validated) return { error: `it is not a valid snapshot (${validated.error})` };
  return {
    entry: {
      key,
      snapshot: validated.snapshot,
      fingerprint,
      takenAt,
      checkedAt,
      serverVersion,
      formatVersion: SNAPSHOT_FORMAT_VERSION,
    },
  };
}
