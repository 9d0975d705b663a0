/**
 * Catalog column types (as `format_type` / MySQL's COLUMN_TYPE spell them) → SQLAlchemy's generic
 * types, written as Python. Generic types keep the module portable; what has no generic type
 * becomes `NullType`, which SQLAlchemy passes through untouched.
 */
import type { Dialect, EnumType } from '../../schema/snapshot';
import { pythonString } from './pythonNames';

const POSTGRES_TYPES: Record<string, string> = {
  smallint: 'SmallInteger',
  integer: 'Integer',
  bigint: 'BigInteger',
  real: 'Float',
  'double precision': 'Float',
  numeric: 'Numeric',
  text: 'Text',
  'character varying': 'String',
  character: 'String',
  boolean: 'Boolean',
  date: 'Date',
  'timestamp without time zone': 'DateTime',
  'timestamp with time zone': 'DateTime(timezone=True)',
  'time without time zone': 'Time',
  'time with time zone': 'Time(timezone=True)',
  interval: 'Interval',
  bytea: 'LargeBinary',
  json: 'JSON',
  jsonb: 'JSON',
};

/**
 * MySQL and MariaDB. `tinyint(1)` (what BOOLEAN means there) stays an integer type, as SQLAlchemy's
 * own reflection reads it: MySQL treats any non-zero value as true, and a `Boolean` column would
 * turn `WHERE flag` into `WHERE flag = 1`.
 */
const MYSQL_TYPES: Record<string, string> = {
  tinyint: 'SmallInteger',
  smallint: 'SmallInteger',
  mediumint: 'Integer',
  int: 'Integer',
  integer: 'Integer',
  bigint: 'BigInteger',
  year: 'Integer',
  float: 'Float',
  double: 'Float',
  decimal: 'Numeric',
  numeric: 'Numeric',
  char: 'String',
  varchar: 'String',
  tinytext: 'Text',
  text: 'Text',
  mediumtext: 'Text',
  longtext: 'Text',
  date: 'Date',
  datetime: 'DateTime',
  timestamp: 'DateTime',
  time: 'Time',
  binary: 'LargeBinary',
  varbinary: 'LargeBinary',
  tinyblob: 'LargeBinary',
  blob: 'LargeBinary',
  mediumblob: 'LargeBinary',
  longblob: 'LargeBinary',
  json: 'JSON',
};

/** The SQLAlchemy type expression for a column type; `enums` are the snapshot's PostgreSQL enums. */
export function pythonColumnType(type: string, dialect: Dialect, enums: readonly EnumType[]): string {
  return dialect === 'postgres' ? postgresType(type.trim(), enums) : mysqlType(type.trim().toLowerCase());
}

function postgresType(type: string, enums: readonly EnumType[]): string {
  if (type.endsWith('[]')) {
    const element = postgresType(type.replace(/(\[\])+$/, ''), enums);
    const dimensions = (type.match(/\[\]/g) ?? []).length;
    if (element === 'NullType') return 'NullType';
    return dimensions === 1 ? `ARRAY(${element})` : `ARRAY(${element}, dimensions=${dimensions})`;
  }
  const match = /^([a-z ]+?)(?:\((\d+)(?:,\s*(\d+))?\))?( with(?:out)? time zone)?$/.exec(type);
  if (match) {
    const base = match[1] + (match[4] ?? '');
    const mapped = POSTGRES_TYPES[base];
    if (mapped === 'String' && match[2]) return `String(${match[2]})`;
    if (mapped === 'Numeric' && match[2]) return `Numeric(${match[2]}, ${match[3] ?? '0'})`;
    if (mapped && !match[2]) return mapped;
    // timestamp(3) and friends: the precision does not change how SQLAlchemy binds or reads them.
    if (mapped && /^(timestamp|time)/.test(base)) return mapped;
  }
  const enumType = enums.find(
    (candidate) => type === candidate.name || type === `${candidate.schema}.${candidate.name}`,
  );
  if (enumType) {
    const values = enumType.values.map(pythonString).join(', ');
    const schema = enumType.schema === 'public' ? '' : `, schema=${pythonString(enumType.schema)}`;
    return `Enum(${values}, name=${pythonString(enumType.name)}${schema})`;
  }
  return 'NullType';
}

function mysqlType(type: string): string {
  const match = /^([a-z]+)(?:\(([^)]*)\))?( unsigned)?( zerofill)?$/.exec(type);
  if (!match) return 'NullType';
  const [, base, args] = match;
  if (base === 'enum' && args !== undefined) {
    const values = [...args.matchAll(/'((?:[^']|'')*)'/g)].map((value) => pythonString(value[1].replace(/''/g, "'")));
    return `Enum(${values.join(', ')})`;
  }
  const mapped = MYSQL_TYPES[base];
  if (!mapped) return 'NullType';
  if (mapped === 'String' && args) return `String(${args})`;
  if (mapped === 'Numeric' && args)
    return `Numeric(${args
      .split(',')
      .map((part) => part.trim())
      .join(', ')})`;
  return mapped;
}
