/** INSERT, UPDATE and DELETE (libpg-query AST) → SQLAlchemy Core `insert()`/`update()`/`delete()`. */
import { list, refuse, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { isPlainIdentifier, pythonString } from '../schemaModule/pythonNames';
import type { Context, FromItem, Scope } from './context';
import { renderExpression } from './expressions';
import { conditionOf, sqlOf, valueOf, type ExpressionContext, type SubselectRenderer } from './operands';
import { fromItem, tableReference, withBindings, type LambdaBinding } from './fromClause';
import { conditions, renderSelect } from './selectStatement';

const subselect: SubselectRenderer = (stmt, ctx, parent) =>
  renderSelect(stmt, ctx, parent, parent ? 'expression' : 'derived');

function chain(head: string, calls: string[], multiline: boolean): string {
  return [head, ...calls].join(multiline ? '\n    .' : '.');
}

/** `values(a=1, b=2)` where the names allow it, else `values({'a b': 1})`. */
function keywordsOrDict(entries: [string, string][]): string {
  if (entries.every(([column]) => isPlainIdentifier(column) && column !== 'self'))
    return entries.map(([column, value]) => `${column}=${value}`).join(', ');
  return dict(entries);
}

function dict(entries: [string, string][]): string {
  return `{${entries.map(([column, value]) => `${pythonString(column)}: ${value}`).join(', ')}}`;
}

/** A value for a column: a bound value or a SQL expression. */
function columnValue(node: unknown, ec: ExpressionContext): string {
  return valueOf(renderExpression(node, ec), ec.ctx);
}

function returningCalls(stmt: Fields, ec: ExpressionContext, target: FromItem): string[] {
  const targets = list((stmt.returningClause as Fields | undefined)?.exprs);
  if (targets.length === 0) return [];
  if (ec.ctx.dialect === 'mysql') refuse(REFUSAL.sqlalchemyMysqlReturning);
  const items = targets.map((node) => {
    const fields = unwrap(node)[1];
    const alias = fields.name as string | undefined;
    const [kind, value] = unwrap(fields.val);
    if (kind === 'ColumnRef' && unwrap(list(value.fields).at(-1))[0] === 'A_Star') {
      return target.python;
    }
    const operand = renderExpression(fields.val, ec);
    if (kind === 'ColumnRef' && (alias === undefined || alias === operand.defaultName)) return operand.code;
    return `${sqlOf(operand, ec.ctx)}.label(${pythonString(alias ?? operand.defaultName)})`;
  });
  return [`returning(${items.join(', ')})`];
}

/** The target of UPDATE/DELETE. An alias only renames it in SQL: the code uses the table itself. */
function targetItem(stmt: Fields, ctx: Context, statement: string): FromItem {
  const relation = stmt.relation as Fields;
  const python = tableReference(relation, ctx);
  const name = relation.relname as string;
  const alias = (relation.alias as Fields | undefined)?.aliasname as string | undefined;
  if (alias && JSON.stringify(stmt).includes('"SubLink"')) refuse(REFUSAL.targetAliasWithSubquery(statement));
  return {
    qualifier: alias ?? name,
    schema: alias ? undefined : (relation.schemaname as string | undefined),
    table: alias ? undefined : name,
    python,
    plainTable: true,
  };
}

/** INSERT … VALUES / INSERT … SELECT, with ON CONFLICT (PostgreSQL) and RETURNING. */
export function renderInsert(stmt: Fields, ctx: Context, multiline: boolean): string {
  const relation = stmt.relation as Fields;
  const table = tableReference(relation, ctx);
  const target: FromItem = { qualifier: relation.relname as string, python: table, plainTable: true };
  const columns = list(stmt.cols).map((col) => unwrap(col)[1].name as string);
  const source = unwrap(stmt.selectStmt)[1];
  const ec: ExpressionContext = { ctx, scope: { items: [] }, subselect };
  const calls: string[] = [];
  if (list(source.valuesLists).length === 0) {
    const query = renderSelect(source, ctx, undefined, 'insert');
    calls.push(`from_select([${columns.map(pythonString).join(', ')}], ${query})`);
  } else {
    calls.push(`values(${valuesArgument(list(source.valuesLists), columns, ec)})`);
  }
  // Without inline(), SQLAlchemy adds `RETURNING <primary key>` on PostgreSQL when the key is
  // generated (implicit returning): the migrated call would return a row the SQL does not.
  calls.push('inline()');
  const returning = returningCalls(stmt, { ...ec, scope: { items: [target] } }, target);
  if (!stmt.onConflictClause) return chain(`${ctx.use('insert')}(${table})`, [...calls, ...returning], multiline);
  const head = `${ctx.use('postgresql', 'sqlalchemy.dialects')}.insert(${table})`;
  const bindings: LambdaBinding[] = [];
  const conflict = onConflictCall(stmt.onConflictClause as Fields, ctx, target, bindings);
  const statement = chain(head, calls, false);
  if (bindings.length === 0) return chain(head, [...calls, conflict, ...returning], multiline);
  bindings[0].argument = statement;
  return chain(withBindings(`${bindings[0].parameter}.${conflict}`, bindings), returning, multiline);
}

function valuesArgument(rows: unknown[], columns: string[], ec: ExpressionContext): string {
  const rendered = rows.map((row) => {
    const items = list(unwrap(row)[1].items);
    if (items.length !== columns.length) refuse(REFUSAL.valuesRowLength);
    return items.map((item, index): [string, string | undefined] => {
      if (unwrap(item)[0] === 'SetToDefault') return [columns[index], undefined];
      return [columns[index], columnValue(item, ec)];
    });
  });
  if (rendered.length === 1) {
    // DEFAULT in a single row: the column is left out, and the database fills in its default.
    const entries = rendered[0].filter((entry): entry is [string, string] => entry[1] !== undefined);
    if (entries.length === 0) refuse(REFUSAL.valuesOnlyDefault);
    return keywordsOrDict(entries);
  }
  // Several rows share one column list, so DEFAULT stays the SQL keyword.
  const fallback = `${ec.ctx.use('literal_column')}('DEFAULT')`;
  return `[${rendered.map((row) => dict(row.map(([column, value]) => [column, value ?? fallback]))).join(', ')}]`;
}

/** `on_conflict_do_nothing(...)` / `on_conflict_do_update(...)`; `excluded` needs the statement bound to a name. */
function onConflictCall(clause: Fields, ctx: Context, target: FromItem, bindings: LambdaBinding[]): string {
  const options: string[] = [];
  const infer = clause.infer as Fields | undefined;
  if (infer) {
    if (infer.conname) options.push(`constraint=${pythonString(infer.conname as string)}`);
    else {
      const columns = list(infer.indexElems).map((elem) => pythonString(unwrap(elem)[1].name as string));
      options.push(`index_elements=[${columns.join(', ')}]`);
    }
  }
  if (clause.action === 'ONCONFLICT_NOTHING') return `on_conflict_do_nothing(${options.join(', ')})`;
  if (!infer) refuse(REFUSAL.onConflictWithoutTarget);
  const parameter = ctx.name('statement');
  bindings.push({ parameter, argument: '' });
  const scope: Scope = {
    items: [
      target,
      { qualifier: 'excluded', python: `${parameter}.excluded`, columns: `${parameter}.excluded`, plainTable: false },
    ],
  };
  const ec: ExpressionContext = { ctx, scope, subselect };
  options.push(
    `set_=${dict(assignments(list(clause.targetList)).map(([column, node]) => [column, columnValue(node, ec)]))}`,
  );
  if (clause.whereClause) options.push(`where=${conditionOf(renderExpression(clause.whereClause, ec), ctx)}`);
  return `on_conflict_do_update(${options.join(', ')})`;
}

/** `SET column = expression` pairs. */
function assignments(targets: unknown[]): [string, unknown][] {
  return targets.map((target) => {
    const fields = unwrap(target)[1];
    return [fields.name as string, fields.val];
  });
}

export function renderUpdate(stmt: Fields, ctx: Context, multiline: boolean): string {
  const target = targetItem(stmt, ctx, 'UPDATE');
  const { ec, others, bindings } = withOtherTables(stmt.fromClause, 'UPDATE … FROM', target, ctx);
  const entries = assignments(list(stmt.targetList)).map(([column, node]): [string, string] => [
    column,
    columnValue(node, ec),
  ]);
  // MySQL assigns left to right (a later SET sees an earlier one); ordered_values keeps that order.
  const set =
    ctx.dialect === 'mysql' && entries.length > 1
      ? `ordered_values(${entries.map(([column, value]) => `(${pythonString(column)}, ${value})`).join(', ')})`
      : `values(${keywordsOrDict(entries)})`;
  const calls = [set];
  if (stmt.whereClause) calls.push(`where(${conditions(stmt.whereClause, ec).join(', ')})`);
  calls.push(...returningCalls(stmt, ec, target));
  refuseUnreferenced(others, calls, 'UPDATE … FROM');
  return withBindings(chain(`${ctx.use('update')}(${target.python})`, calls, multiline), bindings);
}

export function renderDelete(stmt: Fields, ctx: Context, multiline: boolean): string {
  const target = targetItem(stmt, ctx, 'DELETE');
  const { ec, others, bindings } = withOtherTables(stmt.usingClause, 'DELETE … USING', target, ctx);
  const calls: string[] = [];
  if (stmt.whereClause) calls.push(`where(${conditions(stmt.whereClause, ec).join(', ')})`);
  calls.push(...returningCalls(stmt, ec, target));
  refuseUnreferenced(others, calls, 'DELETE … USING');
  return withBindings(chain(`${ctx.use('delete')}(${target.python})`, calls, multiline), bindings);
}

/**
 * The tables of PostgreSQL's UPDATE … FROM / DELETE … USING, in scope beside the target.
 * SQLAlchemy writes them (FROM / USING) for the tables the SET and WHERE name.
 */
function withOtherTables(
  clause: unknown,
  construct: string,
  target: FromItem,
  ctx: Context,
): { ec: ExpressionContext; others: FromItem[]; bindings: LambdaBinding[] } {
  const items = list(clause);
  const scope: Scope = { items: [target] };
  const bindings: LambdaBinding[] = [];
  for (const item of items) {
    if (unwrap(item)[0] !== 'RangeVar') refuse(REFUSAL.onlyPlainTables(construct));
    fromItem(item, ctx, scope, bindings, subselect);
  }
  const others = scope.items.slice(1);
  if (others.some((item) => item.python === target.python)) refuse(REFUSAL.targetTableAgain(construct));
  return { ec: { ctx, scope, subselect }, others, bindings };
}

/** A table SET and WHERE never name would be left out by SQLAlchemy: its rows (or none) still matter in SQL. */
function refuseUnreferenced(others: FromItem[], calls: string[], construct: string): void {
  const code = calls.join('\n');
  for (const item of others) {
    const columns = new RegExp(`(^|[^\\w.])${item.python.replace(/\./g, '\\.')}\\.c\\b`);
    if (!columns.test(code)) refuse(REFUSAL.unusedTable(construct, item.qualifier));
  }
}
