/** SELECT (libpg-query `SelectStmt`) → a Kysely `selectFrom(...)` chain. */
import { quote } from '../javascriptString';
import { list, refuse, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { filterCalls, orderByCalls, positionalOrExpression, selectionCalls } from './clauses';
import { columnReference, renderExpression } from './expressions';
import { asCondition } from './spelling';
import { safeName, tableExpression } from './names';
import type { RenderContext } from './renderContext';

const JOIN_METHODS: Record<string, string> = {
  JOIN_INNER: 'innerJoin',
  JOIN_LEFT: 'leftJoin',
  JOIN_RIGHT: 'rightJoin',
  JOIN_FULL: 'fullJoin',
};

/** The builder calls after `db.` for a SELECT statement. */
export function selectCalls(stmt: Fields, ctx: RenderContext): string[] {
  if (stmt.withClause) refuse(REFUSAL.withClause);
  if (list(stmt.lockingClause).length > 0) refuse(REFUSAL.rowLocking);

  const from = list(stmt.fromClause);
  const selections = selectionCalls(list(stmt.targetList), { some: 'select', all: 'selectAll' }, ctx);
  if (from.length === 0) return noFromCalls(stmt, selections);
  const calls = fromCalls(from, ctx);
  const distinct = list(stmt.distinctClause);
  if (distinct.length > 0) {
    if (distinct.length > 1 || Object.keys(distinct[0] as Fields).length > 0) refuse(REFUSAL.distinctOn);
    calls.push('distinct()');
  }
  calls.push(...selections);
  if (stmt.whereClause) calls.push(...filterCalls('where', stmt.whereClause, ctx));
  const groups = list(stmt.groupClause).map((item) => positionalOrExpression(item, ctx));
  if (groups.length > 0) {
    const body = groups.length === 1 ? groups[0].code : `[${groups.map((group) => group.code).join(', ')}]`;
    calls.push(groups.some((group) => group.needsBuilder) ? `groupBy((eb) => ${body})` : `groupBy(${body})`);
  }
  if (stmt.havingClause) calls.push(...filterCalls('having', stmt.havingClause, ctx));
  calls.push(...orderByCalls(list(stmt.sortClause), ctx));
  if (stmt.limitCount) calls.push(`limit(${countValue(stmt.limitCount, 'LIMIT', ctx)})`);
  if (stmt.limitOffset) calls.push(`offset(${countValue(stmt.limitOffset, 'OFFSET', ctx)})`);
  return calls;
}

/** A LIMIT/OFFSET count: a constant or a parameter, bound by Kysely. */
function countValue(node: unknown, clause: string, ctx: RenderContext): string {
  const operand = renderExpression(node, ctx);
  if (operand.kind === 'value') return operand.code;
  if (operand.number === undefined || !/^\d+$/.test(operand.number)) refuse(REFUSAL.count(clause));
  return operand.number;
}

/** A SELECT without FROM: Kysely's `selectNoFrom(selections)`, refusing clauses it would need a table for. */
function noFromCalls(stmt: Fields, selections: string[]): string[] {
  const clauses = [stmt.distinctClause, stmt.whereClause, stmt.groupClause, stmt.havingClause, stmt.sortClause];
  if (clauses.some((clause) => clause !== undefined) || stmt.limitCount || stmt.limitOffset) {
    refuse(REFUSAL.clausesWithoutFrom);
  }
  if (selections.length !== 1 || !selections[0].startsWith('select(')) refuse(REFUSAL.starWithoutFrom);
  return [selections[0].replace(/^select\(/, 'selectNoFrom(')];
}

/** `selectFrom(...)` and the join calls for a FROM clause. */
function fromCalls(items: unknown[], ctx: RenderContext): string[] {
  if (items.length > 1) {
    const tables = items.map((item) => {
      const [kind, fields] = unwrap(item);
      if (kind !== 'RangeVar') refuse(REFUSAL.commaFromList('plain tables'));
      return quote(tableExpression(fields));
    });
    return [`selectFrom([${tables.join(', ')}])`];
  }
  const joins: string[] = [];
  let current = items[0];
  for (;;) {
    const [kind, fields] = unwrap(current);
    if (kind !== 'JoinExpr') return [`selectFrom(${fromItem(kind, fields, ctx)})`, ...joins.reverse()];
    joins.push(joinCall(fields, ctx));
    current = fields.larg;
  }
}

/** A table (`'orders as o'`) or a subquery in FROM (`(eb) => eb.selectFrom(…)….as('t')`). */
function fromItem(kind: string, fields: Fields, ctx: RenderContext): string {
  if (kind === 'RangeVar') return quote(tableExpression(fields));
  const alias = fields.alias as Fields;
  const select = unwrap(fields.subquery)[1];
  // The outer query reads the subquery's columns by name, so they are named as the database would.
  const calls = ctx.subquery(select, { ...ctx, namedColumns: true });
  if (calls[0].startsWith('selectNoFrom')) refuse(REFUSAL.subqueryWithoutFrom);
  return `(eb) => ${['eb', ...calls].join('.')}.as(${quote(safeName(alias.aliasname as string))})`;
}

function joinCall(join: Fields, ctx: RenderContext): string {
  if (list(join.usingClause).length > 0) refuse(REFUSAL.joinUsing);
  const [rightKind, right] = unwrap(join.rarg);
  if (rightKind === 'JoinExpr') refuse(REFUSAL.nestedJoin);
  const table = fromItem(rightKind, right, ctx);
  // An outer join always has ON (or USING) in the grammar: a join without it is a cross join.
  if (!join.quals) return `crossJoin(${table})`;
  const method = JOIN_METHODS[join.jointype as string];
  const [qualKind, qual] = unwrap(join.quals);
  if (
    qualKind === 'A_Expr' &&
    qual.kind === 'AEXPR_OP' &&
    list(qual.name).length === 1 &&
    (unwrap(list(qual.name)[0])[1].sval as string) === '=' &&
    unwrap(qual.lexpr)[0] === 'ColumnRef' &&
    unwrap(qual.rexpr)[0] === 'ColumnRef'
  ) {
    const left = quote(columnReference(unwrap(qual.lexpr)[1]));
    const rightColumn = quote(columnReference(unwrap(qual.rexpr)[1]));
    // Kysely types the two-column shorthand for tables only; a derived table's columns need `onRef`.
    if (rightKind === 'RangeSubselect')
      return `${method}(${table}, (join) => join.onRef(${left}, '=', ${rightColumn}))`;
    return `${method}(${table}, ${left}, ${rightColumn})`;
  }
  return `${method}(${table}, (join) => join.on((eb) => ${asCondition(renderExpression(join.quals, ctx), ctx)}))`;
}
