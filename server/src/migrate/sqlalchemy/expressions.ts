/**
 * SQL expressions (libpg-query AST) → SQLAlchemy Core expressions in Python: columns through the
 * schema module, constants and host expressions as bound values, operators as Python operators or
 * SQLAlchemy's methods (`.like()`, `.in_()`, `.is_(None)`), functions through `func`.
 */
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { pythonString } from '../schemaModule/pythonNames';
import { renderCast } from './casts';
import { refuseMysqlCapitals, resolveColumn, type Context } from './context';
import { functionArguments, renderFunction, renderValueFunction } from './functions';
import {
  argumentOf,
  conditionOf,
  sqlOf,
  sqlOperand as sql,
  valueOf,
  type ExpressionContext,
  type Operand,
} from './operands';

/** Renders one expression node. */
export function renderExpression(node: unknown, ec: ExpressionContext): Operand {
  const [kind, fields] = unwrap(node);
  const { ctx } = ec;
  switch (kind) {
    case 'ColumnRef': {
      const parts = list(fields.fields).map(stringValue);
      refuseMysqlCapitals(parts[parts.length - 1], ctx);
      return sql(resolveColumn(parts, ec.scope), parts[parts.length - 1]);
    }
    case 'A_Const':
      return renderConstant(fields, ctx);
    case 'ParamRef': {
      const host = ctx.options.parameters[(fields.number as number) - 1];
      // Anything but a name, attribute or subscript is parenthesized so it stays one operand.
      const code = /^[A-Za-z_][\w.]*(\[[^\][]*\])*$/.test(host.trim()) ? host.trim() : `(${host})`;
      return { kind: 'value', code, host: true, defaultName: '?column?' };
    }
    case 'A_Expr':
      return renderOperator(fields, ec);
    case 'BoolExpr':
      return renderBoolean(fields, ec);
    case 'NullTest': {
      const method = fields.nulltesttype === 'IS_NULL' ? 'is_' : 'is_not';
      return sql(`${sqlOf(renderExpression(fields.arg, ec), ctx)}.${method}(None)`);
    }
    case 'BooleanTest':
      return renderBooleanTest(fields, ec);
    case 'FuncCall':
      return renderFunction(fields, ctx, (arg) => renderExpression(arg, ec));
    case 'CoalesceExpr':
      return sql(
        `${ctx.use('func')}.coalesce(${functionArguments(list(fields.args), ctx, (arg) => renderExpression(arg, ec))})`,
        'coalesce',
      );
    case 'MinMaxExpr': {
      const name = fields.op === 'IS_GREATEST' ? 'greatest' : 'least';
      return sql(
        `${ctx.use('func')}.${name}(${functionArguments(list(fields.args), ctx, (arg) => renderExpression(arg, ec))})`,
        name,
      );
    }
    case 'SQLValueFunction':
      return renderValueFunction(fields, ctx);
    case 'SubLink':
      return renderSubquery(fields, ec);
    case 'CaseExpr':
      return renderCase(fields, ec);
    case 'TypeCast':
      return renderCast(fields, ctx, (arg) => renderExpression(arg, ec));
    default:
      return refuse(REFUSAL.expressionKind(kind));
  }
}

function renderConstant(fields: Fields, ctx: Context): Operand {
  const defaultName = '?column?';
  if (fields.isnull) return { kind: 'null', code: 'None', defaultName };
  if ('ival' in fields) {
    const value = ((fields.ival as Fields).ival as number | undefined) ?? 0;
    return { kind: 'value', code: String(value), defaultName };
  }
  if ('fval' in fields) {
    const text = (fields.fval as Fields).fval as string;
    // A whole number beyond int4 is an int8 (or numeric) literal; Python ints hold it exactly.
    if (/^-?\d+$/.test(text)) return { kind: 'value', code: text, defaultName };
    // MySQL reads a literal with an exponent as a DOUBLE; a Python float is sent as one (`1000.0e0`).
    if (ctx.dialect === 'mysql' && /e/i.test(text)) return { kind: 'value', code: text, defaultName };
    return { kind: 'value', code: `${ctx.use('Decimal', 'decimal')}(${pythonString(text)})`, defaultName };
  }
  if ('sval' in fields) {
    const text = ((fields.sval as Fields).sval as string | undefined) ?? '';
    return { kind: 'value', code: pythonString(text), text: true, defaultName };
  }
  const code = (fields.boolval as Fields).boolval ? 'True' : 'False';
  return { kind: 'value', code, defaultName: 'bool' };
}

const COMPARISONS: Record<string, string> = {
  '=': '==',
  '<>': '!=',
  '!=': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};
/** SQLAlchemy's precedence of `+`, `*` and `/` (sqlalchemy.sql.operators._PRECEDENCE), for op(). */
const OPERATOR_PRECEDENCE: Record<string, number> = { '+': 7, '*': 8, '/': 8 };
const LIKE_METHODS: Record<string, string> = { '~~': 'like', '!~~': 'not_like', '~~*': 'ilike', '!~~*': 'not_ilike' };

function renderOperator(fields: Fields, ec: ExpressionContext): Operand {
  const { ctx } = ec;
  const name = stringValue(list(fields.name)[0]);
  if (fields.lexpr === undefined) {
    return sql(`-${sqlOf(renderExpression(fields.rexpr, ec), ctx)}`, '?column?', true);
  }
  const left = renderExpression(fields.lexpr, ec);
  switch (fields.kind) {
    case 'AEXPR_OP':
      return renderBinary(name, left, renderExpression(fields.rexpr, ec), ctx);
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE': {
      const method = LIKE_METHODS[name];
      const [rightKind, right] = unwrap(fields.rexpr);
      if (rightKind === 'FuncCall' && list(right.funcname).map(stringValue).join('.').endsWith('like_escape')) {
        const [pattern, escape] = list(right.args);
        const escapeOption = likeEscape(escape);
        return sql(
          `${sqlOf(left, ctx)}.${method}(${valueOf(renderExpression(pattern, ec), ctx, true)}${escapeOption})`,
        );
      }
      return sql(`${sqlOf(left, ctx)}.${method}(${valueOf(renderExpression(fields.rexpr, ec), ctx, true)})`);
    }
    case 'AEXPR_IN': {
      const items = list(unwrap(fields.rexpr)[1].items).map((item) => valueOf(renderExpression(item, ec), ctx));
      return sql(`${sqlOf(left, ctx)}.${name === '=' ? 'in_' : 'not_in'}([${items.join(', ')}])`);
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const kind = fields.kind as string;
      const symmetric = kind.endsWith('_SYM');
      const [low, high] = list(unwrap(fields.rexpr)[1].items).map((item) => valueOf(renderExpression(item, ec), ctx));
      const between = `${sqlOf(left, ctx)}.between(${low}, ${high}${symmetric ? ', symmetric=True' : ''})`;
      // not_() of a BETWEEN is rendered NOT BETWEEN.
      return sql(kind.includes('NOT') ? `${ctx.use('not_')}(${between})` : between);
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      // MySQL's <=> reaches here as IS NOT DISTINCT FROM, which SQLAlchemy writes <=> for MySQL.
      const method = fields.kind === 'AEXPR_DISTINCT' ? 'is_distinct_from' : 'is_not_distinct_from';
      return sql(`${sqlOf(left, ctx)}.${method}(${valueOf(renderExpression(fields.rexpr, ec), ctx)})`);
    }
    case 'AEXPR_NULLIF':
      return sql(
        `${ctx.use('func')}.nullif(${functionArguments([fields.lexpr, fields.rexpr], ctx, (arg) => renderExpression(arg, ec))})`,
        'nullif',
      );
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL': {
      const operator = COMPARISONS[name] ?? refuse(REFUSAL.operator(`${name} ANY/ALL (array)`));
      const wrapper = ctx.use(fields.kind === 'AEXPR_OP_ANY' ? 'any_' : 'all_');
      const right = sqlOf(renderExpression(fields.rexpr, ec), ctx);
      return sql(`${sqlOf(left, ctx)} ${operator} ${wrapper}(${right})`, '?column?', true);
    }
    default:
      return refuse(REFUSAL.operatorKind(String(fields.kind)));
  }
}

function renderBinary(name: string, left: Operand, right: Operand, ctx: Context): Operand {
  const comparison = COMPARISONS[name];
  if (comparison) {
    if (left.kind === 'null' || right.kind === 'null') refuse(REFUSAL.comparedWithNull(name));
    return sql(`${sqlOf(left, ctx)} ${comparison} ${valueOf(right, ctx, true)}`, '?column?', true);
  }
  switch (name) {
    case '-':
    case '%':
      return sql(`${sqlOf(left, ctx)} ${name} ${valueOf(right, ctx)}`, '?column?', true);
    // SQLAlchemy reads `+` on strings as concatenation and `/` on integers (2.0) as true division,
    // and takes `*` as associative: `a * (b * c)` is written `a * b * c`, which rounds differently
    // (DOUBLE times DECIMAL on MySQL). op() writes the operator as the SQL has it and groups an
    // operand of equal precedence; without SQLAlchemy's precedence for the operator, op() would
    // bind loosest and `a / (b - 1)` be written `a / b - 1`.
    case '+':
    case '*':
    case '/':
      return sql(`${sqlOf(left, ctx)}.op('${name}', precedence=${OPERATOR_PRECEDENCE[name]})(${valueOf(right, ctx)})`);
    case '||':
      return sql(`${sqlOf(left, ctx)}.concat(${valueOf(right, ctx)})`);
    default:
      return refuse(REFUSAL.operator(name));
  }
}

/**
 * `ESCAPE 'c'` as `escape='c'`. A backslash is both databases' default escape, so it is left out:
 * SQLAlchemy would write it `'\\'`, two characters where standard strings are on.
 */
function likeEscape(node: unknown): string {
  const [kind, constant] = unwrap(node);
  const text = kind === 'A_Const' ? ((constant.sval as Fields | undefined)?.sval as string | undefined) : undefined;
  if (text === undefined || text.length !== 1 || text === "'") refuse(REFUSAL.likeEscapeCharacter);
  return text === '\\' ? '' : `, escape=${pythonString(text)}`;
}

function renderBoolean(fields: Fields, ec: ExpressionContext): Operand {
  const args = list(fields.args).map((arg) => conditionOf(renderExpression(arg, ec), ec.ctx));
  if (fields.boolop === 'NOT_EXPR') return sql(`${ec.ctx.use('not_')}(${args[0]})`);
  const method = fields.boolop === 'AND_EXPR' ? 'and_' : 'or_';
  return sql(`${ec.ctx.use(method)}(${args.join(', ')})`);
}

function renderBooleanTest(fields: Fields, ec: ExpressionContext): Operand {
  const tests: Record<string, string> = {
    IS_TRUE: 'is_(True)',
    IS_NOT_TRUE: 'is_not(True)',
    IS_FALSE: 'is_(False)',
    IS_NOT_FALSE: 'is_not(False)',
  };
  const test = tests[fields.booltesttype as string] ?? refuse(REFUSAL.isUnknown);
  return sql(`${sqlOf(renderExpression(fields.arg, ec), ec.ctx)}.${test}`);
}

/** `[NOT] IN (SELECT …)`, `EXISTS (SELECT …)` and scalar subqueries. */
function renderSubquery(fields: Fields, ec: ExpressionContext): Operand {
  const select = unwrap(fields.subselect)[1];
  // A call chain or a called lambda: either takes a method call as it is.
  const query = ec.subselect(select, ec.ctx, ec.scope);
  switch (fields.subLinkType) {
    case 'EXISTS_SUBLINK':
      return sql(`${query}.exists()`, 'exists');
    case 'ANY_SUBLINK':
      return sql(`${sqlOf(renderExpression(fields.testexpr, ec), ec.ctx)}.in_(${query})`);
    default: {
      // EXPR_SUBLINK. PostgreSQL names a scalar subquery's column after the subquery's own single column.
      const target = unwrap(list(select.targetList)[0])[1];
      const name = (target.name as string | undefined) ?? subqueryColumnName(target.val);
      return sql(`${query}.scalar_subquery()`, name);
    }
  }
}

/** PostgreSQL's default name for an expression, read from the AST alone (for scalar subqueries). */
function subqueryColumnName(node: unknown): string {
  const [kind, fields] = unwrap(node);
  if (kind === 'ColumnRef') {
    const last = list(fields.fields).at(-1);
    return last && unwrap(last)[0] === 'String' ? stringValue(last) : '?column?';
  }
  if (kind === 'FuncCall') return list(fields.funcname).map(stringValue).at(-1) ?? '?column?';
  if (kind === 'CoalesceExpr') return 'coalesce';
  if (kind === 'CaseExpr') return 'case';
  return '?column?';
}

/** CASE → `case((condition, result), …, else_=…)`, the simple form with `value=`. */
function renderCase(fields: Fields, ec: ExpressionContext): Operand {
  const { ctx } = ec;
  const simple = fields.arg !== undefined;
  const whens = list(fields.args).map((item) => {
    const when = unwrap(item)[1];
    const condition = renderExpression(when.expr, ec);
    const test = simple ? valueOf(condition, ctx) : conditionOf(condition, ctx);
    return `(${test}, ${valueOf(renderExpression(when.result, ec), ctx)})`;
  });
  const extra: string[] = [];
  if (simple) extra.push(`value=${argumentOf(renderExpression(fields.arg, ec), ctx)}`);
  if (fields.defresult !== undefined) extra.push(`else_=${valueOf(renderExpression(fields.defresult, ec), ctx)}`);
  return sql(`${ctx.use('case')}(${[...whens, ...extra].join(', ')})`, 'case');
}
