/**
 * What the Knex generator knows while rendering one statement, and how names are written in
 * Knex's identifier strings (`'schema.table as alias'`, `'t.column'`).
 */
import type { Dialect } from '../../schema/snapshot';
import { quote } from '../javascriptString';
import { list, refuse, stringValue, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';

export interface KnexContext {
  dialect: Dialect;
  /** Host-language expressions for `$1`, `$2`, … (index 0 is `$1`). */
  parameters: readonly string[];
  /** Parameters stand for text spliced into the SQL: only value positions may take them. */
  valuesOnly: boolean;
  /** The driver binds values typed by their JavaScript type (mysql2 `execute`): constants stay in the SQL text. */
  typedParameters: boolean;
  /** The expression holding the `knex` instance (or a transaction) in the generated code. */
  instance: string;
  /**
   * Whether the names of the SELECT's output columns are seen: true for the statement and for
   * subqueries in FROM and WITH, false inside IN, EXISTS and scalar subqueries.
   */
  outputNamed: boolean;
  /** Builder code for a nested SELECT (the select renderer, passed in to keep the modules acyclic). */
  subquery(stmt: Fields, ctx: KnexContext): string;
}

/**
 * A name as Knex writes it from an identifier string. Knex splits those strings on `.` and on
 * ` as `, trims them, treats `*` as the star and rewrites `?` into placeholders, so a name with any
 * of those could only be written through `knex.raw`.
 */
export function knexName(name: string): string {
  if (
    name === '' ||
    name === '*' ||
    name !== name.trim() ||
    /[.?]/.test(name) ||
    / as /i.test(name) ||
    name.includes('\\')
  ) {
    refuse(REFUSAL.knexName(name));
  }
  return name;
}

/** A column reference (`schema.table.column`) as a Knex identifier string. */
export function columnName(columnRef: Fields): string {
  return list(columnRef.fields)
    .map((part) => knexName(stringValue(part)))
    .join('.');
}

/** The table of a `RangeVar` as Knex's `'schema.table as alias'` string. */
export function tableName(rangeVar: Fields): string {
  const alias = rangeVar.alias as Fields | undefined;
  const table = knexName(rangeVar.relname as string);
  const schema = rangeVar.schemaname as string | undefined;
  const name = schema ? `${knexName(schema)}.${table}` : table;
  return alias ? `${name} as ${knexName(alias.aliasname as string)}` : name;
}

/** A JavaScript property key for a column name in `insert({...})`/`update({...})`. */
export function propertyKey(column: string): string {
  knexName(column);
  if (column === '__proto__') refuse(REFUSAL.protoKey);
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(column) ? column : quote(column);
}
