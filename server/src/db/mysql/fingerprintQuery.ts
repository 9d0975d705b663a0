import { innodbSchemaPattern } from './catalogQueries';

/**
 * The change signal for MySQL/MariaDB: one query returning, per schema and per catalog kind, the
 * row count and an order-independent sum of 64-bit MD5 prefixes of exactly the catalog columns
 * discovery reads (plus collation and generation expression). Equal content gives an equal value.
 *
 * Why a content hash and not `TABLES.CREATE_TIME` (what catalog-notes.md measured):
 * - CREATE_TIME moves on maintenance: OPTIMIZE TABLE on InnoDB recreates the table and gives it a
 *   new CREATE_TIME, which would force a spurious re-discovery;
 * - it has one-second resolution: two DDLs in one second, polled in between, look like one, so it
 *   would need a re-check whenever the newest change is under a second old. A content hash has no
 *   clock: every DDL that changes what discovery would read changes the hash, however close;
 * - reading it opens every table: 2.3 s at 10,000 tables with the default table_open_cache (2,000),
 *   and it evicts the application's own tables from that cache on every poll.
 * Every column hashed here is answered from the table definition (EXPLAIN: `Open_frm_only`) or
 * InnoDB's in-memory dictionary, so polling never opens tables; data writes, ANALYZE and OPTIMIZE
 * change none of them (row counts, cardinality, AUTO_INCREMENT and timestamps are left out).
 * Cost: one scan of the definitions, about 0.7 s at 10,000 tables on MariaDB, with one row back.
 * CHECK constraints are not hashed: reading them opens every table, and snapshots do not hold them.
 * Without the PROCESS privilege (or for schema names that need file-name encoding) foreign keys
 * are hashed from information_schema, which is correct but opens tables on MariaDB.
 */
export function mysqlFingerprintQuery(
  schemas: readonly string[],
  innodbForeignKeys: boolean,
): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  for (const schema of schemas) {
    const add = (table: string, columns: string[], where: string, value: string) => {
      parts.push(`(SELECT ${digest(columns)} FROM information_schema.${table} WHERE ${where})`);
      params.push(value);
    };
    add('SCHEMATA', ['SCHEMA_NAME'], 'SCHEMA_NAME = ?', schema);
    add('TABLES', ['TABLE_NAME', 'TABLE_TYPE', 'TABLE_COMMENT'], 'TABLE_SCHEMA = ?', schema);
    add('COLUMNS', COLUMN_FIELDS, 'TABLE_SCHEMA = ?', schema);
    add('STATISTICS', INDEX_FIELDS, 'TABLE_SCHEMA = ?', schema);
    const pattern = innodbForeignKeys ? innodbSchemaPattern(schema) : undefined;
    if (pattern !== undefined) {
      add('INNODB_SYS_FOREIGN', ['ID', 'FOR_NAME', 'REF_NAME', 'TYPE'], 'ID LIKE ?', pattern);
      add('INNODB_SYS_FOREIGN_COLS', ['ID', 'FOR_COL_NAME', 'REF_COL_NAME', 'POS'], 'ID LIKE ?', pattern);
    } else {
      add('REFERENTIAL_CONSTRAINTS', REFERENTIAL_FIELDS, 'CONSTRAINT_SCHEMA = ?', schema);
      add('KEY_COLUMN_USAGE', KEY_COLUMN_FIELDS, 'TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL', schema);
    }
    add('VIEWS', ['TABLE_NAME', 'VIEW_DEFINITION'], 'TABLE_SCHEMA = ?', schema);
    add('ROUTINES', ['ROUTINE_NAME', 'ROUTINE_TYPE', 'LAST_ALTERED'], 'ROUTINE_SCHEMA = ?', schema);
  }
  return { sql: `SELECT CONCAT_WS('|', ${parts.join(',\n  ')}) AS fingerprint`, params };
}

const COLUMN_FIELDS = [
  'TABLE_NAME',
  'COLUMN_NAME',
  'ORDINAL_POSITION',
  'COLUMN_DEFAULT',
  'IS_NULLABLE',
  'COLUMN_TYPE',
  'COLLATION_NAME',
  'EXTRA',
  'COLUMN_COMMENT',
  'GENERATION_EXPRESSION',
];
const INDEX_FIELDS = ['TABLE_NAME', 'INDEX_NAME', 'NON_UNIQUE', 'SEQ_IN_INDEX', 'COLUMN_NAME', 'SUB_PART'];
const REFERENTIAL_FIELDS = ['CONSTRAINT_NAME', 'TABLE_NAME', 'REFERENCED_TABLE_NAME', 'UPDATE_RULE', 'DELETE_RULE'];
const KEY_COLUMN_FIELDS = [
  'CONSTRAINT_NAME',
  'TABLE_NAME',
  'COLUMN_NAME',
  'ORDINAL_POSITION',
  'REFERENCED_TABLE_SCHEMA',
  'REFERENCED_TABLE_NAME',
  'REFERENCED_COLUMN_NAME',
];

/**
 * `count:sum` of per-row hashes. QUOTE keeps NULL apart from the text 'NULL' (CONCAT_WS alone
 * skips NULLs); the sum is a DECIMAL, so it never overflows.
 */
function digest(columns: string[]): string {
  const row = `CONCAT_WS(',', ${columns.map((c) => `QUOTE(${c})`).join(', ')})`;
  return `CONCAT(COUNT(*), ':', COALESCE(SUM(CAST(CONV(LEFT(MD5(${row}), 16), 16, 10) AS UNSIGNED)), 0))`;
}
