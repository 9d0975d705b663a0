/**
 * The function calls of a PostgreSQL query statement, for the check that each function exists.
 * Calls the grammar itself writes for SQL syntax (`TRIM(BOTH …)` is `pg_catalog.btrim`, `AT TIME
 * ZONE` is `timezone`) are left out: the user never wrote their names. So is `name(c)` on a FROM
 * item `c`: PostgreSQL reads it as the column `c.name` (functional notation) when no function fits.
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
  const rowNames = fromItemNames(query);
  walk(query, (nodeKind, call) => {
    if (nodeKind !== 'FuncCall' || call.funcformat === 'COERCE_SQL_SYNTAX') return;
    if (wholeRowArgument(call, rowNames)) return;
    const names = list(call.funcname).map(str);
    if (names.length === 0 || names.length > 2 || names.some((part) => part === undefined)) return;
    const idents = identsAt(ctx, names as string[], call.location);
    const name = idents[idents.length - 1];
    if (name.start < 0) return;
    calls.push(idents.length === 2 ? { schema: idents[0], name } : { name });
  });
  return calls;
}

/** The names a whole row goes by in the statement: tables, aliases, CTEs, subquery and function aliases. */
function fromItemNames(query: unknown): Set<string> {
  const names = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') names.add(value);
  };
  const aliasOf = (n: Node): unknown => (n.alias as Node | undefined)?.aliasname;
  walk(query, (kind, n) => {
    if (kind === 'RangeVar') add(aliasOf(n) ?? n.relname);
    else if (kind === 'RangeSubselect' || kind === 'RangeFunction' || kind === 'JoinExpr') add(aliasOf(n));
    else if (kind === 'CommonTableExpr') add(n.ctename);
    else if (QUERY_KINDS.has(kind) && n.relation) add(aliasOf(n.relation as Node) ?? (n.relation as Node).relname);
  });
  return names;
}

/** `f(c)` or `f(c.*)` with `c` a FROM item: `c.f` when `c` has a column `f`, which is the database's to say. */
function wholeRowArgument(call: Node, rowNames: Set<string>): boolean {
  const args = list(call.args);
  if (args.length !== 1 || call.agg_star || call.over) return false;
  const ref = unwrap(args[0]);
  if (ref?.[0] !== 'ColumnRef') return false;
  const fields = list(ref[1].fields);
  const last = unwrap(fields.at(-1))?.[0];
  const row =
    fields.length === 1 ? str(fields[0]) : fields.length === 2 && last === 'A_Star' ? str(fields[0]) : undefined;
  return row !== undefined && rowNames.has(row);
}
