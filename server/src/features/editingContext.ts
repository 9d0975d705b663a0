import type { TextDocumentPositionParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { EmbeddedDocuments } from '../session/embeddedDocuments';
import type { Session } from '../session/session';
import { sqlAtOffset, type SqlAtOffset } from '../session/sqlAtOffset';

/** What the editing features share: the document, and the SQL under the cursor with its schema. */
export interface EditingServices {
  documents: TextDocuments<TextDocument>;
  session: Session;
  embedded: EmbeddedDocuments;
}

export async function sqlAtPosition(
  services: EditingServices,
  params: TextDocumentPositionParams,
): Promise<{ document: TextDocument; sql: SqlAtOffset } | undefined> {
  await services.session.loaded;
  const document = services.documents.get(params.textDocument.uri);
  if (!document) return undefined;
  const doc = {
    uri: document.uri,
    languageId: document.languageId,
    version: document.version,
    text: document.getText(),
  };
  const sql = await sqlAtOffset(services.session, services.embedded, doc, document.offsetAt(params.position));
  return sql ? { document, sql } : undefined;
}
