import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { typescriptRowType } from '../resultTypes/rowType';
import {
  importsRowDataPacket,
  rowTypeArgument,
  sameRowType,
  typeArgumentSite,
  writtenRowType,
} from '../resultTypes/typeAnnotation';
import { resultTypeAt } from '../session/resultTypeAt';
import { sqlAtPosition, type EditingServices } from './editingContext';

/**
 * "Add the row type" on `pool.query('…')` in TypeScript: `pool.query<{ id: number }>('…')`, with
 * the types node-postgres returns for the statement the live server described; for mysql2
 * (`query`/`execute`) `<(RowDataPacket & { id: number })[]>`, which its typings require, importing
 * `RowDataPacket` when the file does not. An existing type argument that differs is offered as
 * "Update the row type". Only the first argument of the call written as a string literal is
 * touched; anything else gets no action.
 */
export async function rowTypeActions(
  services: EditingServices,
  cache: DescribeCache,
  uri: string,
  range: Range,
): Promise<CodeAction[]> {
  if (!/\.[cm]?tsx?$/.test(uri)) return [];
  const found = await sqlAtPosition(services, { textDocument: { uri }, position: range.start });
  if (!found) return [];
  const { document, sql } = found;
  const { dialect } = sql.snapshot;
  const result = await resultTypeAt(services.session, uri, sql, cache);
  const rowType = result && typescriptRowType(result.fields);
  // The row type is only certain when the string holds exactly this one statement.
  if (!result || !rowType || result.statement.text.trim() !== sql.text.trim().replace(/;$/, '').trim()) return [];
  const text = document.getText();
  const call = typeArgumentSite(text, sql.toDocument(0, 0).start, dialect);
  // An existing annotation is only replaced when it is understood and differs.
  const written = call?.existing === undefined ? undefined : writtenRowType(dialect, call.existing);
  if (!call || (call.existing !== undefined && (written === undefined || sameRowType(written, rowType) !== false)))
    return [];
  const edits = [
    {
      range: { start: document.positionAt(call.start), end: document.positionAt(call.end) },
      newText: `<${rowTypeArgument(dialect, rowType)}>`,
    },
  ];
  if (dialect === 'mysql' && !importsRowDataPacket(text)) {
    const firstImport = Math.max(0, text.search(/^import\b/m));
    const at = document.positionAt(firstImport);
    edits.unshift({ range: { start: at, end: at }, newText: "import type { RowDataPacket } from 'mysql2';\n" });
  }
  const title = call.existing === undefined ? 'Add the row type' : 'Update the row type to match the schema';
  return [
    {
      title,
      kind: CodeActionKind.QuickFix,
      edit: {
        changes: { [uri]: edits },
      },
    },
  ];
}
