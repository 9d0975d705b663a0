/**
 * `information_schema.COLUMNS.COLUMN_DEFAULT` means different things per server, and the snapshot
 * wants one: the default as SQL expression text (`'open'`, `0`, `current_timestamp()`), or null
 * when the column has none or defaults to NULL.
 *
 * - MariaDB ≥ 10.2.7 already reports expression text: literals are quoted (`'open'`), numbers and
 *   functions bare, and an explicit `DEFAULT NULL` is the string `NULL` (a SQL NULL means no default).
 * - MySQL (and older MariaDB) report the bare value of a literal (`open`, no quotes) and mark
 *   expression defaults with `DEFAULT_GENERATED` in EXTRA (8.0.13+); `CURRENT_TIMESTAMP` on
 *   temporal columns predates that flag. A literal is quoted here so both servers read alike.
 */
export function normaliseColumnDefault(
  raw: string | null,
  columnType: string,
  extra: string,
  reportsExpressions: boolean,
): string | null {
  if (raw === null) return null;
  if (reportsExpressions) return raw === 'NULL' ? null : raw;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) return raw;
  if (TEMPORAL_TYPE.test(columnType) && /^current_timestamp(\(\d*\))?$/i.test(raw)) return raw;
  if (NUMERIC_TYPE.test(columnType) && raw !== '') return raw;
  if (/^bit\b/i.test(columnType) && /^b'[01]*'$/i.test(raw)) return raw;
  return `'${raw.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const TEMPORAL_TYPE = /^(datetime|timestamp|date|time)\b/i;
const NUMERIC_TYPE =
  /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|year|bool|boolean)\b/i;

/** MariaDB started reporting defaults as expressions (quoted literals) in 10.2.7. */
export function reportsDefaultExpressions(product: 'mysql' | 'mariadb', version: string): boolean {
  if (product !== 'mariadb') return false;
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  return major > 10 || (major === 10 && (minor > 2 || (minor === 2 && patch >= 7)));
}
