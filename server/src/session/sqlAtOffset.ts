import { toHostRange, toSqlOffset } from '../embedded/region';
import type { SchemaSnapshot } from '../schema/snapshot';
import { isSqlDocument, schemaFor, type CheckableDocument } from './checkDocument';
import { isHostDocument, type EmbeddedDocuments } from './embeddedDocuments';
import type { Session } from './session';

/**
 * How long editing help waits for a connection's first schema. The embedded build may run for its
 * whole budget on a hostile schema file, and the editor must not freeze meanwhile: past this, the
 * request is answered without a schema and the discovery goes on.
 */
const FIRST_SCHEMA_WAIT_MS = 500;

/** The SQL under a cursor: the text to run editing help on, the cursor in it, and the way back. */
export interface SqlAtOffset {
  snapshot: SchemaSnapshot;
  text: string;
  offset: number;
  /** Maps a range of `text` back to document offsets. */
  toDocument(start: number, end: number): { start: number; end: number };
}

/**
 * For a `.sql` document, the document itself; for TS/JS/Python, the SQL string the cursor is in
 * (never the host code around it). Undefined where there is no SQL or no schema yet.
 */
export async function sqlAtOffset(
  session: Session,
  embedded: EmbeddedDocuments,
  doc: CheckableDocument,
  offset: number,
): Promise<SqlAtOffset | undefined> {
  const source = session.connectionFor(doc.uri);
  // Instant once a snapshot is cached; only the very first requests wait for discovery, briefly.
  const snapshot = source ? await settleWithin(source.ready(), FIRST_SCHEMA_WAIT_MS) : undefined;
  if (!snapshot) return undefined;
  if (isSqlDocument(doc)) return { snapshot, text: doc.text, offset, toDocument: (start, end) => ({ start, end }) };
  if (!isHostDocument(doc.uri)) return undefined;
  const { dialect } = await schemaFor(session, doc.uri);
  const extraction = await embedded.extraction(doc.uri, doc.version, doc.text, {
    dialect,
    snapshot,
    settings: session.settingsFor(doc.uri).embedded,
  });
  for (const region of extraction.regions) {
    if (offset < region.hostStart || offset > region.hostEnd) continue;
    const sqlOffset = toSqlOffset(region, offset);
    if (sqlOffset === undefined) return undefined;
    return {
      snapshot,
      text: region.text,
      offset: sqlOffset,
      toDocument: (start, end) => toHostRange(region, start, end),
    };
  }
  return undefined;
}

/** The promise's value, or undefined when it takes longer than `ms`. */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
