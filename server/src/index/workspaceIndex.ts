/**
 * The workspace index: every `.sql` file and every TS/JS/Python file of a folder, read once in
 * the background and kept current file by file, so "where is `orders.total_cents` used?" and
 * "which static dependencies does the code have?" are answered from memory. It knows nothing of
 * LSP: the language server and the CLI drive it with a snapshot, an AbortSignal and a progress
 * callback.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PythonParserLocation } from '../embedded/pythonParser';
import { DEFAULT_EMBEDDED_SETTINGS, type EmbeddedSettings } from '../embedded/settings';
import type { StaticDependencyCategory } from '../embedded/staticReferences';
import type { SchemaSnapshot } from '../schema/snapshot';
import { elementKey, type ElementRef } from '../sql/editing/references';
import { changedNames, mayContain } from './changedNames';
import {
  fileReferences,
  indexText,
  type FileIndex,
  type IndexContext,
  type IndexedDependency,
  type IndexedReference,
  type IndexedText,
} from './indexFile';
import { defaultWorkerCount, indexInWorkers, PER_WORKER } from './indexPool';
import { indexedLanguageOf, WorkspaceFilter, type WorkspaceFilterOptions } from './workspaceFilter';

export interface WorkspaceIndexOptions extends WorkspaceFilterOptions {
  snapshot: SchemaSnapshot;
  /** Names that existed before the last schema change still count as static dependencies (marked gone). */
  previousSnapshot?: SchemaSnapshot;
  /** Larger files are skipped with a note (default: `embedded.maxFileBytes`, 2 MB). */
  maxFileBytes?: number;
  embedded?: EmbeddedSettings;
  python?: PythonParserLocation;
  /**
   * Worker threads for a run of many files (default: one per core, up to 4); 0 indexes every file
   * on the calling thread. A single file (`update`) is always indexed on the calling thread.
   */
  workers?: number;
  /** Runs of fewer files are indexed on the calling thread (default 1,000; tests lower it). */
  minFilesForWorkers?: number;
}

export interface IndexRunOptions {
  /** Stops the run between two files; the files done so far keep their new entries. */
  signal?: AbortSignal;
  /** Called with the files done and the total, first with `(0, total)`. */
  onProgress?: (done: number, total: number) => void;
  /** Folders or files (absolute or relative to the root) to walk instead of the whole root. */
  paths?: string[];
}

export interface IndexSummary {
  /** False when the run was cancelled or superseded by a newer one before its last file. */
  complete: boolean;
  /** Files read in this run, and how many there were to read. */
  indexed: number;
  total: number;
}

/** A place that names a schema element. */
export interface ReferenceLocation extends IndexedReference {
  /** Absolute path of the file. */
  file: string;
}

/** A file skipped or partly read, and why. */
export interface IndexNote {
  file: string;
  message: string;
}

/** The Static Dependencies tree: categories, then files, with counts. */
export interface DependencyCategoryGroup {
  category: StaticDependencyCategory;
  count: number;
  files: { file: string; count: number; dependencies: IndexedDependency[] }[];
}

const CATEGORY_ORDER: StaticDependencyCategory[] = ['sql-template', 'hardcoded-name', 'static-mapping'];
const BINARY_SNIFF_BYTES = 8000;
/** Files read ahead while one is indexed, so the disk and the parser overlap. */
const READ_AHEAD = 4;
/**
 * Below this many files, worker threads cost more than they save: each starts cold (about 0.7 s
 * to load its parsers, then its JIT warms up over the first hundreds of files).
 */
const MIN_FILES_FOR_WORKERS = 1000;
/** Beyond this many changed names, testing each file's words costs more than re-indexing it. */
const MAX_CHANGED_NAMES = 500;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A file's text, or the note saying why it is skipped, or undefined when it is gone. */
type Loaded = { text: string } | string | undefined;
/** What indexing a file gives: its entry and word digest, a skip note, or nothing (gone). */
type Indexed = IndexedText | undefined;

/**
 * The index of one folder against one snapshot: `build` walks it, `update`/`remove` follow file
 * changes, `setSnapshot` follows schema changes; `referencesTo` and `staticDependencies` answer
 * from memory. Runs yield between files and can be cancelled; a newer run supersedes an older one.
 */
export class WorkspaceIndex {
  readonly filter: WorkspaceFilter;
  private snapshot: SchemaSnapshot;
  private previousSnapshot: SchemaSnapshot | undefined;
  private readonly maxFileBytes: number;
  private readonly embedded: EmbeddedSettings;
  private readonly python: PythonParserLocation | undefined;
  private readonly workers: number;
  private readonly minFilesForWorkers: number;
  /** What files are resolved against now; a new object whenever the snapshot changes. */
  private context: IndexContext;
  private readonly entries = new Map<string, FileIndex>();
  /** Per file, the hashes of its words: which files a schema change can touch. */
  private readonly digests = new Map<string, Uint32Array>();
  /**
   * Schema and table (`tableKey`) → the files naming it or one of its columns. Keyed by table, not
   * by element, so that 10,000 tables cost 10,000 keys, not one per column.
   */
  private readonly byTable = new Map<string, Set<string>>();
  /** One shared element object per element named anywhere, with how many files name it. */
  private readonly interned = new Map<string, { element: ElementRef; files: number }>();
  private readonly skipped = new Map<string, string>();
  /** Texts of files given by `update(file, text)` (open editors): used instead of the disk. */
  private readonly liveTexts = new Map<string, string>();
  /** File → edit stamp: a run does not overwrite a file edited after it started. */
  private readonly editedAt = new Map<string, number>();
  /** Files still resolved against an older snapshot (a re-resolve was cancelled or superseded). */
  private readonly stale = new Set<string>();
  private clock = 0;
  private generation = 0;
  /** Files indexed by worker threads so far (the rest were indexed on the calling thread). */
  private workerFiles = 0;
  /** Why worker threads stopped during the last run that used them, for the notes. */
  private workerProblem: string | undefined;
  /** No complete walk since the last start: a snapshot change must walk again, not just re-read. */
  private walked = false;

  constructor(options: WorkspaceIndexOptions) {
    this.filter = new WorkspaceFilter(options);
    this.snapshot = options.snapshot;
    this.previousSnapshot = options.previousSnapshot;
    this.embedded = options.embedded ?? DEFAULT_EMBEDDED_SETTINGS;
    this.maxFileBytes = options.maxFileBytes ?? this.embedded.maxFileBytes;
    this.python = options.python;
    this.workers = options.workers ?? defaultWorkerCount();
    this.minFilesForWorkers = options.minFilesForWorkers ?? MIN_FILES_FOR_WORKERS;
    this.context = this.contextNow();
  }

  /**
   * Walks the root (or `paths`) and indexes every file, yielding to the event loop between files.
   * A newer `build` or `setSnapshot` supersedes a running one. Files that disappeared are dropped
   * when the walk completes.
   */
  async build(options: IndexRunOptions = {}): Promise<IndexSummary> {
    this.filter.forgetGitignores();
    const starts = options.paths?.map((p) => path.resolve(this.filter.root, p)) ?? [this.filter.root];
    const files: string[] = [];
    for (const start of starts) {
      const info = await stat(start).catch(() => undefined);
      if (info?.isDirectory()) files.push(...(await this.filter.files(start, options.signal)));
      else if (info?.isFile() && indexedLanguageOf(start)) files.push(start);
    }
    // A walk cut short lists only part of the files: dropping the others would lose them.
    if (options.signal?.aborted) return { complete: false, indexed: 0, total: files.length };
    const since = this.clock;
    const summary = await this.run(files, options);
    if (!summary.complete) return summary;
    const seen = new Set(files);
    const under = (file: string) => starts.some((s) => file === s || file.startsWith(s + path.sep));
    for (const file of [...this.entries.keys(), ...this.skipped.keys()])
      if (!seen.has(file) && under(file) && !this.liveTexts.has(file) && (this.editedAt.get(file) ?? 0) <= since)
        this.forget(file);
    if (!options.paths) this.walked = true;
    return summary;
  }

  /**
   * Re-resolves the index against a new snapshot (after a schema change). Only files that contain
   * a name the change touches are read again; the others cannot resolve differently.
   */
  async setSnapshot(
    snapshot: SchemaSnapshot,
    previousSnapshot?: SchemaSnapshot,
    options: IndexRunOptions = {},
  ): Promise<IndexSummary> {
    const names = changedNames(
      { snapshot: this.snapshot, previous: this.previousSnapshot },
      { snapshot, previous: previousSnapshot },
    );
    this.snapshot = snapshot;
    this.previousSnapshot = previousSnapshot;
    this.context = this.contextNow();
    if (!this.walked) return this.build(options);
    const touched = (file: string): boolean => {
      const digest = this.digests.get(file);
      return !names || names.size > MAX_CHANGED_NAMES || !digest || [...names].some((n) => mayContain(digest, n));
    };
    for (const file of this.entries.keys()) if (touched(file)) this.stale.add(file);
    return this.run([...this.stale].sort(), options);
  }

  /**
   * Re-indexes one file: with `text`, from that text (an open editor's, kept until the next call
   * without text); without, from the disk. A file outside the index (excluded, ignored, another
   * language) or gone from the disk is dropped.
   */
  async update(file: string, text?: string): Promise<void> {
    const full = path.resolve(file);
    const stamp = ++this.clock;
    this.editedAt.set(full, stamp);
    if (text === undefined) this.liveTexts.delete(full);
    else this.liveTexts.set(full, text);
    if (!(await this.filter.includes(full))) {
      this.liveTexts.delete(full);
      if (this.editedAt.get(full) === stamp) this.forget(full);
      return;
    }
    const result = await this.indexLoaded(full, await this.load(full));
    if (this.editedAt.get(full) === stamp) this.store(full, result);
  }

  /** Drops a deleted file. */
  remove(file: string): void {
    const full = path.resolve(file);
    this.editedAt.set(full, ++this.clock);
    this.liveTexts.delete(full);
    this.forget(full);
  }

  /**
   * Every place that names `element`, across `.sql` files and code, by file then position. With
   * `includeColumns`, a table's references include its columns' (what dropping the table breaks).
   */
  referencesTo(element: ElementRef, options: { includeColumns?: boolean } = {}): ReferenceLocation[] {
    const columnsToo = options.includeColumns === true && element.kind === 'relation';
    const wanted = (e: ElementRef): boolean =>
      (e.kind === element.kind || (columnsToo && e.kind === 'column')) &&
      e.schema === element.schema &&
      e.table === element.table &&
      (e.kind !== 'column' || columnsToo || e.column === element.column);
    const locations: ReferenceLocation[] = [];
    for (const file of this.byTable.get(tableKey(element)) ?? []) {
      const entry = this.entries.get(file)!;
      const ids = new Set<number>();
      entry.elements.forEach((e, id) => wanted(e) && ids.add(id));
      if (ids.size > 0) for (const reference of fileReferences(entry, ids)) locations.push({ file, ...reference });
    }
    return locations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  }

  /** The static dependencies of the workspace, grouped by category and file, with counts. */
  staticDependencies(): DependencyCategoryGroup[] {
    const groups = new Map<StaticDependencyCategory, DependencyCategoryGroup>();
    for (const file of [...this.entries.keys()].sort()) {
      const byCategory = new Map<StaticDependencyCategory, IndexedDependency[]>();
      for (const dependency of this.entries.get(file)!.dependencies) {
        const list = byCategory.get(dependency.category) ?? [];
        list.push(dependency);
        byCategory.set(dependency.category, list);
      }
      for (const [category, dependencies] of byCategory) {
        let group = groups.get(category);
        if (!group) groups.set(category, (group = { category, count: 0, files: [] }));
        group.count += dependencies.length;
        group.files.push({ file, count: dependencies.length, dependencies });
      }
    }
    return CATEGORY_ORDER.flatMap((category) => groups.get(category) ?? []);
  }

  /** Files skipped (too large, binary, unreadable) or partly read, with the reason. */
  notes(): IndexNote[] {
    const notes: IndexNote[] = [...this.skipped].map(([file, message]) => ({ file, message }));
    if (this.workerProblem)
      notes.push({
        file: this.filter.root,
        message: `Worker threads stopped (${this.workerProblem}); the files were indexed on one thread instead.`,
      });
    for (const [file, entry] of this.entries) for (const message of entry.notes) notes.push({ file, message });
    return notes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** The files indexed (absolute paths, sorted). */
  files(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** How many files worker threads have indexed so far, over every run. */
  filesIndexedInWorkers(): number {
    return this.workerFiles;
  }

  /** The index entry of one file, if it is indexed. */
  fileIndex(file: string): FileIndex | undefined {
    return this.entries.get(path.resolve(file));
  }

  private async run(files: string[], options: IndexRunOptions): Promise<IndexSummary> {
    const generation = ++this.generation;
    const since = this.clock;
    const total = files.length;
    options.onProgress?.(0, total);
    let indexed = 0;
    const stopped = () => options.signal?.aborted === true || generation !== this.generation;
    const done = (file: string, result: Indexed) => {
      if ((this.editedAt.get(file) ?? 0) <= since && generation === this.generation) this.store(file, result);
      indexed++;
      options.onProgress?.(indexed, total);
    };
    const workers = total >= this.minFilesForWorkers ? Math.min(this.workers, Math.ceil(total / PER_WORKER)) : 0;
    if (workers > 0) await this.runInWorkers(files, workers, stopped, done);
    else await this.runHere(files, stopped, done);
    return { complete: indexed === total, indexed, total };
  }

  /** One file after the other on this thread, reading a few ahead, yielding between files. */
  private async runHere(
    files: string[],
    stopped: () => boolean,
    done: (file: string, result: Indexed) => void,
  ): Promise<void> {
    const loads: (Promise<Loaded> | undefined)[] = [];
    for (const [i, file] of files.entries()) {
      if (stopped()) break;
      for (let ahead = i; ahead < Math.min(files.length, i + READ_AHEAD); ahead++)
        loads[ahead] ??= this.load(files[ahead]);
      const loaded = await loads[i]!;
      loads[i] = undefined;
      done(file, await this.indexLoaded(file, loaded));
      // Indexing a file does not yield by itself: let requests in between files.
      await nextTurn();
    }
  }

  /** The files shared out to worker threads (`indexInWorkers`), read and stored on this thread. */
  private async runInWorkers(
    files: string[],
    workers: number,
    stopped: () => boolean,
    done: (file: string, result: Indexed) => void,
  ): Promise<void> {
    const run = await indexInWorkers(files, workers, this.context, {
      load: async (file) => {
        const loaded = await this.load(file);
        return typeof loaded === 'string' ? { skipped: loaded } : loaded?.text;
      },
      indexHere: (file, text) => indexText(file, text, this.context),
      stopped,
      done,
    });
    this.workerFiles += run.inWorkers;
    this.workerProblem = run.failure?.message;
  }

  /** A file's text (an editor's, else the disk's), or why it is skipped. Never throws. */
  private async load(file: string): Promise<Loaded> {
    const live = this.liveTexts.get(file);
    if (live !== undefined) {
      if (live.length > this.maxFileBytes) return this.tooLarge();
      if (live.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return 'Skipped: the file looks binary.';
      return { text: live };
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size > this.maxFileBytes) return this.tooLarge();
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return 'Skipped: the file could not be read.';
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return 'Skipped: the file looks binary.';
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes) };
  }

  private indexLoaded(file: string, loaded: Loaded): Promise<Indexed> {
    if (loaded === undefined || typeof loaded === 'string') return Promise.resolve(loaded);
    return indexText(file, loaded.text, this.context);
  }

  private contextNow(): IndexContext {
    return {
      snapshot: this.snapshot,
      previousSnapshot: this.previousSnapshot,
      embedded: this.embedded,
      python: this.python,
    };
  }

  private tooLarge(): string {
    return `Skipped: the file is larger than ${this.maxFileBytes.toLocaleString('en-US')} bytes.`;
  }

  private store(file: string, result: Indexed): void {
    this.forget(file);
    if (result === undefined) return;
    if (typeof result === 'string') {
      this.skipped.set(file, result);
      return;
    }
    const entry = result.entry;
    this.entries.set(file, entry);
    this.digests.set(file, result.digest);
    entry.elements = entry.elements.map((element) => this.intern(element));
    for (const element of entry.elements) {
      const key = tableKey(element);
      const files = this.byTable.get(key);
      if (files) files.add(file);
      else this.byTable.set(key, new Set([file]));
    }
  }

  /** The shared object for an element: files that name the same element hold the same object. */
  private intern(element: ElementRef): ElementRef {
    const key = elementKey(element);
    const shared = this.interned.get(key);
    if (!shared) {
      this.interned.set(key, { element, files: 1 });
      return element;
    }
    shared.files++;
    return shared.element;
  }

  private forget(file: string): void {
    this.skipped.delete(file);
    this.stale.delete(file);
    this.digests.delete(file);
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    for (const element of entry.elements) {
      const key = elementKey(element);
      const shared = this.interned.get(key);
      if (shared && --shared.files === 0) this.interned.delete(key);
      const files = this.byTable.get(tableKey(element));
      files?.delete(file);
      if (files?.size === 0) this.byTable.delete(tableKey(element));
    }
  }
}

/** The schema and table an element belongs to (the schema alone for a schema). */
function tableKey(element: ElementRef): string {
  return `${element.schema}\0${element.table ?? ''}`;
}
