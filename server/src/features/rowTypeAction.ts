import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { typescriptRowType } from '../resultTypes/rowType';
import { resultTypeAt } from '../session/resultTypeAt';
import { sqlAtPosition, type EditingServices } from './editingContext';

/** node-postgres's `query<R>(…)`: the call whose type argument is the row type. */
const QUERY_CALLEE = /[\w$]\.query\s*$/;

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
  if (!call) return [];
  if (call.existing !== undefined && sameType(call.existing, rowType)) return [];
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

/**
 * Where a type argument goes for the string literal whose text starts at `textStart`: between
 * `.query` and `(`, replacing `<…>` if one is there (with its text as `existing`).
 */
function typeArgumentSite(
  text: string,
  textStart: number,
): { start: number; end: number; existing?: string } | undefined {
  let at = textStart - 1;
  if (!`'"\``.includes(text[at] ?? '')) return undefined;
  at = skipSpaceBack(text, at - 1);
  if (text[at] !== '(') return undefined;
  const open = skipSpaceBack(text, at - 1);
  if (text[open] !== '>') return QUERY_CALLEE.test(text.slice(0, at)) ? { start: at, end: at } : undefined;
  let depth = 0;
  for (let i = open; i >= 0; i--) {
    if (text[i] === '>') depth++;
    else if (text[i] === '<' && --depth === 0) {
      if (!QUERY_CALLEE.test(text.slice(0, i))) return undefined;
      return { start: i, end: open + 1, existing: text.slice(i + 1, open) };
    }
  }
  return undefined;
}

function skipSpaceBack(text: string, at: number): number {
  while (at >= 0 && /\s/.test(text[at])) at--;
  return at;
}

/** Written the way this action writes it (spacing aside); any other spelling is left alone. */
function sameType(existing: string, generated: string): boolean {
  const squash = (t: string): string => t.replace(/\s+/g, '').replace(/;}$/, '}');
  return squash(existing) === squash(generated);
}
