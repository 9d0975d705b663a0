import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../threads/moduleWorker';
import type { IndexContext, IndexedText } from './indexFile';
import type { IndexReply, IndexRequest } from './indexProtocol';

/** Never more threads than this: each holds its own parsers and a copy of the snapshot. */
const MAX_WORKERS = 4;

/** The number of worker threads a large run uses by default: one per core, up to `MAX_WORKERS`. */
export function defaultWorkerCount(): number {
  return Math.min(MAX_WORKERS, availableParallelism());
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
export class IndexPool {
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
