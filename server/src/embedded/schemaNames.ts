/**
 * Looking names written in code (`users`, `public.users`, `orders.total_cents`) up in a snapshot.
 * Literals match names exactly: a capitalised UI label "Orders" is not the table `orders`, even
 * where MySQL would fold the case. An unqualified name resolves along the search path.
 */
import type { Relation, SchemaSnapshot } from '../schema/snapshot';

/** A schema element a piece of code depends on. */
export interface SchemaElementRef {
  schema: string;
  table: string;
  column?: string;
}

export interface NameMatch {
  element: SchemaElementRef;
  /** The element exists only in the previous snapshot: the code refers to something that is gone. */
  goneNow: boolean;
}

/** Lookup tables over one snapshot; built once per snapshot and reused for every file. */
export class SchemaNameIndex {
  private readonly byName = new Map<string, Relation[]>();
  private readonly byQualified = new Map<string, Relation>();
  private readonly byColumn = new Map<string, Relation[]>();

  constructor(readonly snapshot: SchemaSnapshot) {
    const order = snapshot.server.searchPath ?? [snapshot.server.database];
    const rank = (schema: string): number => {
      const at = order.indexOf(schema);
      return at < 0 ? order.length : at;
    };
    // A literal naming a sequence (`nextval('orders_id_seq')`) is no hard-coded table.
    const relations = snapshot.relations
      .filter((relation) => relation.kind !== 'sequence')
      .sort((a, b) => rank(a.schema) - rank(b.schema));
    for (const relation of relations) {
      push(this.byName, relation.name, relation);
      this.byQualified.set(`${relation.schema}.${relation.name}`, relation);
      for (const column of relation.columns) push(this.byColumn, column.name, relation);
    }
  }

  /** Relations called `name`, search-path order first. */
  tables(name: string): Relation[] {
    return this.byName.get(name) ?? [];
  }

  table(schema: string, name: string): Relation | undefined {
    return this.byQualified.get(`${schema}.${name}`);
  }

  /** Relations having a column called `name`. */
  tablesWithColumn(name: string): Relation[] {
    return this.byColumn.get(name) ?? [];
  }

  columnOf(relation: Relation, name: string): string | undefined {
    return relation.columns.find((c) => c.name === name)?.name;
  }

  /**
   * Resolves `table`, `schema.table`, `table.column` or `schema.table.column`. A bare column name
   * is not resolved here: on its own it names nothing in particular.
   */
  resolve(parts: string[]): SchemaElementRef | undefined {
    if (parts.length === 1) {
      const relation = this.tables(parts[0])[0];
      return relation && { schema: relation.schema, table: relation.name };
    }
    if (parts.length === 2) {
      const qualified = this.table(parts[0], parts[1]);
      if (qualified) return { schema: qualified.schema, table: qualified.name };
      for (const relation of this.tables(parts[0])) {
        const column = this.columnOf(relation, parts[1]);
        if (column) return { schema: relation.schema, table: relation.name, column };
      }
      return undefined;
    }
    if (parts.length === 3) {
      const relation = this.table(parts[0], parts[1]);
      const column = relation && this.columnOf(relation, parts[2]);
      return column ? { schema: relation.schema, table: relation.name, column } : undefined;
    }
    return undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const indexes = new WeakMap<SchemaSnapshot, SchemaNameIndex>();

/** The index of a snapshot, built on first use and kept as long as the snapshot lives. */
export function nameIndexFor(snapshot: SchemaSnapshot): SchemaNameIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = new SchemaNameIndex(snapshot);
    indexes.set(snapshot, index);
  }
  return index;
}

const NAME_PART = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

/** Splits `a.b.c` into parts when every part is a plain identifier; undefined for anything else. */
export function identifierParts(value: string): string[] | undefined {
  if (value.length === 0 || value.length > 200) return undefined;
  const parts = value.split('.');
  return parts.length <= 3 && parts.every((p) => NAME_PART.test(p)) ? parts : undefined;
}

/** Resolves against the current snapshot, then the previous one. */
export function resolveName(
  parts: string[],
  current: SchemaNameIndex | undefined,
  previous: SchemaNameIndex | undefined,
): NameMatch | undefined {
  const now = current?.resolve(parts);
  if (now) return { element: now, goneNow: false };
  const before = previous?.resolve(parts);
  return before ? { element: before, goneNow: true } : undefined;
}
