/**
 * The name environment of one query level: its sources (tables, derived tables, CTE references,
 * opaque functions) and the namespace unqualified column names are looked up in.
 */
import type { Relation } from '../../schema/snapshot';

/** Columns a source provides: comparison key → how often (2+ = ambiguous), and display names. */
export interface ColumnSet {
  counts: Map<string, number>;
  names: string[];
  /** Some columns are unknown: a name not found may still exist. */
  open: boolean;
  /** How many columns there are, when that is certain though some names are not (`SELECT 1, id`). */
  width?: number;
  comments?: Map<string, string | null>;
}

export interface Source {
  /** Key of the name it is referenced by (alias or table name); undefined for an unnamed subquery. */
  refKey?: string;
  /** For an unaliased table: its schema's key, so `schema.table.column` finds it. */
  schemaKey?: string;
  /** How messages name it: `"orders"` or `"orders" (alias "o")`. */
  label: string;
  columns: ColumnSet;
  relation?: Relation;
}

/** Unqualified lookup: key → the sources providing it (USING/NATURAL merge the two sides into one). */
export interface Namespace {
  entries: Map<string, { count: number; sources: Source[] }>;
  /** A source with unknown columns takes part: a name not found may be there. */
  open: boolean;
  /** NATURAL join over an open side: which names merge is unknown, so ambiguity is not claimed. */
  ambiguityUnknown: boolean;
}

export function columnSet(names: string[], key: (s: string) => string, open: boolean): ColumnSet {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(key(n), (counts.get(key(n)) ?? 0) + 1);
  return { counts, names, open };
}

export const OPEN_COLUMNS: ColumnSet = { counts: new Map(), names: [], open: true };

/** PostgreSQL system columns every table (not view) has. */
const PG_SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);

export function relationColumns(relation: Relation, key: (s: string) => string, postgres: boolean): ColumnSet {
  const set = columnSet(
    relation.columns.map((c) => c.name),
    key,
    false,
  );
  set.comments = new Map(relation.columns.map((c) => [c.name, c.comment]));
  if (postgres && relation.kind !== 'view')
    for (const c of PG_SYSTEM_COLUMNS) if (!set.counts.has(c)) set.counts.set(c, 1);
  return set;
}

export function namespaceOf(source: Source): Namespace {
  const entries = new Map<string, { count: number; sources: Source[] }>();
  for (const [k, count] of source.columns.counts) entries.set(k, { count, sources: [source] });
  return { entries, open: source.columns.open, ambiguityUnknown: false };
}

/** No USING columns: what comma-separated FROM items and plain joins merge. */
export const NO_MERGE: ReadonlySet<string> = new Set();

/** Combines two sides of a join (or two comma-separated FROM items: `merge` empty). */
export function combine(left: Namespace, right: Namespace, merge: ReadonlySet<string> | 'natural'): Namespace {
  // The first FROM item joins an empty namespace: share its entries (namespaces are never changed in place).
  if (left.entries.size === 0 && merge !== 'natural')
    return {
      entries: right.entries,
      open: left.open || right.open,
      ambiguityUnknown: left.ambiguityUnknown || right.ambiguityUnknown,
    };
  const entries = new Map(left.entries);
  for (const [k, e] of right.entries) {
    const l = entries.get(k);
    const merged = merge === 'natural' ? l !== undefined : merge.has(k);
    if (!l) entries.set(k, e);
    else if (merged) entries.set(k, { count: 1, sources: [...l.sources, ...e.sources] });
    else entries.set(k, { count: l.count + e.count, sources: [...l.sources, ...e.sources] });
  }
  return {
    entries,
    open: left.open || right.open,
    ambiguityUnknown:
      left.ambiguityUnknown || right.ambiguityUnknown || (merge === 'natural' && (left.open || right.open)),
  };
}

export function emptyNamespace(): Namespace {
  return { entries: new Map(), open: false, ambiguityUnknown: false };
}

/** The columns `*` expands to over a namespace (merged USING columns once). */
export function starColumns(ns: Namespace, sources: Source[], key: (s: string) => string): ColumnSet {
  const names: string[] = [];
  const counts = new Map<string, number>();
  for (const source of sources)
    for (const name of source.columns.names) {
      const k = key(name);
      if (ns.entries.get(k)?.count === 1 && counts.has(k)) continue;
      names.push(name);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  return { counts, names, open: ns.open };
}
