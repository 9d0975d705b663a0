import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { pythonTypedDict } from '../resultTypes/pythonRowType';
import { resultTypeAt } from '../session/resultTypeAt';
import { sqlAtPosition, type EditingServices } from './editingContext';

/**
 * "Add the row type" on a SQL string in Python: a `TypedDict` of the row, with the types psycopg2
 * or PyMySQL return, written at module level before the definition that runs the query, with the
 * imports it needs. The code that fetches is left alone: the class is used as
 * `cast(AccountsRow, cur.fetchone())` with a dict cursor, as its comment says.
 */
export async function pythonRowTypeActions(
  services: EditingServices,
  cache: DescribeCache,
  uri: string,
  range: Range,
): Promise<CodeAction[]> {
  if (!/\.pyi?$/.test(uri)) return [];
  const found = await sqlAtPosition(services, { textDocument: { uri }, position: range.start });
  if (!found) return [];
  const { document, sql } = found;
  const result = await resultTypeAt(services.session, uri, sql, cache);
  if (!result || result.statement.text.trim() !== sql.text.trim().replace(/;$/, '').trim()) return [];
  const text = document.getText();
  const className = freeName(text, rowClassName(result.statement.text));
  const row = pythonTypedDict(className, result.description, sql.snapshot.dialect);
  if (!row) return [];
  const at = moduleStatementStart(text, sql.toDocument(0, 0).start);
  const cursor = sql.snapshot.dialect === 'mysql' ? 'pymysql.cursors.DictCursor' : 'RealDictCursor';
  const edits: TextEdit[] = [];
  const missing = row.imports.filter((line) => !new RegExp(`^${escape(line)}\\s*$`, 'm').test(text));
  if (missing.length > 0) {
    const start = document.positionAt(importsEnd(text));
    edits.push({ range: { start, end: start }, newText: `${missing.join('\n')}\n` });
  }
  const position = document.positionAt(at);
  const comment = `# The row of the query below as a dict cursor (${cursor}) gives it: row = cast(${className}, cur.fetchone())`;
  edits.push({ range: { start: position, end: position }, newText: `${[comment, ...row.lines].join('\n')}\n\n\n` });
  return [{ title: 'Add the row type', kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } }];
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `SELECT … FROM accounts …` → `AccountsRow`; `QueryRow` when no table is named first. */
function rowClassName(statement: string): string {
  const table = /\bfrom\s+(?:[\w"]+\s*\.\s*)?"?([A-Za-z_]\w*)/i.exec(statement)?.[1];
  if (!table) return 'QueryRow';
  return `${table.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/_/g, '')}Row`;
}

/** `name`, or `name2`, `name3`… when the file already uses it. */
function freeName(text: string, name: string): string {
  let candidate = name;
  for (let i = 2; new RegExp(`\\b${candidate}\\b`).test(text); i++) candidate = `${name}${i}`;
  return candidate;
}

/** The start of the top-level statement holding `offset` (its decorators included). */
function moduleStatementStart(text: string, offset: number): number {
  const lines = text.slice(0, offset).split('\n');
  let index = lines.length - 1;
  while (index > 0 && !/^[^\s#]/.test(lines[index])) index--;
  while (index > 0 && lines[index - 1].startsWith('@')) index--;
  return lines.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
}

/** Just after the module's leading import lines (or at the top when there are none). */
function importsEnd(text: string): number {
  let end = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    offset += line.length + 1;
    if (/^(?:import|from)\s/.test(line)) end = offset;
    else if (/^[^\s#]/.test(line) && !/^["']/.test(line)) break;
  }
  return Math.min(end, text.length);
}
