import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../threads/moduleWorker';
import type { SchemaSnapshot } from '../../schema/snapshot';
import { DatabaseError, type DiscoveryWarning } from '../driver';
import type { BuildMessage, BuildRequest } from './buildProtocol';
import { lineAndColumn, type SchemaFile } from './schemaFiles';

export interface BuildLimits {
  /** Applying the files and reading the catalog, over every restart; starting PGlite is not counted. */
  buildTimeoutMs: number;
  /** One file; a file that runs longer is stopped, reported and left out. */
  fileTimeoutMs: number;
}

export interface BuildResult {
  snapshot: SchemaSnapshot;
  /** The files that did not apply, in file order, each with its warning: what they would have created is unknown, not absent. */
  failed: { file: SchemaFile; warning: DiscoveryWarning }[];
}

/**
 * The memory a build may add to the process. PGlite's WebAssembly memory and in-memory files lie
 * outside the V8 heap that `resourceLimits` bounds, so the process's resident size is watched too.
 */
const MAX_BUILD_MEMORY_BYTES = 1024 * 1024 * 1024;
const MEMORY_CHECK_INTERVAL_MS = 200;
/**
 * Starting PGlite runs no project file and costs the same for every project (seconds, more on a
 * loaded machine), so it is bounded on its own rather than charged to the build's budget; the
 * restarts a hostile project can cause are bounded in number.
 */
const STARTUP_TIMEOUT_MS = 60_000;
const MAX_RESTARTS = 8;
/**
 * A fresh database's data directory (about 5 MB gzipped), dumped once per process by the first
 * worker: initdb takes most of PGlite's start, so every later build and restart unpacks this instead.
 */
let pristineDataDir: Blob | undefined;

/** How one worker's attempt ended: with the schema, or stopped at a file that must be left out. */
type AttemptOutcome =
  | { kind: 'snapshot'; snapshot: SchemaSnapshot }
  | { kind: 'stopped'; index: number; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'timeout'; index?: number };
/** …and the build time it used, from PGlite's start on. */
type AttemptEnd = AttemptOutcome & { spentMs: number };

/**
 * Builds the embedded schema in a worker thread that is terminated when a file runs too long,
 * uses too much memory or breaks PGlite; the build then starts over in a fresh worker without that
 * file, so one hostile file costs its own time and never the schema. The thread that calls this
 * stays free: the language server answers while the build runs.
 */
export async function buildEmbeddedSchema(
  files: SchemaFile[],
  schemas: string[],
  limits: BuildLimits,
): Promise<BuildResult> {
  let remainingMs = limits.buildTimeoutMs;
  const problems = new Map<SchemaFile, DiscoveryWarning>();
  const applied = new Set<SchemaFile>();
  const stopped: string[] = [];
  for (let restarts = 0; ; restarts++) {
    const planned = files.filter((f) => !problems.has(f));
    const end = await attempt(
      planned,
      schemas,
      { budgetMs: remainingMs, fileTimeoutMs: limits.fileTimeoutMs },
      (message) => {
        const file = planned[message.index];
        if (!file) return;
        if (message.type === 'applied') applied.add(file);
        else problems.set(file, rejected(file, message.message, message.position));
      },
    );
    remainingMs -= end.spentMs;
    switch (end.kind) {
      case 'snapshot': {
        const failed = files.flatMap((file) => {
          const warning = problems.get(file);
          return warning ? [{ file, warning }] : [];
        });
        return { snapshot: end.snapshot, failed };
      }
      case 'stopped': {
        const file = planned[end.index];
        problems.set(file, { file: file.path, message: `${file.path}: not applied, ${end.reason}` });
        stopped.push(file.path);
        if (restarts < MAX_RESTARTS) continue;
        throw new DatabaseError(
          'schema-files',
          `The embedded schema build gave up: ${stopped.length} schema files ran too long or broke the embedded database (${stopped.join(', ')}).`,
        );
      }
      case 'failed':
        throw new DatabaseError('schema-files', `The embedded database could not build the schema: ${end.message}`);
      case 'timeout': {
        const at = end.index === undefined ? '' : `, stopped while applying ${planned[end.index]?.path}`;
        const done = files.filter((f) => applied.has(f)).map((f) => f.path);
        throw new DatabaseError(
          'timeout',
          `The embedded schema build did not finish within ${seconds(limits.buildTimeoutMs)}${at}; ${done.length} file(s) had applied${done.length ? `: ${done.join(', ')}` : ''}.`,
        );
      }
    }
  }
}

function attempt(
  files: SchemaFile[],
  schemas: string[],
  clock: { budgetMs: number; fileTimeoutMs: number },
  onFile: (message: Extract<BuildMessage, { type: 'applied' | 'rejected' }>) => void,
): Promise<AttemptEnd> {
  return new Promise((resolve) => {
    const request: BuildRequest = {
      files: files.map((f) => ({ path: f.path, text: f.text })),
      schemas,
      ...(pristineDataDir && { pristine: pristineDataDir }),
    };
    const worker = startWorker(request);
    let current: number | undefined;
    let clockStart: number | undefined;
    let overall: NodeJS.Timeout | undefined;
    let fileTimer: NodeJS.Timeout | undefined;
    const baseline = process.memoryUsage.rss();
    const finish = (end: AttemptOutcome) => {
      clearTimeout(startup);
      clearTimeout(overall);
      clearTimeout(fileTimer);
      clearInterval(memory);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
      resolve({ ...end, spentMs: clockStart === undefined ? 0 : performance.now() - clockStart });
    };
    const stopCurrent = (reason: string, otherwise: string) =>
      finish(
        current === undefined ? { kind: 'failed', message: otherwise } : { kind: 'stopped', index: current, reason },
      );
    const startClock = () => {
      clockStart = performance.now();
      overall = setTimeout(() => finish({ kind: 'timeout', index: current }), Math.max(0, clock.budgetMs));
    };
    const startup = setTimeout(
      () => finish({ kind: 'failed', message: `PGlite did not start within ${seconds(STARTUP_TIMEOUT_MS)}` }),
      STARTUP_TIMEOUT_MS,
    );
    const memory = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > MAX_BUILD_MEMORY_BYTES)
        stopCurrent(`it used more than ${MAX_BUILD_MEMORY_BYTES / 1048576} MB of memory`, 'it used too much memory');
    }, MEMORY_CHECK_INTERVAL_MS);
    worker.on('message', (message: BuildMessage) => {
      switch (message.type) {
        case 'ready':
          pristineDataDir ??= message.pristine;
          clearTimeout(startup);
          startClock();
          return;
        case 'applying':
          current = message.index;
          clearTimeout(fileTimer);
          fileTimer = setTimeout(
            () => stopCurrent(`it did not finish within ${seconds(clock.fileTimeoutMs)}`, 'timed out'),
            clock.fileTimeoutMs,
          );
          return;
        case 'applied':
        case 'rejected':
          clearTimeout(fileTimer);
          current = undefined;
          onFile(message);
          return;
        case 'broke':
          finish({ kind: 'stopped', index: message.index, reason: message.message });
          return;
        case 'snapshot':
          finish({ kind: 'snapshot', snapshot: message.snapshot });
          return;
        case 'failed':
          finish({ kind: 'failed', message: message.message });
      }
    });
    worker.on('error', (error) => stopCurrent(`it stopped the embedded database (${error.message})`, error.message));
    // A PGlite left without work to wait on ends the thread: the file being applied broke it.
    worker.on('exit', () => stopCurrent('it left the embedded database unusable', 'the embedded database stopped'));
  });
}

function rejected(file: SchemaFile, message: string, position: number | undefined): DiscoveryWarning {
  const where = position === undefined ? undefined : lineAndColumn(file.text, position - 1);
  return {
    file: file.path,
    line: where?.line,
    column: where?.column,
    message: `${file.path}${where ? `:${where.line}:${where.column}` : ''}: not applied, PostgreSQL says: ${message}`,
  };
}

const seconds = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

/** The worker thread: `pgliteBuildWorker.js` beside the bundle, `buildWorker.ts` from source. */
function startWorker(request: BuildRequest): Worker {
  return startModuleWorker(
    new URL('./pgliteBuildWorker.js', import.meta.url),
    new URL('./buildWorker.ts', import.meta.url),
    { workerData: request, resourceLimits: { maxOldGenerationSizeMb: 512 } },
  );
}
