/**
 * MySQL/MariaDB catalog queries: one per object kind and schema, never one per table, each
 * filtered by `TABLE_SCHEMA = ?` (MariaDB scans a single database for `=`, every database for
 * `IN`/`LIKE`). Facts measured at 10,000 tables (shared/catalog-notes.md) decide the columns:
 *  - no two information_schema tables are joined in SQL (the second would scan every database);
 *    the client joins them by name;
 *  - only columns MariaDB answers from the table definition (EXPLAIN: `Open_frm_only`) are read.
 *    `TABLES.ENGINE`/`CREATE_TIME`, `STATISTICS.INDEX_TYPE`/`COLLATION`, `KEY_COLUMN_USAGE`,
 *    `REFERENTIAL_CONSTRAINTS` and `CHECK_CONSTRAINTS` open every table (2–3 s at 10,000 tables
 *    and a flushed table cache on the user's server), so index methods are left out on MariaDB
 *    and foreign keys come from InnoDB's dictionary where the PROCESS privilege allows.
 */

export const serverFactsQuery = `
SELECT VERSION() AS version, DATABASE() AS current_database,
       @@lower_case_table_names AS lower_case_table_names, @@GLOBAL.sql_mode AS sql_mode`;

/**
 * Functions callable everywhere, in no database: loadable functions (UDFs, needs SELECT on
 * mysql.func) and MariaDB's function plugins, which a plugin library may add (a plugin's name is its function's).
 */
export const udfsQuery = `
SELECT name FROM mysql.func
UNION SELECT PLUGIN_NAME FROM information_schema.PLUGINS WHERE PLUGIN_TYPE = 'FUNCTION'`;

export const schemaQuery = `
SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`;

/** Views report the comment `VIEW`; the client drops it. */
export const tablesQuery = `
SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_COMMENT AS comment
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`;

/** Unordered: sorting 100,000 rows is cheaper in the client than in information_schema. */
export const columnsQuery = `
SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS position, COLUMN_DEFAULT AS default_value,
       IS_NULLABLE AS nullable, COLUMN_TYPE AS type, EXTRA AS extra, COLUMN_COMMENT AS comment
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`;

/** One row per key part; MySQL 8 functional key parts have a null COLUMN_NAME. */
export const indexesQuery = `
SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS column_name
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`;

/** MySQL 8 reads the data dictionary, so the index method costs nothing there. */
export const indexesWithMethodQuery = `
SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS column_name, INDEX_TYPE AS method
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`;

export const viewsQuery = `
SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`;

export const routinesQuery = `
SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`;

/**
 * MariaDB: InnoDB's own foreign-key dictionary, 3–30 ms at any size but PROCESS-only. `ID` is
 * `<schema>/<constraint>`, table names are `<schema>/<table>` in the server's file-name encoding.
 * The parameter is a LIKE pattern for the schema prefix.
 */
export const innodbForeignKeysQuery = `
SELECT ID AS id, FOR_NAME AS table_name, REF_NAME AS referenced_name, TYPE AS type
FROM information_schema.INNODB_SYS_FOREIGN WHERE ID LIKE ?`;

export const innodbForeignKeyColumnsQuery = `
SELECT ID AS id, FOR_COL_NAME AS column_name, REF_COL_NAME AS referenced_column, POS AS pos
FROM information_schema.INNODB_SYS_FOREIGN_COLS WHERE ID LIKE ?`;

/** The portable pair: cheap on MySQL 8, opens every table on MariaDB (used there without PROCESS). */
export const referentialConstraintsQuery = `
SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS table_name, UPDATE_RULE AS on_update, DELETE_RULE AS on_delete
FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`;

export const foreignKeyColumnsQuery = `
SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS pos,
       REFERENCED_TABLE_SCHEMA AS referenced_schema, REFERENCED_TABLE_NAME AS referenced_table,
       REFERENCED_COLUMN_NAME AS referenced_column
FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`;

/** A LIKE pattern matching `<schema>/…` in InnoDB's dictionary, or undefined when the name needs file-name encoding. */
export function innodbSchemaPattern(schema: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(schema)) return undefined;
  return `${schema.replace(/_/g, '\\_')}/%`;
}
