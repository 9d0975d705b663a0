import type { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { relationDdl } from '../schema/ddl';
import { isSqlDocument } from '../session/checkDocument';
import type { Session } from '../session/session';
import { symbolAt } from '../sql/editing/symbolAt';
import { ddlUri } from './virtualDocuments';

export const definitionCapability: Pick<ServerCapabilities, 'definitionProvider'> = { definitionProvider: true };

/** Go to definition: the table's generated DDL, at the column's line for a column. */
export function registerDefinition(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  session: Session,
): void {
  connection.onDefinition(async (params) => {
    await session.loaded;
    const document = documents.get(params.textDocument.uri);
    if (!document || !isSqlDocument(document)) return null;
    const source = session.connectionFor(document.uri);
    const snapshot = source?.snapshot;
    if (!source || !snapshot) return null;
    const found = symbolAt(document.getText(), document.offsetAt(params.position), snapshot);
    if (!found || found.element.kind === 'schema') return null;
    const ddl = relationDdl(snapshot, found.element.relation);
    const line =
      found.element.kind === 'column'
        ? (ddl.columnLines.get(found.element.column.name) ?? ddl.relationLine)
        : ddl.relationLine;
    return {
      uri: ddlUri(source.name, found.element.relation),
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    };
  });
}
