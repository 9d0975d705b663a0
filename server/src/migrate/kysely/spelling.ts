/**
 * How a rendered operand is spelled where it lands: Kysely reads a plain string as a column
 * reference in some positions and binds a plain value in others.
 */
import { quote } from '../javascriptString';
import { refuse } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { Operand, RenderContext } from './renderContext';
import { untyped } from './untyped';

function refuseSpliced(operand: Operand): void {
  if (operand.spliced) refuse(REFUSAL.spliced(operand.code));
}

/** Spells an operand where Kysely reads strings as column references (left operands, function arguments). */
export function asReference(operand: Operand): string {
  refuseSpliced(operand);
  if (operand.kind === 'ref') return quote(operand.code);
  if (operand.kind === 'value') return `eb.val(${operand.code})`;
  return operand.binary ? `eb.parens(${operand.code})` : operand.code;
}

/**
 * Spells an operand where Kysely binds plain JavaScript values (right operands, BETWEEN bounds, IN
 * lists). `besideColumn`: a column on the other side gives a bound string its type.
 */
export function asValue(operand: Operand, besideColumn = false): string {
  if (operand.kind === 'ref') return `eb.ref(${quote(operand.code)})`;
  if (operand.kind === 'literal') return besideColumn && operand.bound ? operand.bound : operand.code;
  if (operand.kind === 'value') return operand.code;
  return operand.binary ? `eb.parens(${operand.code})` : operand.code;
}

/**
 * Spells an operand where Kysely wants a condition (`where`, `on`, `eb.and([...])`, `when`): an
 * operator yields `SqlBool`; a column, value or function may be a nullable boolean, which SQL takes.
 */
export function asCondition(operand: Operand, ctx: RenderContext): string {
  return operand.binary ? asExpression(operand) : untyped(ctx, asExpression(operand));
}

/** Spells an operand as a Kysely `Expression` (inside `eb.and([...])`, `eb.not(...)`). */
export function asExpression(operand: Operand): string {
  refuseSpliced(operand);
  if (operand.kind === 'ref') return `eb.ref(${quote(operand.code)})`;
  if (operand.kind === 'value') return `eb.val(${operand.code})`;
  return operand.code;
}
