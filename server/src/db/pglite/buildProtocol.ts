import type { SchemaSnapshot } from '../../schema/snapshot';

/**
 * The messages between the embedded build's worker thread (`buildWorker.ts`) and the thread that
 * runs it (`embeddedBuild.ts`). The worker owns the PGlite instance, so a schema file that loops,
 * sleeps or breaks PGlite can be stopped by terminating the worker without stopping the server.
 */

/** What the worker is started with (its `workerData`). */
export interface BuildRequest {
  /** The files to apply, in order; a file the previous attempt could not finish is left out. */
  files: { path: string; text: string }[];
  /** The schemas discovery is limited to (`ConnectionSettings.schemas`). */
  schemas: string[];
  /** A fresh database's data directory (gzip tarball) from an earlier start: no initdb again. */
  pristine?: Blob;
}

export type BuildMessage =
  /** PGlite has started: the build's clock runs from here (starting is the same for every project). */
  | { type: 'ready'; pristine?: Blob }
  /** The worker starts applying `files[index]`: the main thread starts that file's clock. */
  | { type: 'applying'; index: number }
  | { type: 'applied'; index: number }
  /** PostgreSQL rejected `files[index]`: the file was rolled back and the database is still usable. */
  | { type: 'rejected'; index: number; message: string; position?: number }
  /** `files[index]` left PGlite unusable: the build starts over in a fresh worker without it. */
  | { type: 'broke'; index: number; message: string }
  | { type: 'snapshot'; snapshot: SchemaSnapshot }
  /** The worker could not start PGlite or read the catalog. */
  | { type: 'failed'; message: string };
