import {
  CompletionItemKind,
  type ClientCapabilities,
  type CompletionItem,
  type CompletionList,
  type Connection,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { completeSql, type CandidateKind } from '../sql/editing/completion';
import { narrowCandidates } from '../sql/editing/narrowCompletion';
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

/** What the client's completion lists understand beyond the basics. */
export interface CompletionClientSupport {
  /** One edit range for the whole list (LSP 3.17 `itemDefaults.editRange`) instead of one per item. */
  editRangeDefault: boolean;
}

export function completionClientSupport(capabilities: ClientCapabilities): CompletionClientSupport {
  const defaults = capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
  return { editRangeDefault: defaults.includes('editRange') };
}

/**
 * The most items one answer carries. Beyond it only the candidates matching what is typed are sent
 * and the list is marked incomplete, so the editor asks again on the next keystroke: with 10,000
 * tables an answer stays a few milliseconds, and typing reaches every one of them.
 */
export const COMPLETION_ITEM_LIMIT = 1_000;

/**
 * Schemas, tables and columns at the cursor, in `.sql` files and inside SQL strings. Each item
 * carries only what differs from its label, and a list longer than `COMPLETION_ITEM_LIMIT` is
 * narrowed to what is typed (and marked incomplete) rather than cut.
 */
export function registerCompletion(
  connection: Connection,
  services: EditingServices,
  support: () => CompletionClientSupport,
): void {
  connection.onCompletion(async (params): Promise<CompletionList | null> => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const { document, sql } = found;
    const result = completeSql(sql.text, sql.offset, sql.snapshot);
    const replaced = sql.toDocument(result.start, result.end);
    const range = rangeOf(document, replaced.start, replaced.end);
    const { editRangeDefault } = support();
    const { candidates, narrowed } = narrowCandidates(result.candidates, result.typed, COMPLETION_ITEM_LIMIT);
    const items = candidates.map<CompletionItem>((c) => {
      const item: CompletionItem = { label: c.label, kind: KINDS[c.kind], detail: c.detail, sortText: c.sortText };
      if (c.documentation !== undefined) item.documentation = c.documentation;
      // A quoted name is matched as typed, quote included.
      if (c.insertText !== c.label) item.filterText = c.insertText;
      if (!editRangeDefault) item.textEdit = { range, newText: c.insertText };
      else if (c.insertText !== c.label) item.textEditText = c.insertText;
      return item;
    });
    // A whole list is sent once and the editor filters it as the user types; a narrowed one is asked again.
    return editRangeDefault
      ? { isIncomplete: narrowed, itemDefaults: { editRange: range }, items }
      : { isIncomplete: narrowed, items };
  });
}
