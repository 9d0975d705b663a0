import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../threads/moduleWorker';
import type { IndexContext, IndexedText } from './indexFile';
import type { IndexReply, IndexRequest } from './indexProtocol';

/** Never more threads than this: each holds its own parsers and a copy of the snapshot. */
const MAX_WORKERS = 4;
/** Files indexed at once per worker thread: one in hand and one waiting, so none sits idle. */
export const PER_WORKER = 2;

/** The number of worker threads a large run uses by default: one per core, up to `MAX_WORKERS`. */
export function defaultWorkerCount(): number {
  return Math.min(MAX_WORKERS, availableParallelism());
}

/** What a run in worker threads needs of the calling thread. */
export interface WorkerRunSteps {
  /** A file's text, or the note saying why it is skipped, or undefined when it is gone. */
  load(file: string): Promise<string | { skipped: string } | undefined>;
  /** Indexes a file on the calling thread: for the files a failed worker held. */
  indexHere(file: string, text: string): Promise<IndexedText>;
  /** Whether the run was cancelled or superseded: no more files are sent. */
  stopped(): boolean;
  done(file: string, result: IndexedText | undefined): void;
}

/**
 * Shares `files` out to `workers` worker threads, `PER_WORKER` at a time each, reading them and
 * taking the results on the calling thread, which stays free for requests. A file a failed worker
 * held is indexed here instead. Stopping sends no more files and waits for those already sent.
 */
export async function indexInWorkers(
  files: string[],
  workers: number,
  context: IndexContext,
  steps: WorkerRunSteps,
): Promise<{ inWorkers: number; failure: Error | undefined }> {
  const pool = new IndexPool(workers, context);
  const inFlight = new Set<Promise<void>>();
  let inWorkers = 0;
  let next = 0;
  const indexOne = async (file: string): Promise<IndexedText | undefined> => {
    const loaded = await steps.load(file);
    if (loaded === undefined) return undefined;
    if (typeof loaded !== 'string') return loaded.skipped;
    try {
      const result = await pool.index(file, loaded, context);
      inWorkers++;
      return result;
    } catch {
      return steps.indexHere(file, loaded);
    }
  };
  try {
    while (next < files.length || inFlight.size > 0) {
      while (!steps.stopped() && next < files.length && inFlight.size < workers * PER_WORKER) {
        const file = files[next++];
        const work = indexOne(file)
          .then((result) => steps.done(file, result))
          .finally(() => inFlight.delete(work));
        inFlight.add(work);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    return { inWorkers, failure: pool.failure() };
  } finally {
    await pool.close();
  }
}

interface Slot {
  worker: Worker;
  /** Files sent and not answered yet. */
  busy: number;
  /** The context this worker indexes against. */
  context: IndexContext;
  waiting: Map<number, { resolve: (result: IndexedText) => void; reject: (error: Error) => void }>;
}

/**
 * Worker threads that index file texts for one run of the workspace index, so a large run uses
 * every core and leaves the server's own thread free for requests. Each file goes to the least busy
 * worker; a worker that fails takes its files' promises with it (the caller indexes those itself)
 * and gets no more files. `close` ends the threads: a run starts them and closes them when it ends.
 */
class IndexPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private stoppedBy: Error | undefined;

  constructor(size: number, context: IndexContext) {
    for (let i = 0; i < size; i++) this.slots.push(this.start(context));
  }

  /** Indexes one file's text against `context` in a worker; rejects when no worker is left. */
  index(file: string, text: string, context: IndexContext): Promise<IndexedText> {
    const slot = this.slots.reduce<Slot | undefined>(
      (least, s) => (least && least.busy <= s.busy ? least : s),
      undefined,
    );
    if (!slot) return Promise.reject(new Error('no index worker is running'));
    if (slot.context !== context) {
      slot.context = context;
      post(slot, { type: 'context', context });
    }
    const id = this.nextId++;
    slot.busy++;
    return new Promise<IndexedText>((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      post(slot, { type: 'index', id, file, text });
    });
  }

  /** What stopped a worker before `close`, if anything did. */
  failure(): Error | undefined {
    return this.stoppedBy;
  }

  /** Ends every worker; files still waiting are rejected. */
  async close(): Promise<void> {
    const slots = [...this.slots];
    this.slots.length = 0;
    await Promise.all(slots.map((slot) => this.retire(slot, new Error('the index run ended'))));
  }

  private start(context: IndexContext): Slot {
    const worker = startModuleWorker(
      new URL('./indexWorker.js', import.meta.url),
      new URL('./indexWorker.ts', import.meta.url),
      { workerData: context },
    );
    const slot: Slot = { worker, busy: 0, context, waiting: new Map() };
    worker.on('message', (reply: IndexReply) => {
      const waiting = slot.waiting.get(reply.id);
      if (!waiting) return;
      slot.waiting.delete(reply.id);
      slot.busy--;
      waiting.resolve(reply.result);
    });
    worker.on('error', (error) => void this.fail(slot, error));
    worker.on('exit', (code) => void this.fail(slot, new Error(`an index worker exited with code ${code}`)));
    return slot;
  }

  private fail(slot: Slot, error: Error): Promise<void> {
    this.stoppedBy ??= error;
    return this.retire(slot, error);
  }

  private async retire(slot: Slot, error: Error): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    for (const { reject } of slot.waiting.values()) reject(error);
    slot.waiting.clear();
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    await slot.worker.terminate();
  }
}

function post(slot: Slot, request: IndexRequest): void {
  slot.worker.postMessage(request);
}
