/** SELECT (libpg-query `SelectStmt`) → `select(...)` with its clauses, as SQLAlchemy Core. */
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { pythonString } from '../schemaModule/pythonNames';
import type { Context, Scope } from './context';
import { renderExpression } from './expressions';
import { conditionOf, sqlOf, valueOf, type ExpressionContext } from './operands';
import { fromItem, withBindings, type LambdaBinding } from './fromClause';

/**
 * Where the SELECT stands: the statement itself or a derived table (its column names matter), a
 * subquery in an expression (it correlates with the enclosing query), or the source of an INSERT.
 */
export type SelectRole = 'statement' | 'derived' | 'expression' | 'insert';

/** One select-list entry: its code and, where known, the name of the column it yields. */
interface Output {
  code: string;
  name?: string;
  /** An expression carrying `.label(name)`: ORDER BY refers to it by that name. */
  labeled: boolean;
  /** `*` or `t.*`: columns whose names the generator does not know. */
  star: boolean;
}

/** A select statement as Python, one call per line when `multiline`. */
export function renderSelect(
  stmt: Fields,
  ctx: Context,
  parent: Scope | undefined,
  role: SelectRole,
  multiline = false,
): string {
  if (stmt.withClause) refuse(REFUSAL.withClause);
  if (list(stmt.lockingClause).length > 0) refuse(REFUSAL.rowLocking);

  const bindings: LambdaBinding[] = [];
  const scope: Scope = { items: [], parent: role === 'expression' ? parent : undefined };
  const subselect = (inner: Fields, innerCtx: Context, innerParent: Scope | undefined) =>
    renderSelect(inner, innerCtx, innerParent, innerParent ? 'expression' : 'derived');
  const froms = list(stmt.fromClause).map((item) => fromItem(item, ctx, scope, bindings, subselect));
  const ec: ExpressionContext = { ctx, scope, subselect };
  const outputs = list(stmt.targetList).map((target) => selectItem(unwrap(target)[1], ec, role));

  const calls: string[] = [];
  if (froms.length > 0 && !fromIsImplied(froms, scope, outputs)) calls.push(`select_from(${froms.join(', ')})`);
  calls.push(...distinctCalls(stmt, ec));
  if (stmt.whereClause) calls.push(`where(${conditions(stmt.whereClause, ec).join(', ')})`);
  const groups = list(stmt.groupClause).map((item) => groupItem(item, outputs, ec));
  if (groups.length > 0) calls.push(`group_by(${groups.join(', ')})`);
  if (stmt.havingClause) {
    refuseOutputNames(stmt.havingClause, outputs, 'HAVING');
    calls.push(`having(${conditions(stmt.havingClause, ec).join(', ')})`);
  }
  const order = list(stmt.sortClause).map((item) => sortItem(unwrap(item)[1], outputs, ec));
  if (order.length > 0) calls.push(`order_by(${order.join(', ')})`);
  if (stmt.limitCount) calls.push(`limit(${countValue(stmt.limitCount, 'LIMIT', ec)})`);
  if (stmt.limitOffset) calls.push(`offset(${countValue(stmt.limitOffset, 'OFFSET', ec)})`);
  if ((role === 'statement' || role === 'derived') && needsOwnNames(outputs))
    calls.push(`set_label_style(${ctx.use('LABEL_STYLE_NONE')})`);
  if (role === 'expression') calls.push(...correlationCalls(scope));

  const head = `${ctx.use('select')}(${outputs.map((output) => output.code).join(', ')})`;
  const separator = multiline ? '\n    .' : '.';
  return withBindings([head, ...calls].join(separator), bindings);
}

/** A top-level AND as separate `where()` arguments, which SQLAlchemy joins with AND. */
export function conditions(node: unknown, ec: ExpressionContext): string[] {
  const [kind, fields] = unwrap(node);
  if (kind === 'BoolExpr' && fields.boolop === 'AND_EXPR')
    return list(fields.args).map((arg) => conditionOf(renderExpression(arg, ec), ec.ctx));
  return [conditionOf(renderExpression(node, ec), ec.ctx)];
}

/**
 * SQLAlchemy adds a FROM entry for every table the columns name; `select_from` is left out only
 * where that gives the very same FROM: one table, a column of which the select list names.
 */
function fromIsImplied(froms: string[], scope: Scope, outputs: Output[]): boolean {
  const only = scope.items.length === 1 ? scope.items[0].python : undefined;
  if (froms.length !== 1 || froms[0] !== only) return false;
  return outputs.some((output) => output.code === only || output.code.startsWith(`${only}.c`));
}

function distinctCalls(stmt: Fields, ec: ExpressionContext): string[] {
  const distinct = list(stmt.distinctClause);
  if (distinct.length === 0) return [];
  if (distinct.length === 1 && Object.keys(distinct[0] as Fields).length === 0) return ['distinct()'];
  return [`distinct(${distinct.map((node) => sqlOf(renderExpression(node, ec), ec.ctx)).join(', ')})`];
}

function selectItem(target: Fields, ec: ExpressionContext, role: SelectRole): Output {
  const { ctx, scope } = ec;
  const alias = target.name as string | undefined;
  const [kind, fields] = unwrap(target.val);
  if (kind === 'ColumnRef') {
    const parts = list(fields.fields);
    if (unwrap(parts[parts.length - 1])[0] === 'A_Star') {
      const qualifier = parts.slice(0, -1).map(stringValue);
      if (qualifier.length === 0) {
        if (!scope || scope.items.length === 0) refuse(REFUSAL.starWithoutFrom);
        return { code: scope.items.map((item) => item.python).join(', '), labeled: false, star: true };
      }
      const item = scope?.items.find((candidate) => candidate.qualifier === qualifier[qualifier.length - 1]);
      if (!item || qualifier.length > 2) refuse(REFUSAL.unknownQualifier(qualifier.join('.')));
      return { code: item.python, labeled: false, star: true };
    }
  }
  const operand = renderExpression(target.val, ec);
  if (kind === 'ColumnRef' && (alias === undefined || alias === operand.defaultName))
    return { code: operand.code, name: operand.defaultName, labeled: false, star: false };
  const namesMatter = role === 'statement' || role === 'derived';
  if (alias === undefined && namesMatter && ctx.dialect === 'mysql') {
    refuse(REFUSAL.mysqlUnaliasedColumn('SQLAlchemy'));
  }
  const label = alias ?? (namesMatter ? operand.defaultName : undefined);
  const code = label === undefined ? sqlOf(operand, ctx) : `${sqlOf(operand, ctx)}.label(${pythonString(label)})`;
  return { code, name: label, labeled: label !== undefined, star: false };
}

/** Two columns of one name, or `*` beside other columns: SQLAlchemy would rename the later ones. */
function needsOwnNames(outputs: Output[]): boolean {
  const names = outputs.filter((output) => output.name !== undefined).map((output) => output.name);
  return new Set(names).size < names.length || (outputs.some((output) => output.star) && outputs.length > 1);
}

/** A bare name in GROUP BY or HAVING that is only a select-list alias would read a table column in the code. */
function refuseOutputNames(node: unknown, outputs: Output[], clause: string): void {
  const labels = new Set(outputs.filter((output) => output.labeled).map((output) => output.name));
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const names = (value as { ColumnRef?: { fields?: unknown[] } }).ColumnRef?.fields;
    if (names?.length === 1 && unwrap(names[0])[0] === 'String' && labels.has(stringValue(names[0])))
      refuse(REFUSAL.outputAlias(clause, stringValue(names[0])));
    Object.values(value).forEach(visit);
  };
  visit(node);
}

function groupItem(node: unknown, outputs: Output[], ec: ExpressionContext): string {
  const [kind, fields] = unwrap(node);
  const position = columnPosition(kind, fields, outputs, ec);
  if (position) return position;
  refuseOutputNames(node, outputs, 'GROUP BY');
  return sqlOf(renderExpression(node, ec), ec.ctx);
}

/** An integer constant in GROUP BY/ORDER BY is a column position: written inline, never bound. */
function columnPosition(kind: string, fields: Fields, outputs: Output[], ec: ExpressionContext): string | undefined {
  if (kind !== 'A_Const') return undefined;
  const position = ((fields.ival as Fields).ival as number | undefined) ?? 0;
  if (position < 1 || position > outputs.length || outputs.some((output) => output.star))
    refuse(REFUSAL.columnPosition(position));
  return `${ec.ctx.use('literal_column')}('${position}')`;
}

function sortItem(sort: Fields, outputs: Output[], ec: ExpressionContext): string {
  const { ctx } = ec;
  const direction = { SORTBY_ASC: 'asc', SORTBY_DESC: 'desc' }[sort.sortby_dir as string];
  const nulls = { SORTBY_NULLS_FIRST: 'nulls_first', SORTBY_NULLS_LAST: 'nulls_last' }[sort.sortby_nulls as string];
  const [kind, fields] = unwrap(sort.node);
  const output = outputName(kind, fields, outputs);
  if (output?.labeled) {
    // A select-list alias: SQLAlchemy resolves the name to the labeled column.
    let code = pythonString(output.name ?? '');
    if (direction) code = `${ctx.use(direction)}(${code})`;
    return nulls ? `${ctx.use(nulls)}(${code})` : code;
  }
  let code = output?.code ?? columnPosition(kind, fields, outputs, ec) ?? sqlOf(renderExpression(sort.node, ec), ctx);
  if (direction) code += `.${direction}()`;
  return nulls ? `${code}.${nulls}()` : code;
}

/** ORDER BY a bare name means the output column of that name first (PostgreSQL and MySQL alike). */
function outputName(kind: string, fields: Fields, outputs: Output[]): Output | undefined {
  if (kind !== 'ColumnRef' || list(fields.fields).length !== 1) return undefined;
  const name = stringValue(list(fields.fields)[0]);
  const matches = outputs.filter((output) => output.name === name);
  if (matches.length > 1) refuse(REFUSAL.ambiguousOrderBy(name));
  return matches[0];
}

/** A LIMIT/OFFSET count: a constant or a host value. */
function countValue(node: unknown, clause: string, ec: ExpressionContext): string {
  const operand = renderExpression(node, ec);
  if (operand.kind !== 'value' || operand.text) refuse(REFUSAL.count(clause));
  return valueOf(operand, ec.ctx, true);
}

/**
 * SQLAlchemy correlates a subquery's tables with the enclosing query's; a module table the
 * subquery lists in its own FROM must stay there, as it does in SQL.
 */
function correlationCalls(scope: Scope): string[] {
  const outer = new Set<string>();
  for (let level = scope.parent; level; level = level.parent)
    for (const item of level.items) if (item.plainTable) outer.add(item.python);
  const own = scope.items.filter((item) => item.plainTable && outer.has(item.python)).map((item) => item.python);
  return own.length > 0 ? [`correlate_except(${own.join(', ')})`] : [];
}
