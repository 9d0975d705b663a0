/**
 * Rendered SQL operands and how each position spells them in Python: SQLAlchemy binds plain Python
 * values on the right of an operator, but needs `literal()` where a value takes a method call.
 */
import { refuse, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import type { Context, Scope } from './context';

/**
 * A rendered operand. `value`: Python that yields a value to bind (a constant or a host
 * expression); `null`: SQL NULL; `sql`: a SQLAlchemy expression. `compound` marks Python operator
 * expressions, which need parentheses before a method call or inside another operator.
 */
export interface Operand {
  kind: 'sql' | 'value' | 'null';
  code: string;
  compound?: boolean;
  /** A host expression (`$n`), which a value position alone may take when it was spliced into the text. */
  host?: boolean;
  /** A string constant: SQLAlchemy would read `+` next to it as concatenation. */
  text?: boolean;
  /** PostgreSQL's name for this expression as an unaliased select-list item. */
  defaultName: string;
}

/** How a nested SELECT is rendered (the select renderer, passed in to keep the modules acyclic). */
export type SubselectRenderer = (stmt: Fields, ctx: Context, parent: Scope | undefined) => string;

export interface ExpressionContext {
  ctx: Context;
  scope: Scope | undefined;
  subselect: SubselectRenderer;
}

function refuseSpliced(operand: Operand, ctx: Context): void {
  if (operand.host && ctx.options.valuesOnly) refuse(REFUSAL.spliced(operand.code));
}

/** The operand as a SQLAlchemy element that takes methods and operators. */
export function sqlOf(operand: Operand, ctx: Context): string {
  refuseSpliced(operand, ctx);
  if (operand.kind === 'value') return `${ctx.use('literal')}(${operand.code})`;
  if (operand.kind === 'null') return `${ctx.use('null')}()`;
  return operand.compound ? `(${operand.code})` : operand.code;
}

/**
 * The operand on the right of an operator, where SQLAlchemy binds plain Python values. Where
 * `wrapHost` says so, a host value is wrapped in `literal()`: SQLAlchemy turns `== None` into
 * `IS NULL`, which the original `= $1` does not mean when the value is null, and raises on `< None`
 * or `.like(None)`, LIMIT None drops the clause; a bound NULL is what the original sent.
 */
export function valueOf(operand: Operand, ctx: Context, wrapHost = false): string {
  if (operand.kind === 'value')
    return wrapHost && operand.host ? `${ctx.use('literal')}(${operand.code})` : operand.code;
  if (operand.kind === 'null') return `${ctx.use('null')}()`;
  return operand.compound ? `(${operand.code})` : operand.code;
}

/** The operand as a function or method argument. */
export function argumentOf(operand: Operand, ctx: Context): string {
  refuseSpliced(operand, ctx);
  if (operand.kind === 'null') return `${ctx.use('null')}()`;
  return operand.code;
}

/** The operand as a condition (`where(...)`, `and_(...)`). */
export function conditionOf(operand: Operand, ctx: Context): string {
  if (operand.kind === 'value' && (operand.code === 'True' || operand.code === 'False'))
    return `${ctx.use(operand.code.toLowerCase())}()`;
  if (operand.kind === 'sql') return operand.code;
  return sqlOf(operand, ctx);
}

/** A SQLAlchemy expression operand. */
export function sqlOperand(code: string, defaultName = '?column?', compound = false): Operand {
  return { kind: 'sql', code, defaultName, compound };
}
