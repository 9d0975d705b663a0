/**
 * Catalog column types (as `format_type` / MySQL's COLUMN_TYPE spell them) → the TypeScript type
 * the driver hands back (`pg`, `mysql2` with their default settings), for a Kysely `DB` interface.
 * Where the driver returns text for exactness (numeric, PostgreSQL bigint) or a `Date`, the column
 * is a `ColumnType` alias that also accepts what SQL accepts on insert and update.
 */
import type { Dialect, Domain, EnumType } from '../../schema/snapshot';

/** Type aliases the module declares when a column uses them (name → declaration). */
export const TYPE_ALIASES = {
  Numeric: 'ColumnType<string, number | string, number | string>',
  Int8: 'ColumnType<string, bigint | number | string, bigint | number | string>',
  Timestamp: 'ColumnType<Date, Date | string, Date | string>',
} as const;

export type TypeAlias = keyof typeof TYPE_ALIASES;

/** A column's TypeScript type, and the alias it needs declared. */
export interface MappedType {
  type: string;
  alias?: TypeAlias;
}

const POSTGRES_TYPES: Record<string, MappedType> = {
  smallint: { type: 'number' },
  integer: { type: 'number' },
  bigint: { type: 'Int8', alias: 'Int8' },
  real: { type: 'number' },
  'double precision': { type: 'number' },
  oid: { type: 'number' },
  numeric: { type: 'Numeric', alias: 'Numeric' },
  money: { type: 'string' },
  text: { type: 'string' },
  'character varying': { type: 'string' },
  character: { type: 'string' },
  '"char"': { type: 'string' },
  name: { type: 'string' },
  citext: { type: 'string' },
  uuid: { type: 'string' },
  inet: { type: 'string' },
  cidr: { type: 'string' },
  macaddr: { type: 'string' },
  xml: { type: 'string' },
  tsvector: { type: 'string' },
  bit: { type: 'string' },
  'bit varying': { type: 'string' },
  'time without time zone': { type: 'string' },
  'time with time zone': { type: 'string' },
  boolean: { type: 'boolean' },
  date: { type: 'Timestamp', alias: 'Timestamp' },
  'timestamp without time zone': { type: 'Timestamp', alias: 'Timestamp' },
  'timestamp with time zone': { type: 'Timestamp', alias: 'Timestamp' },
  bytea: { type: 'Buffer' },
  json: { type: 'unknown' },
  jsonb: { type: 'unknown' },
};

/** mysql2 returns numbers for every integer type (BOOLEAN is `tinyint(1)`), text for DECIMAL, Buffers for BIT. */
const MYSQL_TYPES: Record<string, MappedType> = {
  tinyint: { type: 'number' },
  smallint: { type: 'number' },
  mediumint: { type: 'number' },
  int: { type: 'number' },
  integer: { type: 'number' },
  bigint: { type: 'number' },
  year: { type: 'number' },
  float: { type: 'number' },
  double: { type: 'number' },
  real: { type: 'number' },
  decimal: { type: 'Numeric', alias: 'Numeric' },
  numeric: { type: 'Numeric', alias: 'Numeric' },
  char: { type: 'string' },
  varchar: { type: 'string' },
  tinytext: { type: 'string' },
  text: { type: 'string' },
  mediumtext: { type: 'string' },
  longtext: { type: 'string' },
  set: { type: 'string' },
  time: { type: 'string' },
  date: { type: 'Timestamp', alias: 'Timestamp' },
  datetime: { type: 'Timestamp', alias: 'Timestamp' },
  timestamp: { type: 'Timestamp', alias: 'Timestamp' },
  bit: { type: 'Buffer' },
  binary: { type: 'Buffer' },
  varbinary: { type: 'Buffer' },
  tinyblob: { type: 'Buffer' },
  blob: { type: 'Buffer' },
  mediumblob: { type: 'Buffer' },
  longblob: { type: 'Buffer' },
  json: { type: 'unknown' },
};

/** What the TypeScript side of a column type is; `unknown` for types the module does not know. */
export function typescriptColumnType(
  type: string,
  dialect: Dialect,
  catalog: { enums: readonly EnumType[]; domains: readonly Domain[] },
): MappedType {
  return dialect === 'postgres' ? postgresType(type.trim(), catalog, 0) : mysqlType(type.trim().toLowerCase());
}

function postgresType(
  type: string,
  catalog: { enums: readonly EnumType[]; domains: readonly Domain[] },
  depth: number,
): MappedType {
  if (type.endsWith('[]')) {
    // Array elements come back as the element's select type; an alias cannot be an element.
    const element = postgresType(type.replace(/(\[\])+$/, ''), catalog, depth);
    const dimensions = (type.match(/\[\]/g) ?? []).length;
    const base = element.alias ? selectTypeOf(element.alias) : element.type;
    return { type: `${/[ |]/.test(base) ? `(${base})` : base}${'[]'.repeat(dimensions)}` };
  }
  const mapped = POSTGRES_TYPES[type.replace(/\(\d+(?:,\s*\d+)?\)/, '')];
  if (mapped) return mapped;
  const named = (candidate: { schema: string; name: string }) =>
    type === candidate.name || type === `${candidate.schema}.${candidate.name}`;
  const enumType = catalog.enums.find(named);
  if (enumType) return { type: enumType.values.map(typescriptString).join(' | ') || 'string' };
  const domain = catalog.domains.find(named);
  if (domain && depth < 5) return postgresType(domain.baseType, catalog, depth + 1);
  return { type: 'unknown' };
}

function mysqlType(type: string): MappedType {
  const match = /^([a-z]+)(?:\(([^)]*)\))?( unsigned)?( zerofill)?$/.exec(type);
  if (!match) return { type: 'unknown' };
  const [, base, args] = match;
  if (base === 'enum' && args !== undefined) {
    const values = [...args.matchAll(/'((?:[^']|'')*)'/g)].map((value) =>
      typescriptString(value[1].replace(/''/g, "'")),
    );
    return { type: values.join(' | ') || 'string' };
  }
  return MYSQL_TYPES[base] ?? { type: 'unknown' };
}

/** The type a `ColumnType` alias reads as. */
function selectTypeOf(alias: TypeAlias): string {
  return /^ColumnType<([^,]+),/.exec(TYPE_ALIASES[alias])?.[1] ?? 'unknown';
}

/** A TypeScript string literal in single quotes. */
export function typescriptString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
