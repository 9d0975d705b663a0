/**
 * The refusals that do not depend on the builder, decided once in one walk over the statement:
 * what no generator converts (UNION, window functions, ONLY, …) and what MySQL runs otherwise or
 * not at all although the shared grammar reads it (ILIKE, NULLS FIRST, FULL JOIN, ON CONFLICT, …).
 * A generator then only refuses what its own builder cannot print.
 */
import type { Dialect } from '../../schema/snapshot';
import { list, refuse, stringValue, unwrap, type Fields } from './astNodes';
import { REFUSAL } from './refusals';

/** The statement kinds a migration converts. */
export const STATEMENT_KINDS = ['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/** Operators some builder writes; any other one is refused by all. */
const OPERATORS = new Set(['=', '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '||']);
const SUBQUERY_KINDS = new Set(['EXISTS_SUBLINK', 'ANY_SUBLINK', 'EXPR_SUBLINK']);
const FROM_KINDS = new Set(['RangeVar', 'RangeSubselect', 'JoinExpr']);
const JOIN_TYPES = new Set(['JOIN_INNER', 'JOIN_LEFT', 'JOIN_RIGHT', 'JOIN_FULL']);
const NULLS_ORDERS = new Set(['SORTBY_NULLS_FIRST', 'SORTBY_NULLS_LAST']);

interface Walk {
  dialect: Dialect;
  parameterCount: number;
  /** Nodes whose own check a parent already made: `*` items, an INSERT's VALUES. */
  allowed: WeakSet<object>;
}

/** Throws the refusal of the first construct no builder converts; returns the statement's kind otherwise. */
export function refuseCommon(statement: unknown, dialect: Dialect, parameterCount: number): StatementKind {
  const [kind] = unwrap(statement);
  if (!(STATEMENT_KINDS as readonly string[]).includes(kind)) refuse(REFUSAL.statementKind(kind.replace(/Stmt$/, '')));
  visit(statement, { dialect, parameterCount, allowed: new WeakSet() });
  return kind as StatementKind;
}

function visit(node: unknown, walk: Walk): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, walk);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [kind, fields] of Object.entries(node as Fields)) {
    if (fields && typeof fields === 'object' && !Array.isArray(fields) && !walk.allowed.has(node))
      check(kind, fields as Fields, walk);
    visit(fields, walk);
  }
}

function check(kind: string, fields: Fields, walk: Walk): void {
  const mysql = walk.dialect === 'mysql';
  switch (kind) {
    case 'SelectStmt':
      return checkSelect(fields, walk);
    case 'InsertStmt':
      return checkInsert(fields, walk);
    case 'UpdateStmt':
      checkTable(fields.relation as Fields);
      if (fields.withClause) refuse(REFUSAL.withOnDataStatement('UPDATE'));
      if (mysql && list(fields.fromClause).length > 0) refuse(REFUSAL.postgresOnly('UPDATE … FROM'));
      if (mysql && fields.returningClause) refuse(REFUSAL.postgresOnly('UPDATE … RETURNING'));
      checkAssignments(list(fields.targetList));
      checkFromList(list(fields.fromClause));
      return checkReturning(fields, walk);
    case 'DeleteStmt':
      checkTable(fields.relation as Fields);
      if (fields.withClause) refuse(REFUSAL.withOnDataStatement('DELETE'));
      if (mysql && list(fields.usingClause).length > 0) refuse(REFUSAL.postgresOnly('DELETE … USING'));
      checkFromList(list(fields.usingClause));
      return checkReturning(fields, walk);
    case 'RangeVar':
      return checkTable(fields);
    case 'RangeSubselect': {
      if (fields.lateral) refuse(REFUSAL.lateral);
      const alias = fields.alias as Fields | undefined;
      if (!alias) refuse(REFUSAL.subqueryAlias);
      if (list(alias.colnames).length > 0) refuse(REFUSAL.subqueryColumnAliases);
      return;
    }
    case 'JoinExpr':
      if (fields.isNatural) refuse(REFUSAL.natural);
      if (fields.alias) refuse(REFUSAL.joinAlias);
      if (!JOIN_TYPES.has(fields.jointype as string)) refuse(REFUSAL.fromItem(String(fields.jointype)));
      if (mysql && fields.jointype === 'JOIN_FULL') refuse(REFUSAL.mysqlFullJoin);
      return checkFromList([fields.larg, fields.rarg]);
    case 'ColumnRef': {
      const parts = list(fields.fields);
      if (parts.length > 3) refuse(REFUSAL.databaseQualifiedColumn);
      if (parts.some((part) => unwrap(part)[0] === 'A_Star')) refuse(REFUSAL.star);
      return;
    }
    case 'A_Const':
      if ('bsval' in fields) refuse(REFUSAL.bitString);
      return;
    case 'ParamRef':
      if ((fields.number as number) > walk.parameterCount) refuse(REFUSAL.missingParameter(fields.number as number));
      return;
    case 'A_Expr':
      return checkOperator(fields, walk);
    case 'FuncCall': {
      const name = list(fields.funcname).map(stringValue).join('.');
      if (fields.over) refuse(REFUSAL.windowFunction(name));
      if (fields.agg_filter) refuse(REFUSAL.aggregateFilter);
      if (list(fields.agg_order).length > 0 || fields.agg_within_group) refuse(REFUSAL.orderedAggregate);
      if (fields.func_variadic) refuse(REFUSAL.variadic);
      return;
    }
    case 'SubLink':
      if (!SUBQUERY_KINDS.has(fields.subLinkType as string)) refuse(REFUSAL.subqueryKind(String(fields.subLinkType)));
      if (fields.subLinkType === 'ANY_SUBLINK' && fields.operName) refuse(REFUSAL.operatorAnySubquery);
      return;
    case 'A_ArrayExpr':
      return refuse(REFUSAL.arrayConstructor);
    case 'RowExpr':
      return refuse(REFUSAL.rowConstructor);
    case 'CollateClause':
      return refuse(REFUSAL.collate);
    default:
      return;
  }
}

/** A table: the statement's target (a bare `RangeVar`) or a FROM item. */
function checkTable(rangeVar: Fields): void {
  // libpg-query leaves `inh` out for ONLY (no inheritance children).
  if (rangeVar.inh !== true) refuse(REFUSAL.only);
  if (rangeVar.catalogname) refuse(REFUSAL.databaseQualifiedTable);
  if (list((rangeVar.alias as Fields | undefined)?.colnames).length > 0) refuse(REFUSAL.tableColumnAliases);
}

function checkSelect(stmt: Fields, walk: Walk): void {
  if (stmt.op !== 'SETOP_NONE') refuse(REFUSAL.setOperation);
  if (list(stmt.valuesLists).length > 0) refuse(REFUSAL.valuesQuery);
  if (stmt.intoClause) refuse(REFUSAL.selectInto);
  if (list(stmt.windowClause).length > 0) refuse(REFUSAL.windowClause);
  if (stmt.groupDistinct) refuse(REFUSAL.groupByDistinct);
  if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') refuse(REFUSAL.withTies);
  const distinct = list(stmt.distinctClause);
  if (walk.dialect === 'mysql' && distinct.length > 0 && Object.keys(distinct[0] as Fields).length > 0)
    refuse(REFUSAL.postgresOnly('DISTINCT ON'));
  checkWith(stmt.withClause as Fields | undefined, walk);
  for (const target of list(stmt.targetList)) allowStar(unwrap(target)[1].val, walk);
  checkFromList(list(stmt.fromClause));
  for (const item of list(stmt.groupClause)) {
    if (unwrap(item)[0] === 'GroupingSet') refuse(REFUSAL.groupingSets);
    checkPosition(item);
  }
  for (const item of list(stmt.sortClause)) {
    const sort = unwrap(item)[1];
    if (sort.sortby_dir === 'SORTBY_USING') refuse(REFUSAL.orderByUsing);
    if (walk.dialect === 'mysql' && NULLS_ORDERS.has(sort.sortby_nulls as string)) refuse(REFUSAL.mysqlNullsOrder);
    checkPosition(sort.node);
  }
  checkCount(stmt.limitCount, 'LIMIT');
  checkCount(stmt.limitOffset, 'OFFSET');
}

/** A constant in GROUP BY or ORDER BY is a column position only when it is an integer. */
function checkPosition(node: unknown): void {
  const [kind, fields] = unwrap(node);
  if (kind === 'A_Const' && !('ival' in fields)) refuse(REFUSAL.positionConstant);
}

/** LIMIT and OFFSET take a number or a parameter in every builder. */
function checkCount(node: unknown, clause: string): void {
  if (node === undefined) return;
  const [kind, fields] = unwrap(node);
  if (kind === 'ParamRef' || (kind === 'A_Const' && ('ival' in fields || 'fval' in fields || 'boolval' in fields)))
    return;
  refuse(REFUSAL.count(clause));
}

/** A FROM list's items are tables, subqueries and joins. */
function checkFromList(items: unknown[]): void {
  for (const item of items) {
    const [kind] = unwrap(item);
    if (kind === 'RangeFunction') refuse(REFUSAL.functionInFrom);
    if (!FROM_KINDS.has(kind)) refuse(REFUSAL.fromItem(kind));
  }
}

/** A SELECT's WITH, where a builder writes it at all: plain, non-recursive SELECT queries. */
function checkWith(withClause: Fields | undefined, walk: Walk): void {
  if (!withClause) return;
  if (withClause.recursive) refuse(REFUSAL.recursiveWith);
  for (const node of list(withClause.ctes)) {
    const cte = unwrap(node)[1];
    if (unwrap(cte.ctequery)[0] !== 'SelectStmt') refuse(REFUSAL.dataModifyingWith);
    if (walk.dialect === 'mysql' && cte.ctematerialized !== 'CTEMaterializeDefault')
      refuse(REFUSAL.postgresOnly('[NOT] MATERIALIZED'));
  }
}

/** `*` and `t.*` are select-list items, not column references. */
function allowStar(node: unknown, walk: Walk): void {
  const [kind, fields] = unwrap(node);
  if (kind === 'ColumnRef' && unwrap(list(fields.fields).at(-1))[0] === 'A_Star') walk.allowed.add(node as object);
}

function checkInsert(stmt: Fields, walk: Walk): void {
  checkTable(stmt.relation as Fields);
  if (stmt.withClause) refuse(REFUSAL.withOnDataStatement('INSERT'));
  if (stmt.override !== 'OVERRIDING_NOT_SET') refuse(REFUSAL.overriding);
  if ((stmt.relation as Fields).alias) refuse(REFUSAL.insertAlias);
  if (!stmt.selectStmt) refuse(REFUSAL.defaultValues);
  const columns = list(stmt.cols);
  if (columns.length === 0) refuse(REFUSAL.insertColumns);
  if (columns.some((column) => list(unwrap(column)[1].indirection).length > 0)) refuse(REFUSAL.insertSubscript);
  const source = unwrap(stmt.selectStmt)[1];
  if (source.withClause) refuse(REFUSAL.withOnDataStatement('INSERT'));
  const rows = list(source.valuesLists);
  if (rows.length > 0) {
    // The INSERT's own VALUES: its rows are checked here, not as a VALUES query.
    walk.allowed.add(stmt.selectStmt);
    if (rows.length === 1 && list(unwrap(rows[0])[1].items).every((item) => unwrap(item)[0] === 'SetToDefault'))
      refuse(REFUSAL.valuesOnlyDefault);
  }
  if (stmt.onConflictClause) checkOnConflict(stmt.onConflictClause as Fields, walk);
  checkReturning(stmt, walk);
}

function checkOnConflict(clause: Fields, walk: Walk): void {
  if (walk.dialect === 'mysql') refuse(REFUSAL.postgresOnly('ON CONFLICT'));
  const infer = clause.infer as Fields | undefined;
  if (infer?.whereClause) refuse(REFUSAL.onConflictPartialIndex);
  for (const element of list(infer?.indexElems)) {
    const index = unwrap(element)[1];
    if (!index.name || index.collation || index.opclass) refuse(REFUSAL.onConflictExpressionIndex);
  }
  checkAssignments(list(clause.targetList));
}

function checkAssignments(targets: unknown[]): void {
  for (const target of targets) {
    const fields = unwrap(target)[1];
    if (list(fields.indirection).length > 0) refuse(REFUSAL.setSubscript);
    const kind = unwrap(fields.val)[0];
    if (kind === 'MultiAssignRef') refuse(REFUSAL.setRow);
    if (kind === 'SetToDefault') refuse(REFUSAL.setDefault);
  }
}

/** RETURNING takes `*`, not `t.*`. */
function checkReturning(stmt: Fields, walk: Walk): void {
  for (const target of list((stmt.returningClause as Fields | undefined)?.exprs)) {
    const value = unwrap(target)[1].val;
    const [kind, fields] = unwrap(value);
    if (kind !== 'ColumnRef' || unwrap(list(fields.fields).at(-1))[0] !== 'A_Star') continue;
    if (list(fields.fields).length > 1) refuse(REFUSAL.returningQualifiedStar);
    walk.allowed.add(value as object);
  }
}

function checkOperator(fields: Fields, walk: Walk): void {
  const names = list(fields.name).map(stringValue);
  if (names.length !== 1) refuse(REFUSAL.qualifiedOperator);
  const [name] = names;
  const mysql = walk.dialect === 'mysql';
  switch (fields.kind) {
    case 'AEXPR_OP':
      if (fields.lexpr === undefined && name !== '-') refuse(REFUSAL.prefixOperator(name));
      if (!OPERATORS.has(name)) refuse(REFUSAL.operator(name));
      return;
    case 'AEXPR_ILIKE':
      if (mysql) refuse(REFUSAL.mysqlIlike);
      return;
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      if (mysql) refuse(REFUSAL.postgresOnly('ANY/ALL (array)'));
      return;
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      if (mysql) refuse(REFUSAL.postgresOnly('BETWEEN SYMMETRIC'));
      return;
    case 'AEXPR_SIMILAR':
      return refuse(REFUSAL.operatorKind(String(fields.kind)));
    default:
      return;
  }
}
