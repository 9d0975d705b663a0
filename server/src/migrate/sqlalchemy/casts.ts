/**
 * Type casts (`x::type`, `CAST(x AS type)`, typed literals such as `date '2024-01-01'`) →
 * `cast(x, Type)`, for the types whose SQLAlchemy spelling compiles back to the same SQL type on
 * the dialect: `Numeric(10, 2)` is `NUMERIC(10, 2)` on PostgreSQL and `DECIMAL(10, 2)` on MySQL.
 */
import { list, refuse, stringValue, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { Context } from './context';
import { sqlOf, sqlOperand, type Operand } from './operands';

/** libpg-query's internal type name → the SQLAlchemy type, and on which dialects it is the same type. */
const CAST_TYPES: Record<string, { type: string; mysql: boolean; modifiers: number }> = {
  int2: { type: 'SmallInteger', mysql: false, modifiers: 0 },
  int4: { type: 'Integer', mysql: false, modifiers: 0 },
  int8: { type: 'BigInteger', mysql: false, modifiers: 0 },
  numeric: { type: 'Numeric', mysql: true, modifiers: 2 },
  text: { type: 'Text', mysql: false, modifiers: 0 },
  varchar: { type: 'String', mysql: false, modifiers: 1 },
  bool: { type: 'Boolean', mysql: false, modifiers: 0 },
  date: { type: 'Date', mysql: true, modifiers: 0 },
  timestamp: { type: 'DateTime', mysql: false, modifiers: 0 },
  timestamptz: { type: 'DateTime', mysql: false, modifiers: 0 },
};

export function renderCast(fields: Fields, ctx: Context, render: (node: unknown) => Operand): Operand {
  const typeName = fields.typeName as Fields;
  if (list(typeName.arrayBounds).length > 0) refuse(REFUSAL.arrayCast);
  const names = list(typeName.names).map(stringValue);
  const name = names.length === 2 && names[0] === 'pg_catalog' ? names[1] : names.join('.');
  const target = CAST_TYPES[name];
  if (!target || (ctx.dialect === 'mysql' && !target.mysql)) refuse(REFUSAL.castTo(name));
  const modifiers = list(typeName.typmods).map((node) => {
    const [kind, constant] = unwrap(node);
    if (kind !== 'A_Const' || !('ival' in constant)) refuse(REFUSAL.typeModifier(name));
    return String(((constant.ival as Fields).ival as number | undefined) ?? 0);
  });
  if (modifiers.length > target.modifiers) refuse(REFUSAL.typeModifier(name));
  const argumentsList = name === 'timestamptz' ? ['timezone=True'] : modifiers;
  const type = ctx.use(target.type);
  const typeCode = argumentsList.length > 0 ? `${type}(${argumentsList.join(', ')})` : type;
  const operand = render(fields.arg);
  // PostgreSQL names a cast column after what it casts, else after the type.
  const defaultName = operand.defaultName === '?column?' ? name : operand.defaultName;
  const value = operand.kind === 'value' ? operand.code : sqlOf(operand, ctx);
  return sqlOperand(`${ctx.use('cast')}(${value}, ${typeCode})`, defaultName);
}
