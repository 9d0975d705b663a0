/**
 * Clauses several statements share, rendered as Kysely builder calls: WHERE/HAVING filters,
 * select and RETURNING lists, ORDER BY items.
 */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { columnReference, renderExpression } from './expressions';
import { asCondition, asExpression, asReference } from './spelling';
import { safeName } from './names';
import type { RenderContext } from './renderContext';
import { untyped } from './untyped';

/**
 * `.where(...)`/`.having(...)` calls for a boolean condition. A top-level AND becomes one call per
 * operand (Kysely joins them with `and`); a column compared with a value uses the short
 * `'column', '=', value` form; everything else an `(eb) => …` callback.
 */
export function filterCalls(method: 'where' | 'having', condition: unknown, ctx: RenderContext): string[] {
  const [kind, fields] = unwrap(condition);
  if (kind === 'BoolExpr' && fields.boolop === 'AND_EXPR') {
    return list(fields.args).flatMap((arg) => filterCalls(method, arg, ctx));
  }
  if (kind === 'A_Expr' && fields.kind === 'AEXPR_OP' && unwrap(fields.lexpr)[0] === 'ColumnRef') {
    const operator = list(fields.name).map(stringValue).join('.');
    const right = renderExpression(fields.rexpr, ctx);
    const value = right.kind === 'value' ? right.code : right.bound;
    if (['=', '<>', '<', '>', '<=', '>='].includes(operator) && value !== undefined) {
      const column = quote(columnReference(unwrap(fields.lexpr)[1]));
      return [`${method}(${column}, '${operator}', ${untyped(ctx, value)})`];
    }
  }
  return [`${method}((eb) => ${asCondition(renderExpression(condition, ctx), ctx)})`];
}

/** Method names of a selection list: `select`/`selectAll` or `returning`/`returningAll`. */
export interface SelectionMethods {
  some: 'select' | 'returning';
  all: 'selectAll' | 'returningAll';
}

/**
 * Calls for a target list (`ResTarget` nodes). Consecutive plain columns and expressions go into
 * one `select([...])` or `select((eb) => [...])`; `*` and `t.*` become `selectAll`, keeping the order.
 */
export function selectionCalls(targets: unknown[], methods: SelectionMethods, ctx: RenderContext): string[] {
  const calls: string[] = [];
  let pending: { code: string; needsBuilder: boolean }[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const items = pending.map((item) => item.code);
    const body = items.length === 1 ? items[0] : `[${items.join(', ')}]`;
    calls.push(
      pending.some((item) => item.needsBuilder) ? `${methods.some}((eb) => ${body})` : `${methods.some}(${body})`,
    );
    pending = [];
  };
  for (const target of targets) {
    const fields = unwrap(target)[1];
    const star = starTable(fields.val);
    if (star !== undefined) {
      flush();
      calls.push(star ? `${methods.all}(${quote(star)})` : `${methods.all}()`);
      continue;
    }
    const alias = fields.name as string | undefined;
    const operand = renderExpression(fields.val, ctx);
    // An alias Kysely's `'column as alias'` string cannot carry goes through `eb.ref(…).as(…)` instead.
    if (operand.kind === 'ref' && (alias === undefined || /^[A-Za-z_][A-Za-z0-9_$]*$/.test(alias))) {
      pending.push({
        code: quote(alias ? `${operand.code} as ${alias}` : operand.code),
        needsBuilder: false,
      });
    } else {
      if (alias === undefined && ctx.namedColumns && ctx.dialect === 'mysql')
        refuse(REFUSAL.mysqlUnaliasedColumn('Kysely'));
      pending.push({ code: `${asExpression(operand)}.as(${quote(alias ?? operand.defaultName)})`, needsBuilder: true });
    }
  }
  flush();
  return calls;
}

/** `''` for `*`, the qualifier for `t.*`, undefined for anything else. */
function starTable(node: unknown): string | undefined {
  const [kind, fields] = unwrap(node);
  if (kind !== 'ColumnRef') return undefined;
  const parts = list(fields.fields);
  if (unwrap(parts[parts.length - 1])[0] !== 'A_Star') return undefined;
  return parts
    .slice(0, -1)
    .map((part) => safeName(stringValue(part)))
    .join('.');
}

/**
 * A GROUP BY or ORDER BY item as Kysely reads it. An integer constant there is a column position,
 * so it stays an inline literal (a bound parameter would be a constant and change the grouping).
 */
export function positionalOrExpression(node: unknown, ctx: RenderContext): { code: string; needsBuilder: boolean } {
  const [kind, fields] = unwrap(node);
  if (kind === 'A_Const') {
    const position = ((fields.ival as Fields).ival as number | undefined) ?? 0;
    return { code: `eb.lit(${String(position)})`, needsBuilder: true };
  }
  const operand = renderExpression(node, ctx);
  // orderBy('a b') is Kysely's deprecated `column direction` form: a name with a space goes through eb.ref.
  if (operand.kind !== 'ref') return { code: asReference(operand), needsBuilder: true };
  if (/\s/.test(operand.code)) return { code: asExpression(operand), needsBuilder: true };
  return { code: quote(operand.code), needsBuilder: false };
}

/** `.orderBy(...)` calls for a sort clause. */
export function orderByCalls(sortClause: unknown[], ctx: RenderContext): string[] {
  return sortClause.map((item) => {
    const sort = unwrap(item)[1];
    const target = positionalOrExpression(sort.node, ctx);
    const subject = target.needsBuilder ? `(eb) => ${target.code}` : target.code;
    const direction = { SORTBY_ASC: 'asc', SORTBY_DESC: 'desc' }[sort.sortby_dir as string];
    const nulls = { SORTBY_NULLS_FIRST: 'nullsFirst', SORTBY_NULLS_LAST: 'nullsLast' }[sort.sortby_nulls as string];
    if (nulls) {
      return `orderBy(${subject}, (ob) => ob${direction ? `.${direction}()` : ''}.${nulls}())`;
    }
    return direction ? `orderBy(${subject}, '${direction}')` : `orderBy(${subject})`;
  });
}
