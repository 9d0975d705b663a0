/**
 * A select list → Knex calls: columns, `*`, integer constants and aliased subqueries go into
 * `select(…)`/`distinct(…)`; aggregates over a column become `count(…)`, `sum(…)`, … Knex keeps the
 * calls' order in the SELECT list.
 */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { knexName, propertyKey, type KnexContext } from './knexContext';
import { renderOperand } from './operands';

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg']);
const DISTINCT_AGGREGATES: Record<string, string> = { count: 'countDistinct', sum: 'sumDistinct', avg: 'avgDistinct' };

/** The calls for a SELECT list; `distinct` makes the first one `distinct(…)`. */
export function selectListCalls(targets: unknown[], distinct: boolean, ctx: KnexContext): string[] {
  const calls: string[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    // Knex's types refuse an aliased constant (`{ v0: 8 }`) in distinct(…); distinct().select(…) is the same SQL.
    if (distinct && calls.length === 0 && pending.some((item) => item.startsWith('{'))) calls.push('distinct()');
    calls.push(`${distinct && calls.length === 0 ? 'distinct' : 'select'}(${pending.join(', ')})`);
    pending = [];
  };
  for (const target of targets) {
    const fields = unwrap(target)[1];
    const alias = fields.name === undefined ? undefined : knexName(fields.name as string);
    const [kind, value] = unwrap(fields.val);
    if (kind === 'FuncCall' && isAggregate(value)) {
      flush();
      if (distinct && calls.length === 0) calls.push('distinct()');
      calls.push(aggregateCall(value, alias, ctx));
      continue;
    }
    pending.push(selectItem(fields.val, alias, ctx));
  }
  flush();
  return calls;
}

function isAggregate(func: Fields): boolean {
  const names = list(func.funcname).map(stringValue);
  return names.length === 1 && AGGREGATES.has(names[0]) && !func.over;
}

/** MySQL names an unaliased expression column after the expression's text, which Knex writes differently. */
function requireMysqlAlias(alias: string | undefined, ctx: KnexContext): void {
  if (alias === undefined && ctx.dialect === 'mysql' && ctx.outputNamed) refuse(REFUSAL.mysqlUnaliasedColumn('Knex'));
}

function selectItem(node: unknown, alias: string | undefined, ctx: KnexContext): string {
  const [kind, fields] = unwrap(node);
  if (kind === 'ColumnRef') {
    const parts = list(fields.fields);
    if (unwrap(parts[parts.length - 1])[0] === 'A_Star') {
      const table = parts.slice(0, -1).map((part) => knexName(stringValue(part)));
      return quote([...table, '*'].join('.'));
    }
  }
  const operand = renderOperand(node, ctx);
  switch (operand.kind) {
    case 'column':
      return quote(alias ? `${operand.name} as ${alias}` : operand.name);
    case 'subquery':
      requireMysqlAlias(alias, ctx);
      return `${operand.code}.as(${quote(alias ?? subqueryColumnName(operand.select))})`;
    case 'value':
      // Knex writes a number in a select list as it is; a string would be read as a column name.
      if (operand.integer === undefined) refuse(REFUSAL.knexRaw('a constant other than an integer in the select list'));
      requireMysqlAlias(alias, ctx);
      return alias ? `{ ${propertyKey(alias)}: ${operand.integer} }` : String(operand.integer);
  }
}

/** PostgreSQL names an unaliased scalar subquery's column after the subquery's own single column. */
function subqueryColumnName(select: Fields): string {
  const target = unwrap(list(select.targetList)[0])[1];
  if (target.name) return target.name as string;
  const [kind, value] = unwrap(target.val);
  if (kind === 'ColumnRef') {
    const last = list(value.fields).at(-1);
    if (unwrap(last)[0] === 'String') return knexName(stringValue(last));
  }
  if (kind === 'FuncCall') return knexName(list(value.funcname).map(stringValue).join('.'));
  return refuse(REFUSAL.knexUnaliasedSubquery);
}

function aggregateCall(func: Fields, alias: string | undefined, ctx: KnexContext): string {
  const name = stringValue(list(func.funcname)[0]);
  if (func.funcformat !== 'COERCE_EXPLICIT_CALL') refuse(REFUSAL.sqlStandardForm(name));
  requireMysqlAlias(alias, ctx);
  let column: string;
  if (func.agg_star) column = '*';
  else {
    const args = list(func.args);
    if (args.length !== 1) refuse(REFUSAL.argumentCount(name, args.length));
    const operand = unwrap(args[0])[0] === 'ColumnRef' ? renderOperand(args[0], ctx) : undefined;
    if (operand?.kind !== 'column') refuse(REFUSAL.knexAggregate(name));
    column = operand.name;
  }
  let method = name;
  if (func.agg_distinct) method = DISTINCT_AGGREGATES[name] ?? refuse(REFUSAL.knexRaw(`${name}(DISTINCT …)`));
  return `${method}(${quote(alias ? `${column} as ${alias}` : column)})`;
}
