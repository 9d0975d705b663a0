import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { introspectPostgres } from '../postgres/introspect';
import type { BuildMessage, BuildRequest } from './buildProtocol';
import { pgliteAssets } from './pgliteAssets';
import { extensionsCreatedBy } from './pgliteExtensions';

/**
 * The embedded build's worker thread: applies the schema files to a fresh PGlite one file at a
 * time, reports each file, then reads the catalog. The main thread keeps the clock and terminates
 * this thread when a file runs too long (a WebAssembly loop cannot be interrupted from inside).
 */
const request = workerData as BuildRequest;
const post = (message: BuildMessage) => parentPort?.postMessage(message);

async function build(): Promise<void> {
  const extensions = extensionsCreatedBy(request.files.map((f) => f.text));
  const database = new PGlite({ ...(await pgliteAssets()), extensions });
  await database.waitReady;
  post({ type: 'ready' });
  for (const [index, file] of request.files.entries()) {
    post({ type: 'applying', index });
    let outcome: BuildMessage = { type: 'applied', index };
    try {
      await database.exec(file.text);
    } catch (error) {
      const e = error as { message?: string; position?: string | number };
      const position = Number(e.position);
      outcome = {
        type: 'rejected',
        index,
        message: e.message ?? String(error),
        position: Number.isFinite(position) && position > 0 ? position : undefined,
      };
    }
    // Some statements (COPY … TO PROGRAM) leave PGlite answering nothing, without an error.
    if (!(await usable(database)))
      outcome = { type: 'broke', index, message: 'it left the embedded database unusable' };
    post(outcome);
    if (outcome.type === 'broke') return;
  }
  const snapshot = await database.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION READ ONLY');
    return introspectPostgres(
      async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params as unknown[])).rows,
      request.schemas,
      'pglite',
    );
  });
  post({ type: 'snapshot', snapshot });
  await database.close();
}

async function usable(database: PGlite): Promise<boolean> {
  try {
    const { rows } = await database.query<{ ok: number }>('SELECT 1 AS ok');
    return rows[0]?.ok === 1;
  } catch {
    return false;
  }
}

build().catch((error: unknown) => post({ type: 'failed', message: (error as Error).message ?? String(error) }));
