/** SELECT (libpg-query `SelectStmt`) → a Knex query-builder chain. */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { conditionCalls } from './conditions';
import { fromSource } from './fromClause';
import { columnName, knexName, type KnexContext } from './knexContext';
import { expressionReason, renderOperand } from './operands';
import { selectListCalls } from './selectList';

/** The builder's parts: the starting expression, then the calls, for joining with `.`. */
export function selectParts(stmt: Fields, ctx: KnexContext): string[] {
  if (list(stmt.targetList).length === 0) refuse(REFUSAL.knexRaw('a SELECT without a select list'));
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
  const groups = list(stmt.groupClause).map((item) => groupOrOrderItem(item, 'GROUP BY'));
  if (groups.length > 0) parts.push(`groupBy(${groups.join(', ')})`);
  if (stmt.havingClause) parts.push(...conditionCalls('having', stmt.havingClause, ctx));
  parts.push(...list(stmt.sortClause).map((item) => orderByCall(unwrap(item)[1])));
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
  const columns = distinct.map((item) => {
    const operand = renderOperand(item, ctx);
    return operand.kind === 'column' ? quote(operand.name) : refuse(REFUSAL.knexColumnOnly('DISTINCT ON'));
  });
  return { distinct: false, distinctOn: `distinctOn(${columns.join(', ')})` };
}

/** `with(…)` calls for the common table expressions of a SELECT. */
function withCalls(withClause: Fields | undefined, ctx: KnexContext): string[] {
  if (!withClause) return [];
  return list(withClause.ctes).map((node) => {
    const cte = unwrap(node)[1];
    const query = unwrap(cte.ctequery)[1];
    const materialized = cte.ctematerialized as string;
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
function groupOrOrderItem(node: unknown, clause: string): string {
  const [kind, fields] = unwrap(node);
  // A constant here is an integer (commonRefusals.ts): the column position.
  if (kind === 'A_Const') return String(((fields.ival as Fields).ival as number | undefined) ?? 0);
  if (kind === 'ColumnRef') return quote(columnName(fields));
  if (kind === 'ParamRef') refuse(REFUSAL.knexRaw(`a parameter in ${clause}`));
  return refuse(REFUSAL.inClause(clause, expressionReason(kind, fields)));
}

function orderByCall(sort: Fields): string {
  const subject = groupOrOrderItem(sort.node, 'ORDER BY');
  const direction = { SORTBY_ASC: 'asc', SORTBY_DESC: 'desc' }[sort.sortby_dir as string];
  const nulls = { SORTBY_NULLS_FIRST: 'first', SORTBY_NULLS_LAST: 'last' }[sort.sortby_nulls as string];
  if (nulls) {
    return `orderBy(${subject}, '${direction ?? 'asc'}', '${nulls}')`;
  }
  return direction ? `orderBy(${subject}, '${direction}')` : `orderBy(${subject})`;
}

/** A LIMIT/OFFSET count: an integer or a parameter (Knex binds it). */
function countValue(node: unknown, clause: string, ctx: KnexContext): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind !== 'value' || (operand.integer === undefined && !operand.parameter)) refuse(REFUSAL.count(clause));
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
  if (clauses.length > 1) refuse(REFUSAL.knexRaw('several locking clauses'));
  const lock = unwrap(clauses[0])[1];
  const method = LOCKS[lock.strength as string];
  const tables = list(lock.lockedRels).map((rel) => quote(knexName(unwrap(rel)[1].relname as string)));
  if (ctx.dialect === 'mysql' && (method !== 'forUpdate' || tables.length > 0)) refuse(REFUSAL.knexMysqlLocking);
  const wait = { LockWaitSkip: ['skipLocked()'], LockWaitError: ['noWait()'] }[lock.waitPolicy as string] ?? [];
  return [`${method}(${tables.join(', ')})`, ...wait];
}
