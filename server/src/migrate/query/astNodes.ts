/**
 * Reading libpg-query's JSON AST for the Kysely generator, and the refusal that stops a
 * conversion which could not be faithful.
 */

/** A libpg-query node: `{ Kind: { …fields } }`; its fields object is a `Fields`. */
export type Fields = Record<string, unknown>;

/** Thrown while walking the AST when a construct cannot be converted faithfully. */
export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** `{ Kind: fields }` → [Kind, fields]. */
export function unwrap(node: unknown): [string, Fields] {
  if (!node || typeof node !== 'object') refuse('the statement has a part the generator does not understand');
  const key = Object.keys(node)[0];
  return [key, (node as Fields)[key] as Fields];
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The `sval` of a `String` node. */
export function stringValue(node: unknown): string {
  const [kind, fields] = unwrap(node);
  if (kind !== 'String') refuse(`unexpected ${kind} where a name was expected`);
  return (fields.sval as string | undefined) ?? '';
}

/** Names Kysely can carry in its reference strings (`table.column as alias`) without splitting them wrongly. */
export function safeName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name))
    refuse(`the name "${name}" cannot be written in a Kysely reference string`);
  return name;
}

/** A JavaScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** The qualified name of a `RangeVar` (`schema.table`), refusing `ONLY` and other modifiers. */
export function relationName(rangeVar: Fields): string {
  // libpg-query leaves `inh` out for ONLY (no inheritance children).
  if (rangeVar.inh !== true) refuse('ONLY (no inheritance children) has no Kysely equivalent');
  if (rangeVar.catalogname) refuse('a database-qualified table name has no Kysely equivalent');
  const alias = rangeVar.alias as Fields | undefined;
  if (alias && list(alias.colnames).length > 0)
    refuse('column aliases on a table (t AS x(a, b)) have no Kysely equivalent');
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
