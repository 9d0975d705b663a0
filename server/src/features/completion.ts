import {
  CompletionItemKind,
  type CompletionItem,
  type Connection,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { completeSql, type CandidateKind } from '../sql/editing/completion';
import { rangeOf } from './convert';
import { sqlAtPosition, type EditingServices } from './editingContext';

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

/** Schemas, tables and columns at the cursor, in `.sql` files and inside SQL strings. */
export function registerCompletion(connection: Connection, services: EditingServices): void {
  connection.onCompletion(async (params) => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const { document, sql } = found;
    const result = completeSql(sql.text, sql.offset, sql.snapshot);
    const replaced = sql.toDocument(result.start, result.end);
    const range = rangeOf(document, replaced.start, replaced.end);
    return {
      // A long list of tables is cut to the best matches; incomplete, the editor asks again per keystroke.
      isIncomplete: !result.complete,
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
