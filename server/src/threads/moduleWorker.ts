import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on one of the server's own modules. In the bundle (server/out) each worker
 * module is an entry of its own beside the server and the CLI (scripts/build.mjs), so `bundled` is
 * that file. From source (tests under tsx) it is the TypeScript file `source`, which a worker only
 * loads through tsx's API: tsx's `--import` hooks do not reach worker threads on Node 20.
 */
export function startModuleWorker(bundled: URL, source: URL, options: WorkerOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(bundled, options);
  const module = JSON.stringify(source.href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then(({ tsImport }) => tsImport(${module}, ${module}));`, {
    ...options,
    eval: true,
  });
}
