import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { typescriptRowType } from '../resultTypes/rowType';
import { sameRowType, typeArgumentSite } from '../resultTypes/typeAnnotation';
import { resultTypeAt } from '../session/resultTypeAt';
import { sqlAtPosition, type EditingServices } from './editingContext';

/**
 * "Add the row type" on `pool.query('…')` in TypeScript: `pool.query<{ id: number }>('…')`, with
 * the types node-postgres returns for the statement the live server described. An existing type
 * argument that differs is offered as "Update the row type". Only the first argument of a
 * `.query(` call written as a string literal is touched; anything else gets no action.
 */
export async function rowTypeActions(
  services: EditingServices,
  cache: DescribeCache,
  uri: string,
  range: Range,
): Promise<CodeAction[]> {
  if (!/\.[cm]?tsx?$/.test(uri)) return [];
  const found = await sqlAtPosition(services, { textDocument: { uri }, position: range.start });
  if (!found || found.sql.snapshot.dialect !== 'postgres') return [];
  const { document, sql } = found;
  const result = await resultTypeAt(services.session, uri, sql, cache);
  const rowType = result && typescriptRowType(result.fields);
  // The row type is only certain when the string holds exactly this one statement.
  if (!result || !rowType || result.statement.text.trim() !== sql.text.trim().replace(/;$/, '').trim()) return [];
  const call = typeArgumentSite(document.getText(), sql.toDocument(0, 0).start);
  // An existing annotation is only replaced when it is understood and differs.
  if (!call || (call.existing !== undefined && sameRowType(call.existing, rowType) !== false)) return [];
  const title = call.existing === undefined ? 'Add the row type' : 'Update the row type to match the schema';
  return [
    {
      title,
      kind: CodeActionKind.QuickFix,
      edit: {
        changes: {
          [uri]: [
            {
              range: { start: document.positionAt(call.start), end: document.positionAt(call.end) },
              newText: `<${rowType}>`,
            },
          ],
        },
      },
    },
  ];
}
