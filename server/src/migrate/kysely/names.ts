/** Table and column names as Kysely's reference strings spell them (`schema.table as alias`). */
import { quote } from '../javascriptString';
import { refuse, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';

/**
 * Names Kysely can carry in its reference strings (`schema.table.column as alias`) without splitting
 * them wrongly: Kysely splits those strings on `.` and ` as ` and trims the parts, so a name with a
 * space inside (`"Display Name"`) passes, one with a dot, ` as ` or an outer space does not.
 */
export function safeName(name: string): string {
  if (name === '' || name !== name.trim() || name.includes('.') || / as /i.test(name) || name === '*')
    refuse(REFUSAL.kyselyName(name));
  return name;
}

/** The qualified name of a `RangeVar` (`schema.table`). */
export function relationName(rangeVar: Fields): string {
  const table = safeName(rangeVar.relname as string);
  const schema = rangeVar.schemaname as string | undefined;
  return schema ? `${safeName(schema)}.${table}` : table;
}

/** `table` or `table as alias`, as Kysely's table expressions spell it. */
export function tableExpression(rangeVar: Fields): string {
  const name = relationName(rangeVar);
  const alias = (rangeVar.alias as Fields | undefined)?.aliasname as string | undefined;
  return alias ? `${name} as ${safeName(alias)}` : name;
}

/** JavaScript property keys for column names. */
export function propertyKey(column: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(column) ? column : quote(column);
}
