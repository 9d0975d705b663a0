/** SQL constants (libpg-query `A_Const`) → Kysely operands that keep the constant's SQL type. */
import { quote, refuse, type Fields } from './astNodes';
import type { Operand, RenderContext } from './expressions';

/** A constant: integers, booleans and null inline where needed, strings bound, other numbers exact. */
export function renderConstant(fields: Fields, ctx: RenderContext): Operand {
  const defaultName = '?column?';
  if (fields.isnull) return { kind: 'value', code: 'null', inlineable: true, defaultName };
  if ('ival' in fields) {
    const value = ((fields.ival as Fields).ival as number | undefined) ?? 0;
    return { kind: 'value', code: String(value), inlineable: true, defaultName };
  }
  if ('fval' in fields) return renderNumberText((fields.fval as Fields).fval as string, ctx);
  if ('sval' in fields)
    return { kind: 'value', code: quote(((fields.sval as Fields).sval as string) ?? ''), defaultName };
  if ('boolval' in fields) {
    const code = String(Boolean((fields.boolval as Fields).boolval));
    return { kind: 'value', code, inlineable: true, defaultName: 'bool' };
  }
  return refuse('bit-string constants are not converted');
}

const INT8_MAX = 9223372036854775807n;

/**
 * A number PostgreSQL did not read as `integer`: `bigint` when it is a whole number in int8's range,
 * `numeric` otherwise. Bound as a plain parameter it would take the column's type instead (1.5
 * against an integer column fails), so it stays an inline literal when JavaScript keeps it exact,
 * and is otherwise bound as text with an explicit cast to the type the literal has. MySQL has no
 * cast to its literals' types (a DECIMAL keeps the scale written), so there it stays SQL text.
 */
function renderNumberText(text: string, ctx: RenderContext): Operand {
  const defaultName = '?column?';
  const whole = /^-?\d+$/.test(text);
  const value = Number(text);
  const exact = whole ? Number.isSafeInteger(value) : String(value) === text.replace(/^(-?)\./, '$10.');
  if (exact) return { kind: 'literal', code: String(value), defaultName };
  if (ctx.dialect === 'mysql') {
    // The parser's number text is digits, a point, an exponent and a sign only: nothing to escape.
    if (!/^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) refuse(`the number ${text} is not converted`);
    ctx.imports.push({ module: 'kysely', name: 'sql' });
    return { kind: 'expression', code: `sql<number>\`${text}\``, defaultName };
  }
  const big = BigInt(whole ? text : 0);
  const type = whole && big <= INT8_MAX && big >= -INT8_MAX - 1n ? 'bigint' : 'numeric';
  return { kind: 'expression', code: `eb.cast(eb.val(${quote(text)}), '${type}')`, defaultName };
}
