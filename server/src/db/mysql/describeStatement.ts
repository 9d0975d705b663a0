import type { StatementDescription } from '../driver';

/** The parts of a COM_STMT_PREPARE column definition the description needs (mysql2's `ColumnDefinition`). */
export interface PreparedColumn {
  name: string;
  columnType: number;
  flags: number;
  characterSet: number;
  /** MariaDB's extended metadata: `json` for a JSON column it otherwise sends as LONGTEXT. */
  extendedFormat?: string;
}

const NOT_NULL_FLAG = 1;
/** The `binary` character set: a string type in it holds bytes (BLOB, VARBINARY, BIT). */
const BINARY_CHARSET = 63;

/** Protocol type codes → the SQL type a user wrote; string types are split on the binary character set below. */
const TYPE_NAMES: Record<number, string> = {
  0x00: 'DECIMAL',
  0x01: 'TINYINT',
  0x02: 'SMALLINT',
  0x03: 'INT',
  0x04: 'FLOAT',
  0x05: 'DOUBLE',
  0x06: 'NULL',
  0x07: 'TIMESTAMP',
  0x08: 'BIGINT',
  0x09: 'MEDIUMINT',
  0x0a: 'DATE',
  0x0b: 'TIME',
  0x0c: 'DATETIME',
  0x0d: 'YEAR',
  0x0e: 'DATE',
  0x10: 'BIT',
  0xf5: 'JSON',
  0xf6: 'DECIMAL',
  0xf7: 'ENUM',
  0xf8: 'SET',
  0xff: 'GEOMETRY',
};

const STRING_TYPES: Record<number, [text: string, binary: string]> = {
  0x0f: ['VARCHAR', 'VARBINARY'],
  0xf9: ['TEXT', 'BLOB'],
  0xfa: ['TEXT', 'BLOB'],
  0xfb: ['TEXT', 'BLOB'],
  0xfc: ['TEXT', 'BLOB'],
  0xfd: ['VARCHAR', 'VARBINARY'],
  0xfe: ['CHAR', 'BINARY'],
};

/** The SQL type name for one prepared column; `unknown` for a code this list does not know. */
export function mysqlColumnType(column: Omit<PreparedColumn, 'name' | 'flags'>): string {
  if (column.extendedFormat === 'json') return 'JSON';
  const string = STRING_TYPES[column.columnType];
  if (string) return string[column.characterSet === BINARY_CHARSET ? 1 : 0];
  return TYPE_NAMES[column.columnType] ?? 'unknown';
}

/**
 * A prepared statement's metadata as a description. The server computes NOT NULL per result
 * column (outer joins and aggregates included), so the flag is taken as is; MySQL does not type
 * parameters, so each is `unknown`.
 */
export function describeMysqlStatement(
  columns: readonly PreparedColumn[],
  parameterCount: number,
): StatementDescription {
  return {
    columns: columns.map((c) => ({
      name: c.name,
      type: mysqlColumnType(c),
      nullable: (c.flags & NOT_NULL_FLAG) === 0,
    })),
    parameters: Array.from({ length: parameterCount }, () => 'unknown'),
  };
}
