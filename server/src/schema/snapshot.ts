/**
 * The dialect-neutral schema model every driver produces and every analysis reads.
 * It is plain JSON: it is persisted in the cache, exported to `.live-schema/schema.json`
 * and sent to the client, so it holds no functions, dates or secrets.
 */

/** Bumped whenever the shape below changes; a snapshot of another version is ignored, never misread. */
export const SNAPSHOT_FORMAT_VERSION = 1;

export type Dialect = 'postgres' | 'mysql';

export type RelationKind = 'table' | 'partitioned-table' | 'view' | 'materialized-view' | 'foreign-table';

/** Facts about the server that analysis needs to resolve names the way the server does. */
export interface ServerFacts {
  /** `postgres`, `pglite`, `mysql` or `mariadb`: where the snapshot came from. */
  product: 'postgres' | 'pglite' | 'mysql' | 'mariadb';
  /** The version string as the server reports it. */
  version: string;
  /** The database (PG) or default schema (MySQL) the snapshot was taken in. */
  database: string;
  /** PostgreSQL: the effective `search_path`, `$user` expanded, in order. */
  searchPath?: string[];
  /** MySQL/MariaDB: 0 = names case-sensitive, 1 = stored lower case, 2 = compared lower case. */
  lowerCaseTableNames?: number;
  /** MySQL/MariaDB: the session's `sql_mode` (ANSI_QUOTES changes what `"x"` means). */
  sqlMode?: string;
  /**
   * The schemas discovery was limited to, when it was: a schema outside this list may well exist,
   * so analysis must not call it unknown. Absent means every non-system schema was read.
   */
  includedSchemas?: string[];
}

export interface Column {
  name: string;
  /** 1-based ordinal position within the relation. */
  position: number;
  /** The type as the catalog spells it (`character varying(40)`, `int(11)`, `public.order_status`). */
  type: string;
  nullable: boolean;
  /** The default expression's text, or null when the column has none. */
  default: string | null;
  comment: string | null;
}

export interface KeyConstraint {
  name: string;
  columns: string[];
}

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  onUpdate: ReferentialAction;
  onDelete: ReferentialAction;
}

export interface Index {
  name: string;
  /** Key parts in order: a column name, or null where the part is an expression. */
  columns: (string | null)[];
  unique: boolean;
  primary: boolean;
  /** Access method (`btree`, `gin`, …) where the catalog reports it cheaply. */
  method: string | null;
  /** The full definition (PG `pg_get_indexdef`), or null where the catalog has none. */
  definition: string | null;
}

/** A table, view, materialized view or foreign table. */
export interface Relation {
  schema: string;
  name: string;
  kind: RelationKind;
  comment: string | null;
  columns: Column[];
  primaryKey: KeyConstraint | null;
  uniqueConstraints: KeyConstraint[];
  foreignKeys: ForeignKey[];
  indexes: Index[];
  /** A view's query text where the catalog provides it. */
  viewDefinition: string | null;
}

export interface SchemaInfo {
  name: string;
  comment: string | null;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
}

export interface Domain {
  schema: string;
  name: string;
  baseType: string;
  nullable: boolean;
  default: string | null;
  checks: string[];
}

export interface RoutineInfo {
  schema: string;
  name: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
}

/** One database's schema, as discovered at one moment. Arrays are sorted by schema, then name. */
export interface SchemaSnapshot {
  formatVersion: typeof SNAPSHOT_FORMAT_VERSION;
  dialect: Dialect;
  server: ServerFacts;
  schemas: SchemaInfo[];
  relations: Relation[];
  enums: EnumType[];
  domains: Domain[];
  routines: RoutineInfo[];
}

/** Sorts the snapshot's arrays in place so equal schemas serialise to equal text. */
export function normaliseSnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  const byName = <T extends { schema?: string; name: string }>(a: T, b: T): number =>
    compareText(a.schema ?? '', b.schema ?? '') || compareText(a.name, b.name);
  snapshot.schemas.sort(byName);
  snapshot.relations.sort(byName);
  snapshot.enums.sort(byName);
  snapshot.domains.sort(byName);
  snapshot.routines.sort((a, b) => byName(a, b) || compareText(a.kind, b.kind));
  for (const relation of snapshot.relations) {
    relation.columns.sort((a, b) => a.position - b.position);
    relation.uniqueConstraints.sort(byName);
    relation.foreignKeys.sort(byName);
    relation.indexes.sort(byName);
  }
  return snapshot;
}

/** Code-point order, independent of the machine's locale, so snapshots sort the same everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Looks a relation up by exact schema and name. */
export function findRelation(snapshot: SchemaSnapshot, schema: string, name: string): Relation | undefined {
  return snapshot.relations.find((r) => r.schema === schema && r.name === name);
}
