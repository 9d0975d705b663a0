/**
 * Kysely's types are stricter than SQL. The database coerces where Kysely compares TypeScript
 * types: `total > 100` on a `numeric` column (read as a string), `placed_on in ('2024-01-01')` on a
 * date column (read as a `Date`), a host value of another type, a nullable boolean as a condition.
 * The migration keeps the SQL the original runs, so in TypeScript the operand Kysely would hold
 * against the other side is cast to `any`; the SQL text does not change. JavaScript has no types.
 */
import type { RenderContext } from './renderContext';

/** `code` with a type Kysely accepts in any operand position (TypeScript only). */
export function untyped(ctx: RenderContext, code: string): string {
  return ctx.language === 'javascript' ? code : `(${code} as any)`;
}
