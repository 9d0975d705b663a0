import type { StatementDescription } from '../db/driver';
import type { Dialect } from '../schema/snapshot';

/**
 * The row of a statement as a Python `TypedDict`, with the types psycopg2 and PyMySQL return by
 * default per database type (`Any` where that is not fixed: json, arrays, types not listed). A
 * TypedDict describes dict rows (psycopg2's RealDictCursor/DictCursor, PyMySQL's DictCursor),
 * which is how Python code names columns; the default cursors give positional tuples.
 */

const PSYCOPG2: Record<string, string> = {
  int2: 'int',
  int4: 'int',
  int8: 'int',
  oid: 'int',
  float4: 'float',
  float8: 'float',
  numeric: 'Decimal',
  money: 'str',
  bool: 'bool',
  text: 'str',
  varchar: 'str',
  bpchar: 'str',
  char: 'str',
  name: 'str',
  citext: 'str',
  enum: 'str',
  uuid: 'str',
  inet: 'str',
  cidr: 'str',
  macaddr: 'str',
  xml: 'str',
  date: 'datetime.date',
  timestamp: 'datetime.datetime',
  timestamptz: 'datetime.datetime',
  time: 'datetime.time',
  timetz: 'datetime.time',
  interval: 'datetime.timedelta',
  bytea: 'memoryview',
};

/** PyMySQL's default converters; TIME is a timedelta there, JSON and SET arrive as text. */
const PYMYSQL: Record<string, string> = {
  TINYINT: 'int',
  SMALLINT: 'int',
  MEDIUMINT: 'int',
  INT: 'int',
  YEAR: 'int',
  BIGINT: 'int',
  FLOAT: 'float',
  DOUBLE: 'float',
  DECIMAL: 'Decimal',
  DATE: 'datetime.date',
  DATETIME: 'datetime.datetime',
  TIMESTAMP: 'datetime.datetime',
  TIME: 'datetime.timedelta',
  CHAR: 'str',
  VARCHAR: 'str',
  TEXT: 'str',
  ENUM: 'str',
  SET: 'str',
  JSON: 'str',
  BINARY: 'bytes',
  VARBINARY: 'bytes',
  BLOB: 'bytes',
  BIT: 'bytes',
  NULL: 'None',
};

/** The imports a type needs, as the lines that provide them. */
const IMPORTS: Record<string, string> = {
  Decimal: 'from decimal import Decimal',
  datetime: 'import datetime',
  Any: 'from typing import Any',
};

export interface PythonRowType {
  /** The class, one line per entry, without indentation. */
  lines: string[];
  /** Import lines it needs (`from typing import TypedDict` first). */
  imports: string[];
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;
const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** The TypedDict for a described row; undefined when two columns share a name (the dict keeps one). */
export function pythonTypedDict(
  className: string,
  description: StatementDescription,
  dialect: Dialect,
): PythonRowType | undefined {
  const names = description.columns.map((c) => c.name);
  if (new Set(names).size !== names.length) return undefined;
  const map = dialect === 'mysql' ? PYMYSQL : PSYCOPG2;
  const fields = description.columns.map((c) => {
    const base = map[c.type] ?? 'Any';
    return { name: c.name, type: c.nullable && base !== 'Any' && base !== 'None' ? `${base} | None` : base };
  });
  const imports = ['from typing import TypedDict'];
  for (const [word, line] of Object.entries(IMPORTS))
    if (fields.some((f) => f.type.split(/[ .|]+/).includes(word))) imports.push(line);
  const plain = names.every((n) => IDENTIFIER.test(n) && !KEYWORDS.has(n));
  const lines = plain
    ? [`class ${className}(TypedDict):`, ...fields.map((f) => `    ${f.name}: ${f.type}`)]
    : [
        `${className} = TypedDict('${className}', {${fields.map((f) => `${JSON.stringify(f.name)}: ${f.type}`).join(', ')}})`,
      ];
  return { lines, imports };
}
