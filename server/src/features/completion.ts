import {
  CompletionItemKind,
  type CompletionItem,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isSqlDocument } from '../session/checkDocument';
import type { Session } from '../session/session';
import { completeSql, type CandidateKind } from '../sql/editing/completion';
import { rangeOf } from './convert';

export const completionCapability: Pick<ServerCapabilities, 'completionProvider'> = {
  completionProvider: { triggerCharacters: ['.', ' ', '"', '`'] },
};

const KINDS: Record<CandidateKind, CompletionItemKind> = {
  schema: CompletionItemKind.Module,
  table: CompletionItemKind.Class,
  view: CompletionItemKind.Interface,
  column: CompletionItemKind.Field,
  alias: CompletionItemKind.Variable,
};

export function registerCompletion(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  session: Session,
): void {
  connection.onCompletion(async (params) => {
    await session.loaded;
    const document = documents.get(params.textDocument.uri);
    if (!document || !isSqlDocument(document)) return null;
    const snapshot = session.connectionFor(document.uri)?.snapshot;
    if (!snapshot) return null;
    const result = completeSql(document.getText(), document.offsetAt(params.position), snapshot);
    const range = rangeOf(document, result.start, result.end);
    return {
      // Complete: the whole list is sent once and the editor filters it as the user types.
      isIncomplete: false,
      items: result.candidates.map<CompletionItem>((c) => ({
        label: c.label,
        kind: KINDS[c.kind],
        detail: c.detail,
        documentation: c.documentation,
        sortText: c.sortText,
        filterText: c.insertText,
        textEdit: { range, newText: c.insertText },
      })),
    };
  });
}
