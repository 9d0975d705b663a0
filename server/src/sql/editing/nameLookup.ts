import type { Dialect, Relation, SchemaSnapshot } from '../../schema/snapshot';

/**
 * Name rules for editing help (completion, hover, definition): how a written identifier maps to a
 * catalog name in each dialect, and which relations a possibly unqualified name can mean.
 */

/** The catalog spelling of an identifier as written: quotes removed; PG folds unquoted names to lower case. */
export function catalogName(written: string, dialect: Dialect): string {
  const first = written[0];
  if ((first === '"' && dialect === 'postgres') || (first === '`' && dialect === 'mysql')) {
    const quote = first;
    const inner = written.endsWith(quote) && written.length > 1 ? written.slice(1, -1) : written.slice(1);
    return inner.split(quote + quote).join(quote);
  }
  return dialect === 'postgres' ? written.toLowerCase() : written;
}

/** How two catalog names compare in a dialect: MySQL columns (and tables, per lower_case_table_names) ignore case. */
function sameName(a: string, b: string, ignoreCase: boolean): boolean {
  return ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

const tableNamesIgnoreCase = (s: SchemaSnapshot) => s.dialect === 'mysql' && (s.server.lowerCaseTableNames ?? 0) !== 0;

/** The schemas an unqualified table name is looked up in, in order. */
export function defaultSchemas(snapshot: SchemaSnapshot): string[] {
  if (snapshot.dialect === 'mysql') return [snapshot.server.database];
  return snapshot.server.searchPath?.length ? snapshot.server.searchPath : ['public'];
}

/** Relations by `schema\0name` (lower-cased where the dialect ignores case), built once per snapshot. */
const relationIndexes = new WeakMap<SchemaSnapshot, Map<string, Relation>>();

function relationIndex(snapshot: SchemaSnapshot): Map<string, Relation> {
  let index = relationIndexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const r of snapshot.relations) index.set(relationKey(snapshot, r.schema, r.name), r);
    relationIndexes.set(snapshot, index);
  }
  return index;
}

function relationKey(snapshot: SchemaSnapshot, schema: string, name: string): string {
  const key = `${schema}\0${name}`;
  return tableNamesIgnoreCase(snapshot) ? key.toLowerCase() : key;
}

/** The relation a (possibly schema-qualified) name refers to, following the search path. */
export function findRelationByName(
  snapshot: SchemaSnapshot,
  schema: string | undefined,
  name: string,
): Relation | undefined {
  const index = relationIndex(snapshot);
  for (const candidate of schema === undefined ? defaultSchemas(snapshot) : [schema]) {
    const found = index.get(relationKey(snapshot, candidate, name));
    if (found) return found;
  }
  return undefined;
}

export function findColumn(snapshot: SchemaSnapshot, relation: Relation, name: string) {
  return relation.columns.find((c) => sameName(c.name, name, snapshot.dialect === 'mysql'));
}

export function findSchema(snapshot: SchemaSnapshot, name: string) {
  return snapshot.schemas.find((s) => sameName(s.name, name, tableNamesIgnoreCase(snapshot)));
}

/** The relations an unqualified name reaches, per snapshot: completion asks for each of 10,000 on every keystroke. */
const visibleSets = new WeakMap<SchemaSnapshot, Set<Relation>>();

/** Relations visible without a schema prefix (those in the default schemas). */
export function isVisibleUnqualified(snapshot: SchemaSnapshot, relation: Relation): boolean {
  let visible = visibleSets.get(snapshot);
  if (!visible) {
    visible = new Set();
    for (const r of snapshot.relations) if (findRelationByName(snapshot, undefined, r.name) === r) visible.add(r);
    visibleSets.set(snapshot, visible);
  }
  return visible.has(relation);
}
