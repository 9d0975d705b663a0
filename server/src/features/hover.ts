import { MarkupKind, type Connection, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isSqlDocument } from '../session/checkDocument';
import type { Session } from '../session/session';
import { describeElement, symbolAt } from '../sql/editing/symbolAt';
import { rangeOf } from './convert';

export const hoverCapability: Pick<ServerCapabilities, 'hoverProvider'> = { hoverProvider: true };

export function registerHover(connection: Connection, documents: TextDocuments<TextDocument>, session: Session): void {
  connection.onHover(async (params) => {
    await session.loaded;
    const document = documents.get(params.textDocument.uri);
    if (!document || !isSqlDocument(document)) return null;
    const source = session.connectionFor(document.uri);
    const snapshot = source?.snapshot;
    if (!source || !snapshot) return null;
    const found = symbolAt(document.getText(), document.offsetAt(params.position), snapshot);
    if (!found) return null;
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: describeElement(found.element, `${source.name} · ${source.settings.driver}`),
      },
      range: rangeOf(document, found.start, found.end),
    };
  });
}
