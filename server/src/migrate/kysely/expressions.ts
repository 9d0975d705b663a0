/**
 * SQL expressions (libpg-query AST) → Kysely expression-builder code (`eb(...)`, `eb.fn.count(...)`).
 * Kysely passes a plain string as a column reference in some positions and as a bound value in
 * others, so every rendered operand remembers what it is and is spelled for the position it lands in.
 */
import type { Dialect } from '../../schema/snapshot';
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { renderConstant, typeArgument } from './constants';
import { safeName } from './names';
import type { Operand, RenderContext } from './renderContext';
import { asCondition, asExpression, asReference, asValue } from './spelling';
import { renderSqlSyntax } from './sqlSyntax';
import { untyped } from './untyped';

export type { Operand, RenderContext } from './renderContext';

const LIKE: Record<string, string> = { '~~': 'like', '!~~': 'not like', '~~*': 'ilike', '!~~*': 'not ilike' };
const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg']);
/**
 * Plain functions spelled the same in every version of the dialect; called through `eb.fn(name, args)`.
 * The generated code runs on the same database as the original, so a function keeps its meaning.
 */
const SCALAR_FUNCTIONS: Record<Dialect, Set<string>> = {
  postgres: new Set(['lower', 'upper', 'length', 'abs', 'round', 'now', 'replace', 'substring']),
  mysql: new Set([
    'lower',
    'upper',
    'length',
    'char_length',
    'abs',
    'round',
    'now',
    'concat',
    'ifnull',
    'replace',
    'substring',
  ]),
};

/** A column reference's Kysely string (`schema.table.column`). */
export function columnReference(fields: Fields): string {
  return list(fields.fields)
    .map((part) => safeName(stringValue(part)))
    .join('.');
}

/** Renders one expression node. */
export function renderExpression(node: unknown, ctx: RenderContext): Operand {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'ColumnRef': {
      const code = columnReference(fields);
      return { kind: 'ref', code, defaultName: code.split('.').pop() ?? code };
    }
    case 'A_Const':
      return renderConstant(fields, ctx);
    case 'ParamRef': {
      const host = ctx.parameters[(fields.number as number) - 1];
      // A comma expression (`\${a, b}`) would split the builder call's arguments; parentheses keep it whole.
      const code = host.includes(',') ? `(${host})` : host;
      return { kind: 'value', code, defaultName: '?column?', spliced: ctx.valuesOnly };
    }
    case 'A_Expr':
      return renderOperator(fields, ctx);
    case 'BoolExpr':
      return renderBoolean(fields, ctx);
    case 'NullTest': {
      const operator = fields.nulltesttype === 'IS_NULL' ? 'is' : 'is not';
      const arg = renderExpression(fields.arg, ctx);
      return binary(`eb(${asReference(arg)}, '${operator}', null)`);
    }
    case 'BooleanTest':
      return renderBooleanTest(fields, ctx);
    case 'FuncCall':
      return renderFunction(fields, ctx);
    case 'CoalesceExpr': {
      const args = list(fields.args).map((arg) => asReference(renderExpression(arg, ctx)));
      return { kind: 'expression', code: `eb.fn.coalesce(${args.join(', ')})`, defaultName: 'coalesce' };
    }
    case 'TypeCast':
      return refuse(REFUSAL.typeCast);
    case 'SubLink':
      return renderSubquery(fields, ctx);
    case 'CaseExpr':
      return renderCase(fields, ctx);
    default:
      return refuse(REFUSAL.expressionKind(kind));
  }
}

function binary(code: string): Operand {
  return { kind: 'expression', code, binary: true, defaultName: '?column?' };
}

/**
 * The operands of an operator, spelled so that TypeScript accepts what SQL accepts (`untyped.ts`):
 * beside a column, the right operands are cast; otherwise the left one is.
 */
function operands(left: Operand, rights: Operand[], ctx: RenderContext): { left: string; rights: string[] } {
  const besideColumn = left.kind === 'ref';
  return {
    left: besideColumn ? asReference(left) : untyped(ctx, asReference(left)),
    rights: rights.map((right) => (besideColumn ? untyped(ctx, asValue(right, true)) : asValue(right))),
  };
}

function renderOperator(fields: Fields, ctx: RenderContext): Operand {
  const name = stringValue(list(fields.name)[0]);
  if (fields.lexpr === undefined) {
    // Parenthesised: Kysely prints `-` right before its operand, and `--` would start a comment.
    return {
      kind: 'expression',
      code: `eb.neg(eb.parens(${asExpression(renderExpression(fields.rexpr, ctx))}))`,
      defaultName: '?column?',
    };
  }
  const left = renderExpression(fields.lexpr, ctx);
  switch (fields.kind) {
    case 'AEXPR_OP': {
      const right = renderExpression(fields.rexpr, ctx);
      const spelled = operands(left, [right], ctx);
      return binary(`eb(${spelled.left}, '${name}', ${spelled.rights[0]})`);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE': {
      const operator = LIKE[name];
      const escaped = likeEscape(fields.rexpr, ctx);
      const spelled = escaped
        ? { left: left.kind === 'ref' ? asReference(left) : untyped(ctx, asReference(left)), rights: [escaped] }
        : operands(left, [renderExpression(fields.rexpr, ctx)], ctx);
      return binary(`eb(${spelled.left}, '${operator}', ${spelled.rights[0]})`);
    }
    case 'AEXPR_IN': {
      const items = list(unwrap(fields.rexpr)[1].items).map((item) => renderExpression(item, ctx));
      const spelled = operands(left, items, ctx);
      return binary(`eb(${spelled.left}, '${name === '=' ? 'in' : 'not in'}', [${spelled.rights.join(', ')}])`);
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const bounds = list(unwrap(fields.rexpr)[1].items).map((item) => renderExpression(item, ctx));
      const spelled = operands(left, bounds, ctx);
      const between = `eb.between(${spelled.left}, ${spelled.rights[0]}, ${spelled.rights[1]})`;
      // Parenthesised: MySQL's HIGH_NOT_PRECEDENCE mode would read `not x between …` as `(not x) between …`.
      return binary(fields.kind === 'AEXPR_BETWEEN' ? between : `eb.not(eb.parens(${between}))`);
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const right = renderExpression(fields.rexpr, ctx);
      // A MySQL statement has IS NOT DISTINCT FROM only as the reading of its `<=>`.
      const nullSafe = ctx.dialect === 'mysql' ? '<=>' : 'is not distinct from';
      const operator = fields.kind === 'AEXPR_DISTINCT' ? 'is distinct from' : nullSafe;
      const spelled = operands(left, [right], ctx);
      return binary(`eb(${spelled.left}, '${operator}', ${spelled.rights[0]})`);
    }
    case 'AEXPR_OP_ANY': {
      if (name !== '=') refuse(REFUSAL.operator(`${name} ANY (array)`));
      const right = renderExpression(fields.rexpr, ctx);
      return binary(`eb(${untyped(ctx, asReference(left))}, '=', eb.fn.any(${asReference(right)}))`);
    }
    default:
      return refuse(REFUSAL.operatorKind(String(fields.kind)));
  }
}

/**
 * `pattern ESCAPE 'c'` (the parser's `like_escape(pattern, 'c')`), which Kysely has no method for:
 * a `sql` fragment with the pattern and the escape character as the original has them.
 */
function likeEscape(node: unknown, ctx: RenderContext): string | undefined {
  const [kind, fields] = unwrap(node);
  if (kind !== 'FuncCall' || list(fields.funcname).map(stringValue).join('.') !== 'pg_catalog.like_escape')
    return undefined;
  const [pattern, escape] = list(fields.args).map((arg) => renderExpression(arg, ctx));
  const piece = (operand: Operand) => {
    if (operand.kind === 'value') return operand.code;
    if (operand.bound === undefined) refuse(REFUSAL.likeEscape);
    return operand.code;
  };
  ctx.imports.push({ module: 'kysely', name: 'sql' });
  return `sql${typeArgument(ctx, 'string')}\`\${${piece(pattern)}} escape \${${piece(escape)}}\``;
}

function renderBoolean(fields: Fields, ctx: RenderContext): Operand {
  const [firstKind, first] = unwrap(list(fields.args)[0]);
  if (
    fields.boolop === 'NOT_EXPR' &&
    firstKind === 'SubLink' &&
    first.subLinkType === 'ANY_SUBLINK' &&
    !first.operName
  ) {
    // `x NOT IN (SELECT …)` is how the parser spells NOT around IN (subquery).
    return renderSubquery(first, ctx, true);
  }
  const args = list(fields.args).map((arg) => renderExpression(arg, ctx));
  if (fields.boolop === 'NOT_EXPR') {
    const [arg] = args;
    return binary(`eb.not(${arg.binary ? `eb.parens(${arg.code})` : asCondition(arg, ctx)})`);
  }
  const method = fields.boolop === 'AND_EXPR' ? 'and' : 'or';
  // Kysely wraps and/or lists in parentheses itself.
  const conditions = args.map((arg) => asCondition(arg, ctx));
  return { kind: 'expression', code: `eb.${method}([${conditions.join(', ')}])`, defaultName: '?column?' };
}

function renderBooleanTest(fields: Fields, ctx: RenderContext): Operand {
  const tests: Record<string, [string, string]> = {
    IS_TRUE: ['is', 'true'],
    IS_NOT_TRUE: ['is not', 'true'],
    IS_FALSE: ['is', 'false'],
    IS_NOT_FALSE: ['is not', 'false'],
  };
  const test = tests[fields.booltesttype as string] ?? refuse(REFUSAL.isUnknown);
  const arg = renderExpression(fields.arg, ctx);
  const column = arg.kind === 'ref';
  // MySQL's BOOLEAN is a number to Kysely: the constant or the operand is cast, as in `operands`.
  const left = column ? asReference(arg) : untyped(ctx, asReference(arg));
  return binary(`eb(${left}, '${test[0]}', ${column ? untyped(ctx, test[1]) : test[1]})`);
}

function renderFunction(fields: Fields, ctx: RenderContext): Operand {
  const names = list(fields.funcname).map(stringValue);
  if (fields.funcformat === 'COERCE_SQL_SYNTAX' && names.length === 2 && names[0] === 'pg_catalog')
    return renderSqlSyntax(names[1], list(fields.args), ctx, (arg) => renderExpression(arg, ctx));
  const name = names.length === 1 ? names[0] : refuse(REFUSAL.unmappedFunction(names.join('.'), 'Kysely'));
  if (fields.funcformat !== 'COERCE_EXPLICIT_CALL') refuse(REFUSAL.sqlStandardForm(name));
  const args = list(fields.args).map((arg) => asReference(renderExpression(arg, ctx)));
  const distinct = fields.agg_distinct ? '.distinct()' : '';
  if (AGGREGATES.has(name)) {
    if (fields.agg_star) return { kind: 'expression', code: `eb.fn.countAll()`, defaultName: name };
    if (args.length !== 1) refuse(REFUSAL.argumentCount(name, args.length));
    return { kind: 'expression', code: `eb.fn.${name}(${args[0]})${distinct}`, defaultName: name };
  }
  if (!SCALAR_FUNCTIONS[ctx.dialect].has(name)) refuse(REFUSAL.unmappedFunction(name, 'Kysely'));
  if (distinct) refuse(REFUSAL.distinctArgument(name));
  return { kind: 'expression', code: `eb.fn(${quote(name)}, [${args.join(', ')}])`, defaultName: name };
}

/** `[NOT] IN (SELECT …)`, `EXISTS (SELECT …)` and scalar subqueries, built from `eb.selectFrom(…)`. */
function renderSubquery(fields: Fields, ctx: RenderContext, negated = false): Operand {
  const select = unwrap(fields.subselect)[1];
  // The subquery's column names are not seen: EXISTS, IN and a scalar subquery (named by its alias).
  const calls = ctx.subquery(select, { ...ctx, namedColumns: false });
  if (calls[0].startsWith('selectNoFrom')) refuse(REFUSAL.subqueryWithoutFrom);
  const builder = ['eb', ...calls].join('.');
  switch (fields.subLinkType) {
    case 'EXISTS_SUBLINK':
      return { kind: 'expression', code: `eb.exists(${builder})`, defaultName: 'exists' };
    case 'ANY_SUBLINK': {
      const left = renderExpression(fields.testexpr, ctx);
      const list = left.kind === 'ref' ? untyped(ctx, builder) : builder;
      const tested = left.kind === 'ref' ? asReference(left) : untyped(ctx, asReference(left));
      return binary(`eb(${tested}, '${negated ? 'not in' : 'in'}', ${list})`);
    }
    default: {
      // EXPR_SUBLINK. PostgreSQL names a scalar subquery's column after the subquery's own single column.
      const target = unwrap(list(select.targetList)[0])[1];
      const defaultName = (target.name as string | undefined) ?? renderExpression(target.val, ctx).defaultName;
      return { kind: 'expression', code: builder, defaultName };
    }
  }
}

/**
 * CASE → `eb.case(…).when(…).then(…).else(…).end()`. Results are spelled as expressions so that
 * integer constants stay inline: bound, they would be untyped and make the CASE text-typed.
 */
function renderCase(fields: Fields, ctx: RenderContext): Operand {
  const simple = fields.arg !== undefined;
  let code = `eb.case(${simple ? asReference(renderExpression(fields.arg, ctx)) : ''})`;
  for (const item of list(fields.args)) {
    const when = unwrap(item)[1];
    const condition = renderExpression(when.expr, ctx);
    code += `.when(${simple ? untyped(ctx, asValue(condition)) : asCondition(condition, ctx)})`;
    code += `.then(${untyped(ctx, asExpression(renderExpression(when.result, ctx)))})`;
  }
  if (fields.defresult !== undefined)
    code += `.else(${untyped(ctx, asExpression(renderExpression(fields.defresult, ctx)))})`;
  return { kind: 'expression', code: `${code}.end()`, defaultName: 'case' };
}
