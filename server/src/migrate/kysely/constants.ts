/** SQL constants (libpg-query `A_Const`) → Kysely operands that keep the constant's SQL type. */
import { quote } from '../javascriptString';
import { refuse, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { Operand, RenderContext } from './renderContext';

/** `<type>` in TypeScript; nothing in JavaScript, where a type argument is a syntax error or worse. */
export function typeArgument(ctx: RenderContext, type: string): string {
  return ctx.language === 'javascript' ? '' : `<${type}>`;
}

/**
 * A constant stays in the SQL text, as the original has it: bound, a number would change its type
 * (mysql2's `execute` sends every number as a DOUBLE; PostgreSQL types `$1 * $2` as nothing), and
 * a string would lose the type it takes from its place (`upper($1)` has none). Only beside a
 * column, which gives it its type, is a string bound as a plain value (`bound`).
 */
export function renderConstant(fields: Fields, ctx: RenderContext): Operand {
  const defaultName = '?column?';
  if (fields.isnull) return { kind: 'literal', code: 'eb.lit(null)', nullConstant: true, defaultName };
  if ('ival' in fields) {
    const value = ((fields.ival as Fields).ival as number | undefined) ?? 0;
    return { kind: 'literal', code: `eb.lit(${value})`, number: String(value), defaultName };
  }
  if ('fval' in fields) return renderNumberText((fields.fval as Fields).fval as string, ctx);
  if ('sval' in fields) {
    const text = quote(((fields.sval as Fields).sval as string) ?? '');
    ctx.imports.push({ module: 'kysely', name: 'sql' });
    return { kind: 'literal', code: `sql.lit(${text})`, bound: text, defaultName };
  }
  const code = `eb.lit(${String(Boolean((fields.boolval as Fields).boolval))})`;
  return { kind: 'literal', code, defaultName };
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
  if (exact) return { kind: 'literal', code: `eb.lit(${value})`, number: String(value), defaultName };
  if (ctx.dialect === 'mysql') {
    // The parser's number text is digits, a point, an exponent and a sign only: nothing to escape.
    if (!/^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) refuse(REFUSAL.number(text));
    ctx.imports.push({ module: 'kysely', name: 'sql' });
    return { kind: 'expression', code: `sql${typeArgument(ctx, 'number')}\`${text}\``, defaultName };
  }
  const big = BigInt(whole ? text : 0);
  const type = whole && big <= INT8_MAX && big >= -INT8_MAX - 1n ? 'bigint' : 'numeric';
  return { kind: 'expression', code: `eb.cast(eb.val(${quote(text)}), '${type}')`, defaultName };
}
