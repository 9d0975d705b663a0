/** FROM and JOIN → the table (or aliased subquery) a Knex builder starts from, and its join calls. */
import { quote } from '../javascriptString';
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { conditionCalls } from './conditions';
import { columnName, knexName, tableName, type KnexContext } from './knexContext';

export interface FromSource {
  /** The argument of `knex(…)`/`from(…)`: a table string or `subquery.as('alias')`. */
  source: string;
  /** Whether `source` is a plain table string (written `knex('table')`). */
  isTable: boolean;
  joins: string[];
}

const JOIN_METHODS: Record<string, string> = {
  JOIN_INNER: 'join',
  JOIN_LEFT: 'leftJoin',
  JOIN_RIGHT: 'rightJoin',
  JOIN_FULL: 'fullOuterJoin',
};

export function fromSource(items: unknown[], ctx: KnexContext): FromSource {
  if (items.length > 1) {
    // `from a, b` is `from a cross join b`.
    const [first, ...rest] = items.map((item) => {
      if (unwrap(item)[0] === 'JoinExpr') refuse(REFUSAL.commaFromList('tables and subqueries, without JOINs'));
      return fromItem(item, ctx);
    });
    return { ...first, joins: rest.map((item) => crossJoinCall(item.source)) };
  }
  const joins: string[] = [];
  let current = items[0];
  while (unwrap(current)[0] === 'JoinExpr') {
    const join = unwrap(current)[1];
    joins.push(joinCall(join, ctx));
    current = join.larg;
  }
  return { ...fromItem(current, ctx), joins: joins.reverse() };
}

function fromItem(node: unknown, ctx: KnexContext): Omit<FromSource, 'joins'> {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'RangeVar':
      return { source: quote(tableName(fields)), isTable: true };
    case 'JoinExpr':
      return refuse(REFUSAL.nestedJoin);
    default: {
      // RangeSubselect, with an alias (commonRefusals.ts).
      const alias = (fields.alias as Fields).aliasname as string;
      const select = unwrap(fields.subquery)[1];
      return {
        source: `${ctx.subquery(select, { ...ctx, outputNamed: true })}.as(${quote(knexName(alias))})`,
        isTable: false,
      };
    }
  }
}

/** Knex's typings declare `crossJoin` only with a join callback; an empty one adds no ON. */
function crossJoinCall(table: string): string {
  return `crossJoin(${table}, () => {})`;
}

function joinCall(join: Fields, ctx: KnexContext): string {
  const table = fromItem(join.rarg, ctx).source;
  const method = JOIN_METHODS[join.jointype as string];
  const using = list(join.usingClause).map((name) => quote(knexName(stringValue(name))));
  if (using.length > 0) return `${method}(${table}, (j) => j.using([${using.join(', ')}]))`;
  // An outer join always has ON (or USING) in the grammar: a join without it is a cross join.
  if (!join.quals) return crossJoinCall(table);
  const [kind, qual] = unwrap(join.quals);
  const name = list(qual.name).map(stringValue).join('.');
  if (kind === 'A_Expr' && qual.kind === 'AEXPR_OP' && name === '=') {
    const [leftKind, left] = unwrap(qual.lexpr);
    const [rightKind, right] = unwrap(qual.rexpr);
    if (leftKind === 'ColumnRef' && rightKind === 'ColumnRef') {
      return `${method}(${table}, ${quote(columnName(left))}, ${quote(columnName(right))})`;
    }
  }
  const calls = conditionCalls('on', join.quals, ctx);
  return `${method}(${table}, (j) => j.${calls.join('.')})`;
}
