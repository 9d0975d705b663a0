/** SQL function calls → SQLAlchemy's `func.name(...)`, for the functions it writes as SQL does. */
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { isPlainIdentifier } from '../schemaModule/pythonNames';
import type { Context } from './context';
import { argumentOf, sqlOf, sqlOperand, type Operand } from './operands';

/** Renders an argument expression (the expression renderer, passed in to keep the modules acyclic). */
export type Render = (node: unknown) => Operand;

/**
 * Functions SQLAlchemy's `func` does not write as `name(args)`: ANSI functions without
 * parentheses, grouping constructs, renamed ones (`random` is `rand` on MySQL), special forms.
 */
const SPECIAL_FUNCTIONS = new Set([
  'cast',
  'cube',
  'current_date',
  'current_time',
  'current_timestamp',
  'current_user',
  'extract',
  'grouping_sets',
  'localtime',
  'localtimestamp',
  'next_value',
  'random',
  'rollup',
  'session_user',
  'sysdate',
  'user',
  'mode',
  'percentile_cont',
  'percentile_disc',
  'aggregate_strings',
  'ansifunction',
  'orderedsetagg',
  'returntypefromargs',
]);

export function functionArguments(args: unknown[], ctx: Context, render: Render): string {
  return args.map((arg) => argumentOf(render(arg), ctx)).join(', ');
}

export function renderFunction(fields: Fields, ctx: Context, render: Render): Operand {
  const names = list(fields.funcname).map(stringValue);
  if (fields.funcformat === 'COERCE_SQL_SYNTAX' && names.length === 2 && names[0] === 'pg_catalog')
    return renderSqlSyntax(names[1], list(fields.args), ctx, render);
  if (names.length !== 1) refuse(REFUSAL.unmappedFunction(names.join('.'), 'SQLAlchemy'));
  const name = names[0];
  if (fields.funcformat !== 'COERCE_EXPLICIT_CALL') refuse(REFUSAL.sqlStandardForm(name));
  if (!/^[a-z][a-z0-9_]*$/.test(name) || name.endsWith('_') || SPECIAL_FUNCTIONS.has(name))
    refuse(REFUSAL.sqlalchemyFunc(name));
  const attribute = isPlainIdentifier(name) ? name : `${name}_`;
  if (fields.agg_star) {
    if (name !== 'count') refuse(REFUSAL.starArgument(name));
    return sqlOperand(`${ctx.use('func')}.count()`, name);
  }
  const args = list(fields.args);
  if (name === 'count' && args.length === 0) refuse(REFUSAL.argumentCount(name, 0));
  let code = functionArguments(args, ctx, render);
  if (fields.agg_distinct) {
    if (args.length !== 1) refuse(REFUSAL.distinctArgument(name));
    code = `${sqlOf(render(args[0]), ctx)}.distinct()`;
  }
  return sqlOperand(`${ctx.use('func')}.${attribute}(${code})`, name);
}

/** EXTRACT fields both databases read alike, and SQLAlchemy writes as they are. */
const EXTRACT_FIELDS = new Set(['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second']);

/**
 * The SQL-standard call forms the grammar reads into pg_catalog functions: SUBSTRING(x FROM a FOR
 * b), TRIM([BOTH|LEADING|TRAILING] [c] FROM x) and EXTRACT(field FROM x). SQLAlchemy writes
 * `func.substring` in the FROM/FOR form on PostgreSQL and as substring(x, a, b) on MySQL (one
 * function), `func.trim(x)` as trim(x), and `extract()` as EXTRACT(field FROM x). The name is
 * PostgreSQL's name for the column.
 */
function renderSqlSyntax(name: string, args: unknown[], ctx: Context, render: Render): Operand {
  const code = () => functionArguments(args, ctx, render);
  switch (name) {
    case 'substring':
      if (args.length < 2 || args.length > 3) refuse(REFUSAL.argumentCount('SUBSTRING', args.length));
      return sqlOperand(`${ctx.use('func')}.substring(${code()})`, name);
    case 'btrim':
    case 'ltrim':
    case 'rtrim':
      if (args.length === 1)
        return sqlOperand(`${ctx.use('func')}.${name === 'btrim' ? 'trim' : name}(${code()})`, name);
      // MySQL's LTRIM/RTRIM take no characters; TRIM(LEADING c FROM x) has no func spelling there.
      if (ctx.dialect === 'mysql') refuse(REFUSAL.postgresOnly('TRIM with characters to remove'));
      return sqlOperand(`${ctx.use('func')}.${name}(${code()})`, name);
    case 'extract': {
      const [kind, field] = unwrap(args[0]);
      const text = kind === 'A_Const' ? ((field.sval as Fields | undefined)?.sval as string | undefined) : undefined;
      if (text === undefined || !EXTRACT_FIELDS.has(text.toLowerCase())) refuse(REFUSAL.extractField(text ?? '…'));
      return sqlOperand(`${ctx.use('extract')}('${text.toLowerCase()}', ${argumentOf(render(args[1]), ctx)})`, name);
    }
    default:
      return refuse(REFUSAL.sqlStandardForm(name));
  }
}

const VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_SESSION_USER: 'session_user',
};

/** CURRENT_DATE and friends: `func.current_date()` writes them without parentheses, as SQL does. */
export function renderValueFunction(fields: Fields, ctx: Context): Operand {
  const name = VALUE_FUNCTIONS[fields.op as string];
  if (!name) refuse(REFUSAL.valueFunctionPrecision(String(fields.op).replace(/^SVFOP_|_N$/g, '')));
  return sqlOperand(`${ctx.use('func')}.${name}()`, name);
}
