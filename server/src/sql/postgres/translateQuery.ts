/**
 * SELECT / VALUES / INSERT / UPDATE / DELETE and FROM items: libpg-query's AST → query levels.
 */
import {
  emptyQuery,
  type Cte,
  type Ident,
  type FromItem,
  type Name,
  type OutputColumn,
  type Query,
  type TableRef,
} from '../model';
import { lexNameChain } from './identifiers';
import { collectExpression, columnRef, figureColname, stringLiteral } from './translateExpression';
import { identsAt, list, str, unwrap, type Node, type TranslateContext } from './translateContext';

/** Set-returning functions of a scalar type: their one column is named by the alias (or the function). */
const SCALAR_SET_FUNCTIONS = new Set([
  'generate_series',
  'unnest',
  'generate_subscripts',
  'regexp_split_to_table',
  'string_to_table',
  'json_array_elements_text',
  'jsonb_array_elements_text',
  'json_object_keys',
  'jsonb_object_keys',
]);

/** Translates any query-producing node; unknown kinds give an `unsure` level. */
export function translateQueryNode(node: unknown, ctx: TranslateContext): Query {
  const entry = unwrap(node);
  if (!entry) return unsure();
  const [kind, n] = entry;
  switch (kind) {
    case 'SelectStmt':
      return translateSelect(n, ctx);
    case 'InsertStmt':
      return translateInsert(n, ctx);
    case 'UpdateStmt':
      return translateUpdate(n, ctx);
    case 'DeleteStmt':
      return translateDelete(n, ctx);
    default:
      return unsure();
  }
}

function unsure(): Query {
  return { ...emptyQuery(), unsure: true };
}

function sub(ctx: TranslateContext): (node: unknown) => Query {
  return (node) => translateQueryNode(node, ctx);
}

function name(text: string): Name {
  return { text, quoted: false };
}

function withClause(q: Query, clause: unknown, ctx: TranslateContext): void {
  if (!clause || typeof clause !== 'object') return;
  const w = clause as Node;
  q.recursive = w.recursive === true;
  for (const item of list(w.ctes)) {
    const entry = unwrap(item);
    if (!entry || entry[0] !== 'CommonTableExpr') continue;
    const c = entry[1];
    const query = translateQueryNode(c.ctequery, ctx);
    // SEARCH / CYCLE add columns of their own.
    if (c.search_clause || c.cycle_clause) query.outputs = null;
    const aliases = list(c.aliascolnames)
      .map(str)
      .filter((s): s is string => s !== undefined);
    const cte: Cte = {
      name: name(c.ctename as string),
      query,
      ...(aliases.length ? { columnAliases: aliases.map(name) } : {}),
    };
    q.ctes.push(cte);
  }
}

function translateSelect(n: Node, ctx: TranslateContext): Query {
  if (n.op && n.op !== 'SETOP_NONE') {
    const first = translateQueryNode({ SelectStmt: n.larg }, ctx);
    const second = translateQueryNode({ SelectStmt: n.rarg }, ctx);
    first.setBranches.push(second, ...second.setBranches);
    second.setBranches = [];
    withClause(first, n.withClause, ctx);
    for (const sort of list(n.sortClause)) sortItem(sort, first, ctx);
    collectExpression([n.limitCount, n.limitOffset], first, ctx, sub(ctx));
    return first;
  }
  const q = emptyQuery();
  withClause(q, n.withClause, ctx);
  const values = list(n.valuesLists);
  if (values.length > 0) {
    const width = list(unwrap(values[0])?.[1].items).length;
    q.outputs = Array.from({ length: width }, (_, i) => ({ kind: 'column', name: name(`column${i + 1}`) }));
    collectExpression(values, q, ctx, sub(ctx));
    return q;
  }
  for (const item of list(n.fromClause)) q.from.push(fromItem(item, ctx));
  q.outputs = targets(n.targetList, q, ctx);
  collectExpression(
    [n.whereClause, n.havingClause, n.windowClause, n.distinctClause, n.limitCount, n.limitOffset],
    q,
    ctx,
    sub(ctx),
  );
  for (const group of list(n.groupClause)) outputAliasOrExpression(group, q, ctx);
  for (const sort of list(n.sortClause)) sortItem(sort, q, ctx);
  return q;
}

/** ORDER BY / GROUP BY: a bare name may be an output column's alias. */
function outputAliasOrExpression(expr: unknown, q: Query, ctx: TranslateContext): void {
  const entry = unwrap(expr);
  if (entry?.[0] === 'ColumnRef' && list(entry[1].fields).length === 1) {
    const ref = columnRef(entry[1], ctx, true);
    if (ref) q.refs.push(ref);
  } else collectExpression(expr, q, ctx, sub(ctx));
}

function sortItem(sort: unknown, q: Query, ctx: TranslateContext): void {
  const entry = unwrap(sort);
  if (entry?.[0] === 'SortBy') outputAliasOrExpression(entry[1].node, q, ctx);
  else collectExpression(sort, q, ctx, sub(ctx));
}

/** A select list or RETURNING list → outputs, collecting its references. */
function targets(targetList: unknown, q: Query, ctx: TranslateContext): OutputColumn[] {
  const outputs: OutputColumn[] = [];
  for (const item of list(targetList)) {
    const target = unwrap(item)?.[1];
    if (!target) continue;
    const val = unwrap(target.val);
    if (val?.[0] === 'ColumnRef') {
      const ref = columnRef(val[1], ctx);
      if (ref?.star) {
        outputs.push({ kind: 'star', ref });
        q.refs.push(ref);
        continue;
      }
    }
    collectExpression(target.val, q, ctx, sub(ctx));
    const alias = typeof target.name === 'string' ? target.name : figureColname(target.val);
    outputs.push({ kind: 'column', name: alias === null ? null : name(alias) });
  }
  return outputs;
}

function returning(n: Node, q: Query, ctx: TranslateContext): void {
  const clause = n.returningClause as Node | undefined;
  const exprs = clause ? clause.exprs : n.returningList;
  q.outputs = list(exprs).length ? targets(exprs, q, ctx) : [];
  if (!q.target || list(exprs).length === 0) return;
  const declared = list(clause?.options).flatMap((option) => {
    const alias = unwrap(option)?.[1].value;
    return typeof alias === 'string' ? [name(alias)] : [];
  });
  q.target.returningRows = { declared };
}

function tableRef(n: Node, ctx: TranslateContext): TableRef | undefined {
  if (n.catalogname) return undefined;
  const names = [n.schemaname, n.relname].filter((s): s is string => typeof s === 'string');
  const idents = identsAt(ctx, names, n.location);
  const alias = n.alias as Node | undefined;
  const colnames = list(alias?.colnames)
    .map(str)
    .filter((s): s is string => s !== undefined);
  const ref: TableRef = {
    kind: 'table',
    name: idents[idents.length - 1] ?? { text: n.relname as string, quoted: false, start: -1, end: -1 },
  };
  if (idents.length === 2) ref.schema = idents[0];
  if (alias) ref.alias = name(alias.aliasname as string);
  if (colnames.length) ref.columnAliases = colnames.map(name);
  return ref;
}

function aliasOf(n: Node): { alias?: Name; columnAliases?: Name[] } {
  const alias = n.alias as Node | undefined;
  if (!alias) return {};
  const colnames = list(alias.colnames)
    .map(str)
    .filter((s): s is string => s !== undefined);
  return { alias: name(alias.aliasname as string), ...(colnames.length ? { columnAliases: colnames.map(name) } : {}) };
}

function fromItem(item: unknown, ctx: TranslateContext): FromItem {
  const entry = unwrap(item);
  if (!entry) return { kind: 'opaque' };
  const [kind, n] = entry;
  switch (kind) {
    case 'RangeVar':
      return tableRef(n, ctx) ?? { kind: 'opaque', ...aliasOf(n) };
    case 'RangeSubselect':
      return {
        kind: 'derived',
        query: translateQueryNode(n.subquery, ctx),
        lateral: n.lateral === true,
        ...aliasOf(n),
      };
    case 'RangeTableSample':
      return fromItem(n.relation, ctx);
    case 'RangeFunction': {
      const args = emptyQuery();
      collectExpression(n.functions, args, ctx, sub(ctx));
      const functions = list(n.functions);
      const pair = list(unwrap(functions[0])?.[1].items);
      const first = unwrap(pair[0]);
      const functionName =
        functions.length === 1 && first?.[0] === 'FuncCall' ? str(list(first[1].funcname).at(-1)) : undefined;
      const { alias, columnAliases } = aliasOf(n);
      const refName = alias ?? (functionName ? name(functionName) : undefined);
      const scalar =
        functionName !== undefined &&
        SCALAR_SET_FUNCTIONS.has(functionName) &&
        list(first?.[1].args).length <= (functionName === 'unnest' ? 1 : 3) &&
        unwrap(pair[1]) === undefined;
      const column = columnAliases?.[0] ?? refName;
      const knownColumns =
        scalar && column && (columnAliases?.length ?? 0) <= 1
          ? [column, ...(n.ordinality ? [name('ordinality')] : [])]
          : undefined;
      return {
        kind: 'opaque',
        ...(refName ? { alias: refName } : {}),
        args,
        ...(knownColumns ? { knownColumns } : {}),
      };
    }
    case 'JoinExpr': {
      const join: FromItem = {
        kind: 'join',
        left: fromItem(n.larg, ctx),
        right: fromItem(n.rarg, ctx),
        natural: n.isNatural === true,
      };
      const using = list(n.usingClause)
        .map(str)
        .filter((s): s is string => s !== undefined);
      if (using.length) join.using = usingIdents(using, n.rarg, ctx);
      if (n.quals) {
        const on = emptyQuery();
        collectExpression(n.quals, on, ctx, sub(ctx));
        join.on = on;
      }
      const usingAlias = n.join_using_alias as Node | undefined;
      if (usingAlias) join.alias = name(usingAlias.aliasname as string);
      // `(a JOIN b …) AS j` hides a and b behind j, whose columns we do not model.
      if (n.alias) {
        const args = emptyQuery();
        args.from.push(join);
        return { kind: 'opaque', ...aliasOf(n), args };
      }
      return join;
    }
    default: {
      const args = emptyQuery();
      return { kind: 'opaque', ...aliasOf(n), args };
    }
  }
}

function dmlTarget(n: Node, q: Query, ctx: TranslateContext): TableRef | undefined {
  const relation = tableRef(n.relation as Node, ctx);
  if (!relation) {
    q.unsure = true;
    return undefined;
  }
  q.target = { table: relation, columns: [] };
  return relation;
}

/** `SET col = …`, `(a, b) = …`, INSERT column lists: the first name of each target. */
function targetColumns(items: unknown, q: Query, ctx: TranslateContext, withValues: boolean): void {
  const seenSources = new Set<unknown>();
  for (const item of list(items)) {
    const t = unwrap(item)?.[1];
    if (!t || typeof t.name !== 'string') continue;
    const column = identsAt(ctx, [t.name], t.location);
    q.target?.columns.push(...column);
    if (!withValues) continue;
    if (!t.indirection) assigned(column[0], t.val, q, ctx);
    const val = unwrap(t.val);
    if (val?.[0] === 'MultiAssignRef') {
      const key = JSON.stringify(val[1].source);
      if (seenSources.has(key)) continue;
      seenSources.add(key);
      collectExpression(val[1].source, q, ctx, sub(ctx));
    } else collectExpression(t.val, q, ctx, sub(ctx));
    collectExpression(t.indirection, q, ctx, sub(ctx));
  }
}

/** `SET col = 'text'`, or one VALUES row's `'text'` for `col`: PostgreSQL reads it as the column's type. */
function assigned(column: Ident | undefined, value: unknown, q: Query, ctx: TranslateContext): void {
  const literal = stringLiteral(value, ctx);
  if (column && literal)
    (q.literalComparisons ??= []).push({ column: { parts: [column], star: false }, assigned: true, literal });
}

function translateInsert(n: Node, ctx: TranslateContext): Query {
  const q = emptyQuery();
  withClause(q, n.withClause, ctx);
  if (!dmlTarget(n, q, ctx)) return q;
  targetColumns(n.cols, q, ctx, false);
  if (n.selectStmt) q.sources.push(translateQueryNode(n.selectStmt, ctx));
  // One row only: several rows of literals are first typed as text, a different error.
  const rows = list(unwrap(n.selectStmt)?.[1].valuesLists);
  if (rows.length === 1 && q.target)
    list(unwrap(rows[0])?.[1].items).forEach((value, i) => assigned(q.target?.columns[i], value, q, ctx));
  const conflict = n.onConflictClause as Node | undefined;
  if (conflict) {
    if (conflict.action === 'ONCONFLICT_UPDATE' && q.target) q.target.excludedAlias = true;
    targetColumns(conflict.targetList, q, ctx, true);
    collectExpression([conflict.whereClause, (conflict.infer as Node | undefined)?.whereClause], q, ctx, sub(ctx));
  }
  returning(n, q, ctx);
  return q;
}

function translateUpdate(n: Node, ctx: TranslateContext): Query {
  const q = emptyQuery();
  withClause(q, n.withClause, ctx);
  if (!dmlTarget(n, q, ctx)) return q;
  for (const item of list(n.fromClause)) q.from.push(fromItem(item, ctx));
  targetColumns(n.targetList, q, ctx, true);
  collectExpression(n.whereClause, q, ctx, sub(ctx));
  returning(n, q, ctx);
  return q;
}

function translateDelete(n: Node, ctx: TranslateContext): Query {
  const q = emptyQuery();
  withClause(q, n.withClause, ctx);
  if (!dmlTarget(n, q, ctx)) return q;
  for (const item of list(n.usingClause)) q.from.push(fromItem(item, ctx));
  collectExpression(n.whereClause, q, ctx, sub(ctx));
  returning(n, q, ctx);
  return q;
}

/** USING names carry no location: find `USING (` after the right-hand table and lex the list. */
function usingIdents(names: string[], rarg: unknown, ctx: TranslateContext): Ident[] {
  const unknown = names.map((text) => ({ text, quoted: false, start: -1, end: -1 }));
  const right = unwrap(rarg);
  if (right?.[0] !== 'RangeVar' || typeof right[1].location !== 'number') return unknown;
  const text = ctx.offsets.text;
  const from = ctx.offsets.local(ctx.offsets.fromByte(right[1].location));
  const match = /\busing\s*\(/iy;
  const at = text.slice(from).search(/\busing\s*\(/i);
  if (at < 0) return unknown;
  match.lastIndex = from + at;
  const m = match.exec(text);
  if (!m) return unknown;
  let i = from + at + m[0].length;
  return names.map((name) => {
    while (/[\s,]/.test(text.charAt(i))) i++;
    const part = lexNameChain(text, i)[0];
    if (!part) return { text: name, quoted: false, start: -1, end: -1 };
    i = part.end;
    return { text: name, quoted: part.quoted, start: ctx.offsets.base + part.start, end: ctx.offsets.base + part.end };
  });
}
