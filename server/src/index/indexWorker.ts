/**
 * A worker thread of the workspace index: indexes the texts it is sent against the context it was
 * last given, with the very code the index runs on its own thread (`indexText`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { indexText, type IndexContext } from './indexFile';
import type { IndexReply, IndexRequest } from './indexProtocol';

const port = parentPort;
if (!port) throw new Error('indexWorker.ts runs as a worker thread');
let context = workerData as IndexContext;

port.on('message', (request: IndexRequest) => {
  if (request.type === 'context') {
    context = request.context;
    return;
  }
  void indexText(request.file, request.text, context).then((result) => {
    const reply: IndexReply = { id: request.id, result };
    // The digest is the reply's one large array: moved, not copied.
    port.postMessage(reply, typeof result === 'string' ? [] : [result.digest.buffer as ArrayBuffer]);
  });
});
