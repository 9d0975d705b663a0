import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { splitStatements } from '../../sql/splitStatements';
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
  const database = new PGlite({
    ...(await pgliteAssets()),
    extensions,
    ...(request.pristine && { loadDataDir: request.pristine }),
  });
  await database.waitReady;
  // The first start of a process keeps the fresh data directory, so later starts skip initdb.
  post({ type: 'ready', pristine: request.pristine ? undefined : await database.dumpDataDir('gzip') });
  for (const [index, file] of request.files.entries()) {
    post({ type: 'applying', index });
    let outcome: BuildMessage = { type: 'applied', index };
    try {
      await database.exec(file.text);
    } catch (error) {
      outcome = {
        type: 'rejected',
        index,
        message: (error as Error).message ?? String(error),
        position: positionOf(error) ?? (await failingStatement(database, file.text)),
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

function positionOf(error: unknown): number | undefined {
  const position = Number((error as { position?: string | number }).position);
  return Number.isFinite(position) && position > 0 ? position : undefined;
}

/** Transaction control in a file would end the trial transaction below and keep its statements. */
const TRANSACTION_CONTROL = /^(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b/i;

/**
 * PostgreSQL points at no character for errors raised while running a statement (an extension
 * that is not available, a type that does not exist): the file's statements are tried one by one
 * in a transaction that is rolled back, and the first that fails gives the (1-based) position.
 */
async function failingStatement(database: PGlite, text: string): Promise<number | undefined> {
  try {
    await database.exec('BEGIN');
    for (const span of splitStatements(text, 'postgres')) {
      if (TRANSACTION_CONTROL.test(span.text)) continue;
      try {
        await database.exec(span.text);
      } catch (error) {
        return span.start + (positionOf(error) ?? 1);
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await database.exec('ROLLBACK').catch(() => undefined);
  }
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
