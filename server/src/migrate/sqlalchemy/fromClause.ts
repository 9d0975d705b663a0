/**
 * FROM items → SQLAlchemy FROM objects. Tables come from the schema module; an alias or a derived
 * table is built once, as an argument of the lambda that wraps the query, because SQLAlchemy tells
 * FROM objects apart by identity: two `.alias('o')` calls would be two tables.
 */
import { list, refuse, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { pythonString, pythonTableReference } from '../schemaModule/pythonNames';
import { refuseMysqlCapitals, type Context, type FromItem, type Scope } from './context';
import { renderExpression } from './expressions';
import { conditionOf, type SubselectRenderer } from './operands';

/** A lambda parameter and the expression that fills it. */
export interface LambdaBinding {
  parameter: string;
  argument: string;
}

/** Wraps `body` in a lambda over `bindings`, so each alias is one Python object. */
export function withBindings(body: string, bindings: LambdaBinding[]): string {
  if (bindings.length === 0) return body;
  const parameters = bindings.map((binding) => binding.parameter).join(', ');
  return `(lambda ${parameters}: ${body})(${bindings.map((binding) => binding.argument).join(', ')})`;
}

/** The module table a `RangeVar` names, refusing modifiers SQLAlchemy has no spelling for. */
export function tableReference(rangeVar: Fields, ctx: Context): string {
  refuseMysqlCapitals(rangeVar.relname as string, ctx);
  return pythonTableReference(
    ctx.options.instance,
    rangeVar.schemaname as string | undefined,
    rangeVar.relname as string,
  );
}

/** A `RangeVar` as a scope item; an alias becomes a lambda binding. */
export function tableItem(rangeVar: Fields, ctx: Context, bindings: LambdaBinding[]): FromItem {
  const table = tableReference(rangeVar, ctx);
  const schema = rangeVar.schemaname as string | undefined;
  const name = rangeVar.relname as string;
  const alias = (rangeVar.alias as Fields | undefined)?.aliasname as string | undefined;
  if (!alias) return { qualifier: name, schema, table: name, python: table, plainTable: true };
  const parameter = ctx.name(alias);
  bindings.push({ parameter, argument: `${table}.alias(${pythonString(alias)})` });
  return { qualifier: alias, python: parameter, plainTable: false };
}

/**
 * Renders one FROM-clause entry, adding its tables to `scope` in the order SQL lists them (which
 * is the order `*` expands them in), and returns the Python FROM object.
 */
export function fromItem(
  node: unknown,
  ctx: Context,
  scope: Scope,
  bindings: LambdaBinding[],
  subselect: SubselectRenderer,
): string {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'RangeVar': {
      const item = tableItem(fields, ctx, bindings);
      scope.items.push(item);
      return item.python;
    }
    case 'RangeSubselect': {
      const alias = fields.alias as Fields;
      // A derived table sees no other FROM item of its query (no LATERAL), so it gets no parent scope.
      const query = subselect(unwrap(fields.subquery)[1], ctx, undefined);
      const parameter = ctx.name(alias.aliasname as string);
      bindings.push({ parameter, argument: `${query}.subquery(${pythonString(alias.aliasname as string)})` });
      scope.items.push({ qualifier: alias.aliasname as string, python: parameter, plainTable: false });
      return parameter;
    }
    default:
      return joinExpression(fields, ctx, scope, bindings, subselect);
  }
}

function joinExpression(
  join: Fields,
  ctx: Context,
  scope: Scope,
  bindings: LambdaBinding[],
  subselect: SubselectRenderer,
): string {
  if (list(join.usingClause).length > 0) refuse(REFUSAL.joinUsing);
  const left = fromItem(join.larg, ctx, scope, bindings, subselect);
  const right = fromItem(join.rarg, ctx, scope, bindings, subselect);
  const on = join.quals
    ? conditionOf(renderExpression(join.quals, { ctx, scope, subselect }), ctx)
    : `${ctx.use('true')}()`;
  switch (join.jointype) {
    case 'JOIN_INNER':
      return `${left}.join(${right}, ${on})`;
    case 'JOIN_LEFT':
      return `${left}.outerjoin(${right}, ${on})`;
    // SQLAlchemy has no RIGHT JOIN: `a RIGHT JOIN b` is `b LEFT JOIN a`, the same rows.
    case 'JOIN_RIGHT':
      return `${right}.outerjoin(${left}, ${on})`;
    default:
      // JOIN_FULL, the last of the four join types.
      return `${left}.outerjoin(${right}, ${on}, full=True)`;
  }
}
