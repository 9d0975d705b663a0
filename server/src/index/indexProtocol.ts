import type { IndexContext, IndexedText } from './indexFile';

/**
 * The messages between the workspace index (`indexPool.ts`) and its worker threads
 * (`indexWorker.ts`). A worker is started with an `IndexContext` (its `workerData`); the pool sends
 * a new one before the next file when the snapshot changes, and the channel keeps that order.
 */
export type IndexRequest =
  { type: 'context'; context: IndexContext } | { type: 'index'; id: number; file: string; text: string };

export interface IndexReply {
  id: number;
  result: IndexedText;
}
