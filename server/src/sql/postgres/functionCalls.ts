/**
 * The function calls of a PostgreSQL query statement, for the check that each function exists.
 * Calls the grammar itself writes for SQL syntax (`TRIM(BOTH …)` is `pg_catalog.btrim`, `AT TIME
 * ZONE` is `timezone`) are left out: the user never wrote their names.
 */
import type { FunctionCall } from '../model';
import { identsAt, list, str, unwrap, walk, type Node, type TranslateContext } from './translateContext';

/** Statements whose calls run when the statement does; DDL bodies and defaults are left alone. */
const QUERY_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);
const WRAPPERS = new Set(['ExplainStmt', 'DeclareCursorStmt', 'PrepareStmt']);

export function functionCalls(statement: Node, ctx: TranslateContext): FunctionCall[] {
  const entry = unwrap(statement);
  if (!entry) return [];
  const [kind, n] = entry;
  const query = WRAPPERS.has(kind) ? n.query : QUERY_KINDS.has(kind) ? statement : undefined;
  if (!query || !QUERY_KINDS.has(unwrap(query)?.[0] ?? '')) return [];
  const calls: FunctionCall[] = [];
  walk(query, (nodeKind, call) => {
    if (nodeKind !== 'FuncCall' || call.funcformat === 'COERCE_SQL_SYNTAX') return;
    const names = list(call.funcname).map(str);
    if (names.length === 0 || names.length > 2 || names.some((part) => part === undefined)) return;
    const idents = identsAt(ctx, names as string[], call.location);
    const name = idents[idents.length - 1];
    if (name.start < 0) return;
    calls.push(idents.length === 2 ? { schema: idents[0], name } : { name });
  });
  return calls;
}
