import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { checkFile, isHostFile, isSqlFile, type FileProblem } from '../engine/checkFile';
import type { EmbeddedDocuments } from './embeddedDocuments';
import { documentFileName } from './embeddedDocuments';
import type { Session } from './session';
import { describerFor } from '../resultTypes/offlineDescribe';

/** A document as the checker needs it: no editor types. */
export interface CheckableDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

/** A problem to show on a document: SQL findings and static dependencies alike. */
export type DocumentProblem = FileProblem;

/** Whether a document is a SQL file Live Schema checks statement by statement. */
export function isSqlDocument(doc: { uri: string; languageId: string }): boolean {
  return isSqlFile({ fileName: doc.uri, languageId: doc.languageId });
}

/** The snapshot and dialect that apply to a document. */
export async function schemaFor(
  session: Session,
  uri: string,
): Promise<{ snapshot: SchemaSnapshot | undefined; dialect: Dialect }> {
  const source = session.connectionFor(uri);
  const snapshot = source ? await source.ready() : undefined;
  return { snapshot, dialect: snapshot?.dialect ?? (source?.settings.driver === 'mysql' ? 'mysql' : 'postgres') };
}

/**
 * Checks one open document with the engine's pipeline (`engine/checkFile.ts`, the one the CLI
 * runs too) against the connection bound to it, its last schema change and its live checker.
 */
export async function checkDocument(
  session: Session,
  embedded: EmbeddedDocuments,
  doc: CheckableDocument,
  force = false,
  signal?: AbortSignal,
): Promise<DocumentProblem[] | undefined> {
  const file = { fileName: documentFileName(doc.uri), languageId: doc.languageId, text: doc.text };
  // Other documents (Markdown, JSON…) never wait for a connection's discovery.
  if (!isSqlFile(file) && !isHostFile(file.fileName)) return [];
  const source = session.connectionFor(doc.uri);
  const { snapshot, dialect } = await schemaFor(session, doc.uri);
  const change = source?.lastChange;
  const settings = session.settingsFor(doc.uri);
  return checkFile(
    file,
    {
      settings,
      snapshot,
      dialect,
      baseline: change && { previous: change.previous, cause: change.at },
      prepareChecker: source?.prepareChecker,
      describer: snapshot && describerFor(settings.validation.liveCheck, source?.describer, snapshot),
      extract: (options) => embedded.extraction(doc.uri, doc.version, doc.text, options),
      // Between statements the analysis gives the event loop back, so completion and hover elsewhere
      // answer while a large file is checked, and a newer version of the document cancels this check.
      yieldEveryMs: 10,
      signal,
    },
    force,
  );
}
