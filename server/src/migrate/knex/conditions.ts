/**
 * Conditions (WHERE, HAVING, JOIN … ON) → Knex calls. The SQL condition is first read into the
 * predicates Knex has methods for (column vs value, column vs column, IN, IS NULL, BETWEEN, EXISTS,
 * and parenthesized AND/OR groups, each possibly negated), then written with the method family
 * of the clause: `where…`, `having…` or the join clause's `on…`.
 */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { KnexContext } from './knexContext';
import { expressionReason, renderOperand, renderValue, type Operand } from './operands';

type Predicate =
  | { kind: 'compare'; column: string; operator: string; value: string; subquery: boolean }
  | { kind: 'columns'; column: string; operator: string; other: string }
  | { kind: 'in'; column: string; values: string; subquery: boolean }
  | { kind: 'null'; column: string }
  | { kind: 'between'; column: string; low: string; high: string }
  | { kind: 'exists'; builder: string }
  | { kind: 'group'; operator: 'and' | 'or'; items: Condition[] };

type Condition = Predicate & { negated: boolean };

const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=']);
/** `a < b` is `b > a`: the flip that puts the column on the left, where Knex wants it. */
const FLIPPED: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
  '<=>': '<=>',
};
const LIKE: Record<string, string> = { '~~': 'like', '!~~': 'not like', '~~*': 'ilike', '!~~*': 'not ilike' };

function negate(condition: Condition): Condition {
  return { ...condition, negated: !condition.negated };
}

function predicate(value: Predicate): Condition {
  return { ...value, negated: false };
}

/** Reads a SQL condition into Knex predicates, refusing what Knex has no method for. */
function readCondition(node: unknown, ctx: KnexContext): Condition {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'BoolExpr': {
      const items = list(fields.args).map((arg) => readCondition(arg, ctx));
      if (fields.boolop === 'NOT_EXPR') return negate(items[0]);
      return predicate({ kind: 'group', operator: fields.boolop === 'AND_EXPR' ? 'and' : 'or', items });
    }
    case 'A_Expr':
      return readOperator(fields, ctx);
    case 'NullTest': {
      const test = predicate({ kind: 'null', column: columnOf(fields.arg, ctx, 'IS NULL') });
      return fields.nulltesttype === 'IS_NULL' ? test : negate(test);
    }
    case 'BooleanTest':
      return readBooleanTest(fields, ctx);
    case 'ColumnRef':
      return truthTest(columnOf(node, ctx, 'a condition'), true, ctx);
    case 'SubLink':
      return readSubLink(fields, ctx);
    case 'A_Const':
      return refuse(REFUSAL.knexRaw('a constant condition (WHERE true)'));
    default:
      return refuse(expressionReason(kind, fields));
  }
}

function columnOf(node: unknown, ctx: KnexContext, where: string): string {
  const operand = renderOperand(node, ctx);
  if (operand.kind !== 'column') refuse(REFUSAL.knexColumnOnly(where));
  return operand.name;
}

function readOperator(fields: Fields, ctx: KnexContext): Condition {
  const name = list(fields.name).map(stringValue).join('.');
  switch (fields.kind) {
    case 'AEXPR_OP':
      if (!COMPARISONS.has(name) || fields.lexpr === undefined) return refuse(expressionReason('A_Expr', fields));
      return readComparison(name, renderOperand(fields.lexpr, ctx), renderOperand(fields.rexpr, ctx), ctx);
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE': {
      const operator = LIKE[name];
      const column = columnOf(fields.lexpr, ctx, 'LIKE');
      // `pattern ESCAPE 'c'` reads as like_escape(pattern, 'c'), which Knex has no argument for.
      const [patternKind, patternFields] = unwrap(fields.rexpr);
      if (patternKind === 'FuncCall' && list(patternFields.funcname).map(stringValue).join('.').endsWith('like_escape'))
        refuse(REFUSAL.knexRaw('LIKE … ESCAPE'));
      const pattern = renderOperand(fields.rexpr, ctx);
      if (pattern.kind === 'column') return predicate({ kind: 'columns', column, operator, other: pattern.name });
      if (pattern.kind !== 'value') refuse(REFUSAL.knexValueOnly('a LIKE pattern'));
      return predicate({ kind: 'compare', column, operator, value: pattern.code, subquery: false });
    }
    case 'AEXPR_IN': {
      const column = columnOf(fields.lexpr, ctx, 'IN');
      const values = list(unwrap(fields.rexpr)[1].items).map((item) => renderValue(item, ctx, 'an IN list item'));
      const test = predicate({ kind: 'in', column, values: `[${values.join(', ')}]`, subquery: false });
      return name === '=' ? test : negate(test);
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const column = columnOf(fields.lexpr, ctx, 'BETWEEN');
      const [low, high] = list(unwrap(fields.rexpr)[1].items).map((item) => renderValue(item, ctx, 'a BETWEEN bound'));
      const test = predicate({ kind: 'between', column, low, high });
      return fields.kind === 'AEXPR_BETWEEN' ? test : negate(test);
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      return readDistinct(fields, ctx);
    default:
      return refuse(
        fields.kind === 'AEXPR_OP_ANY' || fields.kind === 'AEXPR_OP_ALL'
          ? expressionReason('A_Expr', fields)
          : REFUSAL.operatorKind(String(fields.kind)),
      );
  }
}

function readComparison(operator: string, left: Operand, right: Operand, ctx: KnexContext): Condition {
  if (left.kind === 'column') {
    if (right.kind === 'column') return predicate({ kind: 'columns', column: left.name, operator, other: right.name });
    const subquery = right.kind === 'subquery';
    return predicate({ kind: 'compare', column: left.name, operator, value: right.code, subquery });
  }
  if (right.kind === 'column') {
    // The spliced text on the left may have been a column name, not a value.
    if (left.kind === 'value' && left.parameter && ctx.valuesOnly) refuse(REFUSAL.spliced(left.code));
    const subquery = left.kind === 'subquery';
    return predicate({ kind: 'compare', column: right.name, operator: FLIPPED[operator], value: left.code, subquery });
  }
  return refuse(REFUSAL.knexColumnOnly('a comparison'));
}

/** IS [NOT] DISTINCT FROM a constant, spelled with the plain operators and IS NULL it equals. */
function readDistinct(fields: Fields, ctx: KnexContext): Condition {
  // A MySQL statement has IS NOT DISTINCT FROM only as the reading of its `<=>`, an operator Knex writes as it is.
  if (ctx.dialect === 'mysql')
    return readComparison('<=>', renderOperand(fields.lexpr, ctx), renderOperand(fields.rexpr, ctx), ctx);
  const column = columnOf(fields.lexpr, ctx, 'IS DISTINCT FROM');
  const right = renderOperand(fields.rexpr, ctx);
  if (right.kind !== 'value' || right.parameter) refuse(REFUSAL.knexDistinctFrom);
  const sameAs = right.isNull
    ? predicate({ kind: 'null', column })
    : predicate({
        kind: 'group',
        operator: 'and',
        items: [
          predicate({ kind: 'compare', column, operator: '=', value: right.code, subquery: false }),
          negate(predicate({ kind: 'null', column })),
        ],
      });
  return fields.kind === 'AEXPR_NOT_DISTINCT' ? sameAs : negate(sameAs);
}

/**
 * A boolean column used as a condition. PostgreSQL: `= true`. MySQL treats any non-zero number as
 * true, which is `<> 0`, not `= true` (that is `= 1`).
 */
function truthTest(column: string, truth: boolean, ctx: KnexContext): Condition {
  const [operator, value] = ctx.dialect === 'mysql' ? [truth ? '<>' : '=', '0'] : ['=', String(truth)];
  return predicate({ kind: 'compare', column, operator, value, subquery: false });
}

/** IS [NOT] TRUE/FALSE/UNKNOWN: never NULL, so `x IS TRUE` is `(x = true and x is not null)`. */
function readBooleanTest(fields: Fields, ctx: KnexContext): Condition {
  const column = columnOf(fields.arg, ctx, 'IS TRUE/FALSE');
  const test = String(fields.booltesttype);
  if (test.endsWith('UNKNOWN')) {
    const isNull = predicate({ kind: 'null', column });
    return test === 'IS_UNKNOWN' ? isNull : negate(isNull);
  }
  const notNull = negate(predicate({ kind: 'null', column }));
  const is = predicate({
    kind: 'group',
    operator: 'and',
    items: [truthTest(column, test.endsWith('TRUE'), ctx), notNull],
  });
  return test.startsWith('IS_NOT') ? negate(is) : is;
}

function readSubLink(fields: Fields, ctx: KnexContext): Condition {
  const select = unwrap(fields.subselect)[1];
  const inner = { ...ctx, outputNamed: false };
  switch (fields.subLinkType) {
    case 'EXISTS_SUBLINK':
      return predicate({ kind: 'exists', builder: ctx.subquery(select, inner) });
    case 'ANY_SUBLINK': {
      const column = columnOf(fields.testexpr, ctx, 'IN (subquery)');
      return predicate({ kind: 'in', column, values: ctx.subquery(select, inner), subquery: true });
    }
    default:
      return refuse(REFUSAL.knexRaw('a scalar subquery as a condition'));
  }
}

export type Clause = 'where' | 'having' | 'on';

/**
 * The calls for a condition in `clause`. A top-level AND becomes one call per operand (Knex joins
 * consecutive calls with AND); everything else is a single call.
 */
export function conditionCalls(clause: Clause, node: unknown, ctx: KnexContext): string[] {
  const condition = readCondition(node, ctx);
  const items =
    condition.kind === 'group' && !condition.negated && condition.operator === 'and' ? condition.items : [condition];
  return items.map((item) => renderCall(clause, item, false, ctx));
}

/** The method families: [plain, negated]; an `or` variant is `or` + the capitalised name. */
const METHODS: Record<Clause, Record<Predicate['kind'], [string, string?]>> = {
  where: {
    compare: ['where', 'whereNot'],
    columns: ['where', 'whereNot'],
    in: ['whereIn', 'whereNotIn'],
    null: ['whereNull', 'whereNotNull'],
    between: ['whereBetween', 'whereNotBetween'],
    exists: ['whereExists', 'whereNotExists'],
    group: ['where', 'whereNot'],
  },
  having: {
    compare: ['having'],
    columns: ['having'],
    in: ['havingIn', 'havingNotIn'],
    null: ['havingNull', 'havingNotNull'],
    between: ['havingBetween', 'havingNotBetween'],
    exists: ['havingExists', 'havingNotExists'],
    group: ['having'],
  },
  on: {
    compare: ['onVal'],
    columns: ['on'],
    in: ['onIn', 'onNotIn'],
    null: ['onNull', 'onNotNull'],
    between: ['onBetween', 'onNotBetween'],
    exists: ['onExists', 'onNotExists'],
    group: ['on'],
  },
};

const CLAUSE_TITLES: Record<Clause, string> = { where: 'WHERE', having: 'HAVING', on: 'JOIN … ON' };

function renderCall(clause: Clause, condition: Condition, or: boolean, ctx: KnexContext): string {
  // MySQL's NOT binds tighter than `=` under HIGH_NOT_PRECEDENCE; a group keeps `not (a = b)` intact.
  if (
    condition.negated &&
    ctx.dialect === 'mysql' &&
    clause === 'where' &&
    (condition.kind === 'compare' || condition.kind === 'columns')
  ) {
    return renderCall(
      clause,
      { kind: 'group', operator: 'and', items: [{ ...condition, negated: false }], negated: true },
      or,
      ctx,
    );
  }
  const [plain, negated] = METHODS[clause][condition.kind];
  const name = condition.negated ? negated : plain;
  if (name === undefined) refuse(REFUSAL.knexRaw(`NOT around this condition in ${CLAUSE_TITLES[clause]}`));
  const method = or ? `or${name[0].toUpperCase()}${name.slice(1)}` : name;
  return `${method}(${callArguments(clause, condition, ctx).join(', ')})`;
}

function callArguments(clause: Clause, condition: Condition, ctx: KnexContext): string[] {
  switch (condition.kind) {
    case 'compare':
      if (condition.subquery && clause === 'on') refuse(REFUSAL.knexRaw('a subquery in JOIN … ON other than EXISTS'));
      return [quote(condition.column), quote(condition.operator), condition.value];
    case 'columns': {
      // Only the join clause compares two columns itself (Knex's typings lack whereColumn): knex.ref() names one.
      const other = clause === 'on' ? quote(condition.other) : `${ctx.instance}.ref(${quote(condition.other)})`;
      return [quote(condition.column), quote(condition.operator), other];
    }
    case 'in':
      if (condition.subquery && clause === 'on') refuse(REFUSAL.knexRaw('a subquery in JOIN … ON other than EXISTS'));
      return [quote(condition.column), condition.values];
    case 'null':
      return [quote(condition.column)];
    case 'between':
      return [quote(condition.column), `[${condition.low}, ${condition.high}]`];
    case 'exists':
      return [condition.builder];
    case 'group': {
      // Knex compiles a HAVING group's callback as WHERE conditions.
      const inner: Clause = clause === 'on' ? 'on' : 'where';
      const parameter = clause === 'on' ? 'j' : 'qb';
      const calls = condition.items.map((item, index) =>
        renderCall(inner, item, index > 0 && condition.operator === 'or', ctx),
      );
      return [`(${parameter}) => ${parameter}.${calls.join('.')}`];
    }
  }
}
