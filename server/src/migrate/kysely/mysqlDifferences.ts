/**
 * Constructs PostgreSQL's grammar reads (so a MySQL statement reaches the generator with them) that
 * MySQL/MariaDB does not run, or runs with another meaning. Kysely would print them unchanged for
 * MySQL, so each one is refused with the reason.
 */
import { refuse } from '../query/astNodes';
import type { RenderContext } from './expressions';

const REASONS = {
  nullsOrder:
    'NULLS FIRST/LAST does not exist in MySQL (it sorts NULL first ascending and last descending); it is not converted',
  ilike: "ILIKE does not exist in MySQL (LIKE's case sensitivity follows the column's collation); it is not converted",
  updateReturning: 'UPDATE … RETURNING does not exist in MySQL or MariaDB; it is not converted',
  onConflict: "ON CONFLICT is PostgreSQL's upsert; MySQL's ON DUPLICATE KEY UPDATE is not converted",
  fullJoin: 'MySQL has no FULL JOIN (it reads FULL as a table alias); it is not converted',
  anyArray: '= ANY(array) needs PostgreSQL arrays, which MySQL does not have; it is not converted',
  unnamedColumn:
    'MySQL names an unaliased computed column after its exact text, which Kysely cannot reproduce; add an alias (… AS name) to convert it',
} as const;

/** Refuses `difference` when the statement is MySQL's. */
export function refuseOnMysql(ctx: RenderContext, difference: keyof typeof REASONS): void {
  if (ctx.dialect === 'mysql') refuse(REASONS[difference]);
}
