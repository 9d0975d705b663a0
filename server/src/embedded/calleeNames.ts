/**
 * Matching a callee or tag as written (`this.pool.query`, `prisma.$queryRaw`) against the configured
 * names: a plain entry matches the last name, a dotted entry the dotted tail.
 */
export function calleeMatches(callee: string, entries: readonly string[]): boolean {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  for (const entry of entries) {
    if (entry.includes('.') ? callee === entry || callee.endsWith(`.${entry}`) : last === entry) return true;
  }
  return false;
}
