/** INSERT, UPDATE and DELETE (libpg-query AST) → Knex `insert`/`update`/`del` chains. */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { conditionCalls } from './conditions';
import { knexName, propertyKey, tableName, type KnexContext } from './knexContext';
import { expressionReason, renderOperand, renderValue } from './operands';

function objectLiteral(entries: [string, string][]): string {
  return `{ ${entries.map(([column, code]) => `${propertyKey(column)}: ${code}`).join(', ')} }`;
}

/** `returning(…)` for PostgreSQL; Knex ignores RETURNING for MySQL and MariaDB, so it is refused there. */
function returningCalls(stmt: Fields, ctx: KnexContext): string[] {
  const targets = list((stmt.returningClause as Fields | undefined)?.exprs);
  if (targets.length === 0) return [];
  if (ctx.dialect === 'mysql') refuse(REFUSAL.knexMysqlReturning);
  const columns = targets.map((target) => {
    const fields = unwrap(target)[1];
    const [kind, value] = unwrap(fields.val);
    if (kind === 'ColumnRef' && list(value.fields).length === 1 && unwrap(list(value.fields)[0])[0] === 'A_Star') {
      return quote('*');
    }
    const operand = kind === 'ColumnRef' ? renderOperand(fields.val, ctx) : undefined;
    if (operand?.kind !== 'column') refuse(REFUSAL.inClause('RETURNING', expressionReason(kind, value)));
    const alias = fields.name as string | undefined;
    return quote(alias ? `${operand.name} as ${knexName(alias)}` : operand.name);
  });
  return [`returning(${columns.length === 1 ? columns[0] : `[${columns.join(', ')}]`})`];
}

/** The builder parts for an INSERT … VALUES statement. */
export function insertParts(stmt: Fields, ctx: KnexContext): string[] {
  const relation = stmt.relation as Fields;
  const columns = list(stmt.cols).map((node) => knexName(unwrap(node)[1].name as string));
  const source = unwrap(stmt.selectStmt)[1];
  const rowNodes = list(source.valuesLists);
  if (rowNodes.length === 0) refuse(REFUSAL.knexInsertSelect);
  const rows = rowNodes.map((row) => {
    // DEFAULT is a key left out: Knex writes DEFAULT where another row has a value for it.
    const entries = list(unwrap(row)[1].items)
      .map((item, index) => [columns[index], item] as const)
      .filter(([, item]) => unwrap(item)[0] !== 'SetToDefault')
      .map(([column, item]): [string, string] => [column, renderValue(item, ctx, 'an INSERT value')]);
    if (entries.length === 0) refuse(REFUSAL.valuesOnlyDefault);
    return objectLiteral(entries);
  });
  const parts = [`${ctx.instance}(${quote(tableName(relation))})`];
  parts.push(`insert(${rows.length === 1 ? rows[0] : `[${rows.join(', ')}]`})`);
  if (stmt.onConflictClause) parts.push(...onConflictCalls(stmt.onConflictClause as Fields, ctx));
  parts.push(...returningCalls(stmt, ctx));
  return parts;
}

function onConflictCalls(clause: Fields, ctx: KnexContext): string[] {
  const infer = clause.infer as Fields | undefined;
  if (infer?.conname) refuse(REFUSAL.knexRaw('ON CONFLICT ON CONSTRAINT'));
  const targets = list(infer?.indexElems).map((elem) => quote(knexName(unwrap(elem)[1].name as string)));
  const onConflict = `onConflict(${targets.length === 0 ? '' : targets.length === 1 ? targets[0] : `[${targets.join(', ')}]`})`;
  if (clause.action === 'ONCONFLICT_NOTHING') return [onConflict, 'ignore()'];
  if (clause.whereClause) refuse(REFUSAL.onConflictWhere);
  const set = assignments(list(clause.targetList));
  // `merge(['a', 'b'])` is Knex's `set a = excluded.a, b = excluded.b`.
  const fromExcluded = set.every(([column, value]) => {
    const [kind, fields] = unwrap(value);
    const parts = kind === 'ColumnRef' ? list(fields.fields) : [];
    return parts.length === 2 && stringValue(parts[0]) === 'excluded' && stringValue(parts[1]) === column;
  });
  if (fromExcluded) return [onConflict, `merge([${set.map(([column]) => quote(column)).join(', ')}])`];
  return [onConflict, `merge(${objectLiteral(set.map(([column, value]) => [column, assignedValue(value, ctx)]))})`];
}

/** `SET column = expression` pairs, refusing a column assigned twice (an object literal keeps one). */
function assignments(targets: unknown[]): [string, unknown][] {
  const seen = new Set<string>();
  return targets.map((target) => {
    const fields = unwrap(target)[1];
    const column = knexName(fields.name as string);
    if (seen.has(column)) refuse(REFUSAL.assignedTwice(column));
    seen.add(column);
    return [column, fields.val];
  });
}

/** A value for `update({…})`/`merge({…})`: bound, or another column through `knex.ref`. */
function assignedValue(node: unknown, ctx: KnexContext): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind === 'column') return `${ctx.instance}.ref(${quote(operand.name)})`;
  if (operand.kind === 'subquery') refuse(REFUSAL.knexRaw('a subquery as a SET value'));
  return operand.code;
}

/** `column = column ± integer`: Knex's `increment`/`decrement` (which binds the amount). */
function counterCall(column: string, node: unknown, ctx: KnexContext): string | undefined {
  if (ctx.typedParameters) return undefined;
  const [kind, fields] = unwrap(node);
  const operator = kind === 'A_Expr' && fields.kind === 'AEXPR_OP' ? list(fields.name).map(stringValue).join('.') : '';
  // A prefix minus (`= -stock`) is no counter.
  if ((operator !== '+' && operator !== '-') || fields.lexpr === undefined) return undefined;
  const isSelf = (side: unknown) => {
    const [sideKind, side_] = unwrap(side);
    const parts = sideKind === 'ColumnRef' ? list(side_.fields) : [];
    return parts.length === 1 && unwrap(parts[0])[0] === 'String' && stringValue(parts[0]) === column;
  };
  const integer = (side: unknown) => {
    const [sideKind, side_] = unwrap(side);
    return sideKind === 'A_Const' && 'ival' in side_
      ? (((side_.ival as Fields).ival as number | undefined) ?? 0)
      : undefined;
  };
  const amount = isSelf(fields.lexpr)
    ? integer(fields.rexpr)
    : operator === '+' && isSelf(fields.rexpr)
      ? integer(fields.lexpr)
      : undefined;
  if (amount === undefined) return undefined;
  return `${operator === '+' ? 'increment' : 'decrement'}(${quote(column)}, ${amount})`;
}

/** The builder parts for an UPDATE statement. */
export function updateParts(stmt: Fields, ctx: KnexContext): string[] {
  // PostgreSQL's UPDATE … FROM (commonRefusals.ts refuses it for MySQL): Knex's updateFrom takes one table.
  const from = otherTables(list(stmt.fromClause), 'UPDATE … FROM');
  if (from.length > 1) refuse(REFUSAL.knexRaw('UPDATE … FROM several tables'));
  const set = assignments(list(stmt.targetList));
  if (ctx.dialect === 'mysql') refuseOrderDependentSet(set);
  const data: [string, string][] = [];
  const counters: string[] = [];
  for (const [column, value] of set) {
    const counter = counterCall(column, value, ctx);
    if (counter) counters.push(counter);
    else data.push([column, assignedValue(value, ctx)]);
  }
  const parts = [`${ctx.instance}(${quote(tableName(stmt.relation as Fields))})`];
  if (stmt.whereClause) parts.push(...conditionCalls('where', stmt.whereClause, ctx));
  if (data.length > 0) parts.push(`update(${objectLiteral(data)})`);
  if (from.length === 1) parts.push(`updateFrom(${from[0]})`);
  parts.push(...counters, ...returningCalls(stmt, ctx));
  return parts;
}

/**
 * MySQL applies SET assignments left to right (a later one sees an earlier one's new value), and
 * Knex writes increments after the other assignments: refuse when one assignment reads another's column.
 */
function refuseOrderDependentSet(set: [string, unknown][]): void {
  const assigned = new Set(set.map(([column]) => column));
  for (const [column, value] of set) {
    const [kind, fields] = unwrap(value);
    const name = kind === 'ColumnRef' ? stringValue(list(fields.fields).at(-1)) : undefined;
    if (name !== undefined && name !== column && assigned.has(name)) refuse(REFUSAL.mysqlOrderedSet);
  }
}

/** The builder parts for a DELETE statement. */
export function deleteParts(stmt: Fields, ctx: KnexContext): string[] {
  const parts = [`${ctx.instance}(${quote(tableName(stmt.relation as Fields))})`];
  // PostgreSQL's DELETE … USING (commonRefusals.ts refuses it for MySQL).
  const using = otherTables(list(stmt.usingClause), 'DELETE … USING');
  if (using.length > 0) parts.push(`using([${using.join(', ')}])`);
  if (stmt.whereClause) parts.push(...conditionCalls('where', stmt.whereClause, ctx));
  return [...parts, 'del()', ...returningCalls(stmt, ctx)];
}

/** The plain tables of UPDATE … FROM or DELETE … USING as Knex table strings (`'customers as c'`). */
function otherTables(items: unknown[], construct: string): string[] {
  return items.map((item) => {
    const [kind, fields] = unwrap(item);
    if (kind !== 'RangeVar') refuse(REFUSAL.onlyPlainTables(construct));
    return quote(tableName(fields));
  });
}
