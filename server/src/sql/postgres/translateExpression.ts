/**
 * Expressions: collects the column references and subqueries of an expression tree into a query
 * level, and names output columns the way PostgreSQL's FigureColname does.
 */
import type { ColumnRef, LiteralComparison, Query } from '../model';
import { identsAt, list, str, unwrap, type Node, type TranslateContext } from './translateContext';

/** Translates a subquery node (SELECT, or DML with RETURNING in a CTE) into a query level. */
export type SubqueryTranslator = (node: unknown) => Query;

/** Adds every column reference in `expr` to `q.refs` and every subquery to `q.subqueries`. */
export function collectExpression(expr: unknown, q: Query, ctx: TranslateContext, sub: SubqueryTranslator): void {
  // An explicit stack: a 100,000-term `a + b + …` must not overflow the call stack.
  const stack: unknown[] = [expr];
  while (stack.length > 0) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    const entry = unwrap(value);
    if (entry && entry[0] === 'ColumnRef') {
      const ref = columnRef(entry[1], ctx);
      if (ref) q.refs.push(ref);
      continue;
    }
    if (entry && entry[0] === 'A_Expr') literalComparisons(entry[1], q, ctx);
    if (entry && entry[0] === 'SubLink') {
      stack.push(entry[1].testexpr);
      q.subqueries.push(sub(entry[1].subselect));
      continue;
    }
    for (const child of Object.values(value as Node)) if (child && typeof child === 'object') stack.push(child);
  }
}

/** Operators PostgreSQL has for two values of each type the comparison check knows. */
const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=']);

/** `col = 'x'`, `'x' <> t.col`, `col IN ('x', 'y')` → `q.literalComparisons`. */
function literalComparisons(n: Node, q: Query, ctx: TranslateContext): void {
  const operator = list(n.name).map(str);
  if (operator.length !== 1 || !COMPARISONS.has(operator[0] ?? '')) return;
  const pairs: [unknown, unknown][] = [];
  if (n.kind === 'AEXPR_OP') pairs.push([n.lexpr, n.rexpr], [n.rexpr, n.lexpr]);
  else if (n.kind === 'AEXPR_IN' && operator[0] === '=')
    for (const item of list(unwrap(n.rexpr)?.[0] === 'List' ? unwrap(n.rexpr)?.[1].items : n.rexpr))
      pairs.push([n.lexpr, item]);
  for (const [columnSide, literalSide] of pairs) {
    const column = unwrap(columnSide);
    if (column?.[0] !== 'ColumnRef') continue;
    const ref = columnRef(column[1], ctx);
    const literal = stringLiteral(literalSide, ctx);
    if (ref && !ref.star && literal) (q.literalComparisons ??= []).push({ column: ref, literal });
  }
}

/** A plain `'…'` constant (not E'…', $$…$$ or a typed literal) with its range in the file. */
export function stringLiteral(node: unknown, ctx: TranslateContext): LiteralComparison['literal'] | undefined {
  const constant = unwrap(node);
  if (constant?.[0] !== 'A_Const' || typeof constant[1].location !== 'number') return undefined;
  const value = (constant[1].sval as Node | undefined)?.sval;
  // With standard_conforming_strings off (a server setting) a backslash escapes: the value is unsure.
  if (typeof value !== 'string' || value.includes('\\')) return undefined;
  const start = ctx.offsets.fromByte(constant[1].location);
  const text = ctx.offsets.text;
  let i = ctx.offsets.local(start);
  if (text[i] !== "'") return undefined;
  for (i++; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] !== "'") return { value, start, end: ctx.offsets.base + i + 1 };
    i++;
  }
  return undefined;
}

/** A ColumnRef node → model reference; undefined for forms the model does not cover. */
export function columnRef(node: Node, ctx: TranslateContext, allowOutputAlias = false): ColumnRef | undefined {
  const fields = list(node.fields);
  const star = fields.length > 0 && unwrap(fields[fields.length - 1])?.[0] === 'A_Star';
  const names = (star ? fields.slice(0, -1) : fields).map(str);
  if (names.some((n) => n === undefined)) return undefined;
  return {
    parts: identsAt(ctx, names as string[], node.location),
    star,
    ...(allowOutputAlias ? { allowOutputAlias } : {}),
  };
}

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

/** The name PostgreSQL gives an unaliased output column, or null where it is not certain. */
export function figureColname(expr: unknown): string | null {
  const entry = unwrap(expr);
  if (!entry) return null;
  const [kind, n] = entry;
  switch (kind) {
    case 'ColumnRef': {
      const last = list(n.fields).at(-1);
      return str(last) ?? null;
    }
    case 'FuncCall':
      return str(list(n.funcname).at(-1)) ?? null;
    case 'TypeCast': {
      const inner = figureColname(n.arg);
      if (inner && inner !== '?column?') return inner;
      return str(list((n.typeName as Node | undefined)?.names).at(-1)) ?? null;
    }
    case 'A_Indirection': {
      const last = list(n.indirection).at(-1);
      return str(last) ?? figureColname(n.arg);
    }
    case 'A_Const':
    case 'BoolExpr':
    case 'NullTest':
    case 'BooleanTest':
    case 'ParamRef':
      return '?column?';
    case 'A_Expr':
      return n.kind === 'AEXPR_NULLIF' ? 'nullif' : '?column?';
    case 'A_ArrayExpr':
      return 'array';
    case 'RowExpr':
      return 'row';
    case 'CoalesceExpr':
      return 'coalesce';
    case 'MinMaxExpr':
      return n.op === 'IS_LEAST' ? 'least' : 'greatest';
    case 'SQLValueFunction':
      return SQL_VALUE_FUNCTIONS[n.op as string] ?? null;
    case 'SubLink':
      return n.subLinkType === 'EXISTS_SUBLINK' ? 'exists' : n.subLinkType === 'ARRAY_SUBLINK' ? 'array' : null;
    default:
      return null;
  }
}
