import type { Queryable } from '../driver';

/**
 * A cheap first tier in front of MariaDB's content-hash fingerprint (fingerprintQuery.ts, ~0.3 s
 * at 1,000 tables and ~0.7 s at 10,000): the server's own DDL statement counters.
 *
 * Every CREATE/ALTER/DROP/RENAME statement bumps a global `Com_*` counter when it starts, whichever
 * session runs it and however (plain, prepared, EXECUTE IMMEDIATE, inside a procedure or event).
 * Counters only grow, so their sum moves on every DDL; data writes, ANALYZE and OPTIMIZE have
 * counters of their own that are not summed. When the sum is the one seen at the last full hash,
 * that hash still holds and is returned without reading a catalog. Otherwise ("maybe") the full
 * hash runs, as it always did.
 *
 * The guards, each answering "maybe" when it cannot prove "unchanged":
 * - restart and FLUSH STATUS reset the counters: the moment of the last reset (server clock minus
 *   `Uptime_since_flush_status`) must be the baseline's, and the baseline is only kept when taken
 *   at least 3 s after a reset, so a later reset always shows (the value has 1 s resolution);
 * - a counter moves when a statement starts, not when it ends: a baseline is only kept when no
 *   other session was running anything but a plain data statement after the counters were read
 *   (an ALTER still running would otherwise be counted, hashed before it lands, then never seen);
 * - that check needs every session in the process list: without the PROCESS privilege there is
 *   no baseline, so every poll is a full hash;
 * - a full hash at least every 10 minutes anyway, for schema changes made behind the server's
 *   back (table files copied into the data directory).
 * Counters are server-wide: DDL in another database only costs a full hash, never a wrong answer.
 */

const COUNTERS = `'^COM_(CREATE|ALTER|DROP|RENAME)_'`;

export const ddlCountersQuery = `
SELECT UNIX_TIMESTAMP(NOW(6)) AS server_now,
       MAX(IF(VARIABLE_NAME = 'UPTIME_SINCE_FLUSH_STATUS', VARIABLE_VALUE, NULL)) AS since_reset,
       SUM(IF(VARIABLE_NAME REGEXP ${COUNTERS}, VARIABLE_VALUE, 0)) AS ddl_statements
FROM information_schema.GLOBAL_STATUS
WHERE VARIABLE_NAME = 'UPTIME_SINCE_FLUSH_STATUS' OR VARIABLE_NAME REGEXP ${COUNTERS}`;

/** Leading blanks, comments and parentheses, then a statement that cannot change a schema. */
const DATA_STATEMENT = `'^([[:space:](]|/\\\\*([^*]|\\\\*+[^*/])*\\\\*+/)*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|VALUES|TABLE|SHOW|EXPLAIN|DESCRIBE|DESC|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START[[:space:]]+TRANSACTION|HANDLER|DO)\\\\b'`;

/**
 * Whether this session sees every session (PROCESS, granted to the user itself) and how many other
 * sessions run something that might be DDL: anything but idle, the server's own daemons, or a plain
 * data statement. Stored functions and triggers cannot run DDL, so a data statement is safe.
 */
export const otherStatementsQuery = `
SELECT (SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES
        WHERE PRIVILEGE_TYPE = 'PROCESS'
          AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',
                               SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')) AS sees_all,
       (SELECT COUNT(*) FROM information_schema.PROCESSLIST
        WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump')
          AND COALESCE(INFO, '') NOT REGEXP ${DATA_STATEMENT}) AS running`;

/** One reading of the counters, in the server's clock. */
export interface CounterReading {
  /** The sum of the DDL counters. */
  ddlStatements: number;
  /** Server time (s) of the last restart or FLUSH STATUS, ±1 s. */
  resetAt: number;
  sinceReset: number;
}

interface Baseline extends CounterReading {
  fingerprint: string;
  takenAt: number;
}

const MIN_SINCE_RESET_S = 3;
const RESET_TOLERANCE_S = 1.5;
const FULL_HASH_AT_LEAST_EVERY_MS = 10 * 60_000;

export function readingFrom(row: Record<string, unknown> | undefined): CounterReading | undefined {
  const now = Number(row?.server_now);
  const sinceReset = Number(row?.since_reset);
  const ddlStatements = Number(row?.ddl_statements);
  if (![now, sinceReset, ddlStatements].every(Number.isFinite)) return undefined;
  return { ddlStatements, resetAt: now - sinceReset, sinceReset };
}

/** The per-session state of the tier: the counters at the last full hash that may be trusted. */
export class DdlCounterTier {
  private baseline: Baseline | undefined;

  /** The fingerprint: the last full hash when the counters prove nothing changed, else `fullHash()`. */
  async fingerprint(query: Queryable, fullHash: () => Promise<string>, now = Date.now()): Promise<string> {
    this.baseline =
      this.baseline && now - this.baseline.takenAt < FULL_HASH_AT_LEAST_EVERY_MS ? this.baseline : undefined;
    const reading = readingFrom((await query(ddlCountersQuery))[0]);
    if (reading && this.unchangedSince(reading)) return this.baseline!.fingerprint;
    this.baseline = undefined;
    const quiet = reading ? await this.othersQuiet(query) : false;
    const fingerprint = await fullHash();
    if (reading && quiet && reading.sinceReset >= MIN_SINCE_RESET_S)
      this.baseline = { ...reading, fingerprint, takenAt: now };
    return fingerprint;
  }

  private unchangedSince(reading: CounterReading): boolean {
    const baseline = this.baseline;
    return (
      baseline !== undefined &&
      reading.ddlStatements === baseline.ddlStatements &&
      Math.abs(reading.resetAt - baseline.resetAt) < RESET_TOLERANCE_S
    );
  }

  private async othersQuiet(query: Queryable): Promise<boolean> {
    const [row] = await query(otherStatementsQuery);
    return Number(row?.sees_all) > 0 && Number(row?.running) === 0;
  }
}
