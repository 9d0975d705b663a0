import type { Dialect } from '../schema/snapshot';

/**
 * What node-postgres (default type parsers) returns at run time per PostgreSQL type name; a
 * type not listed is `unknown`, never a guess. `int8` and `numeric` are strings because a JS
 * number would lose digits; `date` becomes a Date at local midnight. Arrays are parsed only for
 * the element types node-postgres registers; any other array (an enum's, say) arrives as text.
 */
const NODE_POSTGRES: Record<string, string> = {
  int2: 'number',
  int4: 'number',
  oid: 'number',
  float4: 'number',
  float8: 'number',
  int8: 'string',
  numeric: 'string',
  money: 'string',
  bool: 'boolean',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  char: 'string',
  name: 'string',
  uuid: 'string',
  citext: 'string',
  enum: 'string',
  time: 'string',
  timetz: 'string',
  inet: 'string',
  cidr: 'string',
  macaddr: 'string',
  xml: 'string',
  date: 'Date',
  timestamp: 'Date',
  timestamptz: 'Date',
  bytea: 'Buffer',
  json: 'unknown',
  jsonb: 'unknown',
  void: 'string',
};

const NODE_POSTGRES_ARRAYS = new Set([
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'bool',
  'text',
  'varchar',
  'bpchar',
  'uuid',
  'date',
  'timestamp',
  'timestamptz',
  'bytea',
  'json',
  'jsonb',
]);

/**
 * What mysql2 returns from `query` with its default options: BIGINT as a number (exact only up
 * to 2^53; `supportBigNumbers` changes it), DECIMAL as a string, dates as Date, TIME as text,
 * binary strings and BIT as Buffer, JSON parsed (MariaDB sends JSON as LONGTEXT marked `json` in
 * its extended metadata, which mysql2 reads, so it is parsed there too).
 */
const MYSQL2: Record<string, string> = {
  TINYINT: 'number',
  SMALLINT: 'number',
  MEDIUMINT: 'number',
  INT: 'number',
  YEAR: 'number',
  BIGINT: 'number',
  FLOAT: 'number',
  DOUBLE: 'number',
  DECIMAL: 'string',
  DATE: 'Date',
  DATETIME: 'Date',
  TIMESTAMP: 'Date',
  TIME: 'string',
  CHAR: 'string',
  VARCHAR: 'string',
  TEXT: 'string',
  ENUM: 'string',
  SET: 'string',
  BINARY: 'Buffer',
  VARBINARY: 'Buffer',
  BLOB: 'Buffer',
  BIT: 'Buffer',
  JSON: 'unknown',
  NULL: 'null',
};

/** The TypeScript type the dialect's Node driver returns for a database type name. */
export function driverTypeFor(dialect: Dialect, databaseType: string): string {
  if (dialect === 'mysql') return MYSQL2[databaseType] ?? 'unknown';
  if (databaseType.endsWith('[]')) {
    const element = databaseType.slice(0, -2);
    if (!NODE_POSTGRES_ARRAYS.has(element)) return 'unknown';
    const type = NODE_POSTGRES[element];
    return type === 'unknown' ? 'unknown[]' : `${type}[]`;
  }
  return NODE_POSTGRES[databaseType] ?? 'unknown';
}
