/**
 * The operands Knex's builder methods take: a column (an identifier string), a value (JavaScript
 * that Knex binds as a parameter) or a subquery (a nested builder). Any other SQL expression —
 * arithmetic, functions, casts, CASE — exists in Knex only as `knex.raw`, so it is refused.
 */
import { list, quote, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { columnName, type KnexContext } from './knexContext';

export type Operand =
  | { kind: 'column'; name: string }
  /** `integer`: the value of an integer constant; `isNull`: the NULL constant; `parameter`: a `$n`. */
  | { kind: 'value'; code: string; integer?: number; isNull?: boolean; parameter?: boolean }
  /** A scalar subquery: builder code, and its SELECT for naming its column. */
  | { kind: 'subquery'; code: string; select: Fields };

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg']);

export function renderOperand(node: unknown, ctx: KnexContext): Operand {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'ColumnRef':
      return { kind: 'column', name: columnName(fields) };
    case 'A_Const':
      return renderConstant(fields, ctx);
    case 'ParamRef': {
      const host = ctx.parameters[(fields.number as number) - 1];
      if (host === undefined) refuse(`parameter $${String(fields.number)} has no host expression`);
      // A comma expression would split the builder call's arguments; parentheses keep it whole.
      return { kind: 'value', code: host.includes(',') ? `(${host})` : host, parameter: true };
    }
    case 'SubLink': {
      if (fields.subLinkType !== 'EXPR_SUBLINK') refuse(subLinkReason(fields));
      const [selectKind, select] = unwrap(fields.subselect);
      if (selectKind !== 'SelectStmt') refuse('this kind of subquery is not converted');
      return { kind: 'subquery', code: ctx.subquery(select, { ...ctx, outputNamed: false }), select };
    }
    default:
      return refuse(expressionReason(kind, fields));
  }
}

/** A value operand, refusing columns and subqueries where Knex binds its argument. */
export function renderValue(node: unknown, ctx: KnexContext, where: string): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind !== 'value') refuse(`${where} other than a constant or a parameter is not converted`);
  return operand.code;
}

function renderConstant(fields: Fields, ctx: KnexContext): Operand {
  if (fields.isnull) return { kind: 'value', code: 'null', isNull: true };
  if ('ival' in fields) {
    const value = ((fields.ival as Fields).ival as number | undefined) ?? 0;
    // mysql2's `execute` would bind the number as a DOUBLE: it stays in the SQL text.
    const code = ctx.typedParameters ? inlineNumber(String(value), ctx) : String(value);
    return { kind: 'value', code, integer: value };
  }
  if ('fval' in fields) return { kind: 'value', code: inlineNumber((fields.fval as Fields).fval as string, ctx) };
  if ('sval' in fields)
    return { kind: 'value', code: quote(((fields.sval as Fields).sval as string | undefined) ?? '') };
  if ('boolval' in fields) return { kind: 'value', code: String(Boolean((fields.boolval as Fields).boolval)) };
  return refuse('bit-string constants are not converted');
}

/**
 * A number constant written into the SQL text as the original has it (`knex.raw('41.50')`), so it
 * keeps its SQL type and scale: bound, PostgreSQL would give it the type of the column it meets
 * (41.5 against an integer column fails) and mysql2's `execute` would send a DOUBLE.
 */
function inlineNumber(text: string, ctx: KnexContext): string {
  // The parser's number text is digits, a point, an exponent and a sign only: nothing to escape.
  if (!/^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) refuse(`the number ${text} is not converted`);
  return `${ctx.instance}.raw(${quote(text)})`;
}

function subLinkReason(fields: Fields): string {
  switch (fields.subLinkType) {
    case 'EXISTS_SUBLINK':
    case 'ANY_SUBLINK':
      return 'EXISTS and IN (subquery) are only converted as conditions';
    case 'ALL_SUBLINK':
      return 'ALL (subquery) has no Knex builder method';
    default:
      return `${String(fields.subLinkType).replace('_SUBLINK', '')} subqueries are not converted`;
  }
}

/** Why an expression that is not a column, value or subquery cannot be written with Knex's builder. */
export function expressionReason(kind: string, fields: Fields): string {
  const raw = 'has no Knex builder method (Knex would need knex.raw)';
  switch (kind) {
    case 'A_Expr': {
      const name = list(fields.name).map(stringValue).join('.');
      if (fields.kind === 'AEXPR_OP_ANY' || fields.kind === 'AEXPR_OP_ALL')
        return `${name} ${fields.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'} (array) ${raw}; whereIn binds a list, not one array`;
      if (fields.kind !== 'AEXPR_OP') return `this operator expression is only converted as a condition`;
      return fields.lexpr === undefined ? `the prefix operator ${name} ${raw}` : `the operator ${name} ${raw}`;
    }
    case 'FuncCall': {
      const name = list(fields.funcname).map(stringValue).join('.');
      if (fields.over) return `window functions (${name}(…) OVER) are not converted`;
      if (AGGREGATES.has(name))
        return `the aggregate ${name}(…) is only converted as a select-list item over a column; anywhere else it ${raw}`;
      return `the function ${name}(…) ${raw}`;
    }
    case 'TypeCast':
      return `type casts (::type, CAST, typed literals such as DATE '…') ${raw}`;
    case 'CaseExpr':
      return `CASE ${raw}`;
    case 'CoalesceExpr':
      return `COALESCE ${raw}`;
    case 'MinMaxExpr':
      return `GREATEST/LEAST ${raw}`;
    case 'SQLValueFunction':
      return `CURRENT_DATE, CURRENT_TIMESTAMP and similar ${raw}`;
    case 'BoolExpr':
    case 'NullTest':
    case 'BooleanTest':
      return 'a condition is only converted in WHERE, HAVING or ON';
    case 'A_ArrayExpr':
      return `ARRAY[...] ${raw}`;
    case 'RowExpr':
      return `row constructors ${raw}`;
    case 'CollateClause':
      return `COLLATE ${raw}`;
    case 'A_Indirection':
      return `subscripts and field selections ${raw}`;
    default:
      return `${kind} expressions are not converted`;
  }
}
