/** A registry refusal reason (server/src/migrate/query/refusals.ts) as the exact pattern a test matches. */
export function reason(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
