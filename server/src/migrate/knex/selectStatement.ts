/** SELECT (libpg-query `SelectStmt`) → a Knex query-builder chain. */
import { list, quote, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { conditionCalls } from './conditions';
import { fromSource } from './fromClause';
import { knexName, type KnexContext } from './knexContext';
import { expressionReason, renderOperand } from './operands';
import { selectListCalls } from './selectList';

/** The builder's parts: the starting expression, then the calls, for joining with `.`. */
export function selectParts(stmt: Fields, ctx: KnexContext): string[] {
  if (stmt.op !== 'SETOP_NONE') refuse('UNION, INTERSECT and EXCEPT are not converted');
  if (list(stmt.valuesLists).length > 0) refuse('a VALUES list as a query has no Knex builder method');
  if (stmt.intoClause) refuse('SELECT … INTO creates a table; it is not converted');
  if (list(stmt.windowClause).length > 0) refuse('WINDOW clauses are not converted');
  if (list(stmt.targetList).length === 0) refuse('a SELECT without a select list is not converted');
  const ctes = withCalls(stmt.withClause as Fields | undefined, ctx);
  const from = list(stmt.fromClause);
  const parts = [ctx.instance, ...ctes];
  if (from.length > 0) {
    const { source, isTable, joins } = fromSource(from, ctx);
    if (ctes.length === 0 && isTable) parts[0] = `${ctx.instance}(${source})`;
    else parts.push(`from(${source})`);
    parts.push(...joins);
  }
  const { distinct, distinctOn } = readDistinct(stmt, ctx);
  if (distinctOn) parts.push(distinctOn);
  parts.push(...selectListCalls(list(stmt.targetList), distinct, ctx));
  if (stmt.whereClause) parts.push(...conditionCalls('where', stmt.whereClause, ctx));
  if (stmt.groupDistinct) refuse('GROUP BY DISTINCT is not converted');
  const groups = list(stmt.groupClause).map((item) => groupOrOrderItem(item, 'GROUP BY', ctx));
  if (groups.length > 0) parts.push(`groupBy(${groups.join(', ')})`);
  if (stmt.havingClause) parts.push(...conditionCalls('having', stmt.havingClause, ctx));
  parts.push(...list(stmt.sortClause).map((item) => orderByCall(unwrap(item)[1], ctx)));
  if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') refuse('FETCH … WITH TIES has no Knex builder method');
  if (stmt.limitCount) parts.push(`limit(${countValue(stmt.limitCount, 'LIMIT', ctx)})`);
  if (stmt.limitOffset) parts.push(`offset(${countValue(stmt.limitOffset, 'OFFSET', ctx)})`);
  parts.push(...lockingCalls(list(stmt.lockingClause), ctx));
  return parts;
}

/** Whether the select list is DISTINCT, or the `distinctOn(…)` call for DISTINCT ON (PostgreSQL). */
function readDistinct(stmt: Fields, ctx: KnexContext): { distinct: boolean; distinctOn?: string } {
  const distinct = list(stmt.distinctClause);
  if (distinct.length === 0) return { distinct: false };
  if (distinct.length === 1 && Object.keys(distinct[0] as Fields).length === 0) return { distinct: true };
  if (ctx.dialect === 'mysql') refuse('DISTINCT ON is not MySQL syntax');
  const columns = distinct.map((item) => {
    const operand = renderOperand(item, ctx);
    return operand.kind === 'column' ? quote(operand.name) : refuse('DISTINCT ON is only converted over columns');
  });
  return { distinct: false, distinctOn: `distinctOn(${columns.join(', ')})` };
}

/** `with(…)` calls for the common table expressions of a SELECT. */
function withCalls(withClause: Fields | undefined, ctx: KnexContext): string[] {
  if (!withClause) return [];
  if (withClause.recursive) refuse('WITH RECURSIVE is not converted (its UNION has no faithful Knex form)');
  return list(withClause.ctes).map((node) => {
    const cte = unwrap(node)[1];
    const [kind, query] = unwrap(cte.ctequery);
    if (kind !== 'SelectStmt') refuse('data-modifying statements in WITH are not converted');
    const materialized = cte.ctematerialized as string;
    if (materialized !== 'CTEMaterializeDefault' && ctx.dialect === 'mysql')
      refuse('[NOT] MATERIALIZED is not MySQL syntax');
    const method = { CTEMaterializeAlways: 'withMaterialized', CTEMaterializeNever: 'withNotMaterialized' }[
      materialized
    ];
    const columns = list(cte.aliascolnames).map((name) => quote(knexName(stringValue(name))));
    const name = quote(knexName(cte.ctename as string));
    const columnList = columns.length > 0 ? `[${columns.join(', ')}], ` : '';
    return `${method ?? 'with'}(${name}, ${columnList}${ctx.subquery(query, { ...ctx, outputNamed: true })})`;
  });
}

/** A GROUP BY or ORDER BY item: a column, or an integer that Knex writes as the column position. */
function groupOrOrderItem(node: unknown, clause: string, ctx: KnexContext): string {
  const [kind, fields] = unwrap(node);
  if (kind === 'GroupingSet') refuse('ROLLUP, CUBE and GROUPING SETS have no Knex builder method');
  if (kind === 'ColumnRef' || kind === 'A_Const') {
    const operand = renderOperand(node, ctx);
    if (operand.kind === 'column') return quote(operand.name);
    if (operand.kind === 'value' && operand.integer !== undefined) return String(operand.integer);
    refuse(`a constant in ${clause} other than a column position is not converted`);
  }
  if (kind === 'ParamRef') refuse(`a parameter in ${clause} is not converted`);
  return refuse(`${clause} an expression: ${expressionReason(kind, fields)}`);
}

function orderByCall(sort: Fields, ctx: KnexContext): string {
  if (sort.sortby_dir === 'SORTBY_USING') refuse('ORDER BY … USING is not converted');
  const subject = groupOrOrderItem(sort.node, 'ORDER BY', ctx);
  const direction = { SORTBY_ASC: 'asc', SORTBY_DESC: 'desc' }[sort.sortby_dir as string];
  const nulls = { SORTBY_NULLS_FIRST: 'first', SORTBY_NULLS_LAST: 'last' }[sort.sortby_nulls as string];
  if (nulls) {
    // Knex's MySQL NULLS FIRST/LAST orders by the null test alone; MySQL has no such syntax anyway.
    if (ctx.dialect === 'mysql') refuse('NULLS FIRST/LAST is not MySQL syntax');
    return `orderBy(${subject}, '${direction ?? 'asc'}', '${nulls}')`;
  }
  return direction ? `orderBy(${subject}, '${direction}')` : `orderBy(${subject})`;
}

/** A LIMIT/OFFSET count: an integer or a parameter (Knex binds it). */
function countValue(node: unknown, clause: string, ctx: KnexContext): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind !== 'value' || (operand.integer === undefined && !operand.parameter))
    refuse(`${clause} other than an integer or a parameter is not converted`);
  return operand.integer === undefined ? operand.code : String(operand.integer);
}

const LOCKS: Record<string, string> = {
  LCS_FORUPDATE: 'forUpdate',
  LCS_FORNOKEYUPDATE: 'forNoKeyUpdate',
  LCS_FORSHARE: 'forShare',
  LCS_FORKEYSHARE: 'forKeyShare',
};

/** FOR UPDATE and friends, with OF tables and NOWAIT / SKIP LOCKED. */
function lockingCalls(clauses: unknown[], ctx: KnexContext): string[] {
  if (clauses.length === 0) return [];
  if (clauses.length > 1) refuse('several locking clauses are not converted');
  const lock = unwrap(clauses[0])[1];
  const method = LOCKS[lock.strength as string] ?? refuse('this locking clause is not converted');
  const tables = list(lock.lockedRels).map((rel) => quote(knexName(unwrap(rel)[1].relname as string)));
  if (ctx.dialect === 'mysql' && (method !== 'forUpdate' || tables.length > 0))
    refuse('only FOR UPDATE without OF is converted for MySQL');
  const wait = { LockWaitSkip: ['skipLocked()'], LockWaitError: ['noWait()'] }[lock.waitPolicy as string] ?? [];
  return [`${method}(${tables.join(', ')})`, ...wait];
}
