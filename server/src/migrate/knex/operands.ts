/**
 * The operands Knex's builder methods take: a column (an identifier string), a value (JavaScript
 * that Knex binds as a parameter) or a subquery (a nested builder). Any other SQL expression —
 * arithmetic, functions, casts, CASE — exists in Knex only as `knex.raw`, so it is refused.
 */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
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
      // A comma expression would split the builder call's arguments; parentheses keep it whole.
      return { kind: 'value', code: host.includes(',') ? `(${host})` : host, parameter: true };
    }
    case 'SubLink': {
      if (fields.subLinkType !== 'EXPR_SUBLINK') refuse(REFUSAL.knexConditionOnly('EXISTS and IN (subquery)'));
      const select = unwrap(fields.subselect)[1];
      return { kind: 'subquery', code: ctx.subquery(select, { ...ctx, outputNamed: false }), select };
    }
    default:
      return refuse(expressionReason(kind, fields));
  }
}

/** A value operand, refusing columns and subqueries where Knex binds its argument. */
export function renderValue(node: unknown, ctx: KnexContext, where: string): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind !== 'value') refuse(REFUSAL.knexValueOnly(where));
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
  return { kind: 'value', code: String(Boolean((fields.boolval as Fields).boolval)) };
}

/**
 * A number constant written into the SQL text as the original has it (`knex.raw('41.50')`), so it
 * keeps its SQL type and scale: bound, PostgreSQL would give it the type of the column it meets
 * (41.5 against an integer column fails) and mysql2's `execute` would send a DOUBLE.
 */
function inlineNumber(text: string, ctx: KnexContext): string {
  // The parser's number text is digits, a point, an exponent and a sign only: nothing to escape.
  if (!/^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) refuse(REFUSAL.number(text));
  return `${ctx.instance}.raw(${quote(text)})`;
}

/** Why an expression that is not a column, value or subquery cannot be written with Knex's builder. */
export function expressionReason(kind: string, fields: Fields): string {
  switch (kind) {
    case 'A_Expr': {
      const name = list(fields.name).map(stringValue).join('.');
      if (fields.kind === 'AEXPR_OP_ANY' || fields.kind === 'AEXPR_OP_ALL')
        return REFUSAL.knexArray(`${name} ${fields.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'}`);
      if (fields.kind !== 'AEXPR_OP') return REFUSAL.knexConditionOnly('this operator expression');
      return REFUSAL.knexRaw(fields.lexpr === undefined ? `the prefix operator ${name}` : `the operator ${name}`);
    }
    case 'FuncCall': {
      // The SQL-standard forms (SUBSTRING(x FROM a), TRIM(…), EXTRACT(…)) read as pg_catalog functions.
      const name = list(fields.funcname)
        .map(stringValue)
        .join('.')
        .replace(/^pg_catalog\./, '');
      if (AGGREGATES.has(name)) return REFUSAL.knexAggregate(name);
      return REFUSAL.knexRaw(`the function ${name}(…)`);
    }
    case 'TypeCast':
      return REFUSAL.typeCast;
    case 'CaseExpr':
      return REFUSAL.knexRaw('CASE');
    case 'CoalesceExpr':
      return REFUSAL.knexRaw('COALESCE');
    case 'MinMaxExpr':
      return REFUSAL.knexRaw('GREATEST/LEAST');
    case 'SQLValueFunction':
      return REFUSAL.knexRaw('CURRENT_DATE, CURRENT_TIMESTAMP and similar');
    case 'BoolExpr':
    case 'NullTest':
    case 'BooleanTest':
      return REFUSAL.knexConditionOnly('a condition');
    case 'A_Indirection':
      return REFUSAL.knexRaw('subscripts and field selections');
    default:
      return REFUSAL.expressionKind(kind);
  }
}
