/**
 * What name resolution knows about the database: the snapshot indexed by the dialect's name rules,
 * the search path, and what earlier statements of the same script created or changed.
 */
import type { Dialect, Relation, SchemaSnapshot } from '../../schema/snapshot';
import type { Name, SchemaEffect } from '../model';
import type { ColumnSet } from './sources';

/** Schemas that exist on every PostgreSQL server but are never part of a snapshot. */
const PG_SYSTEM_SCHEMAS = /^(pg_catalog|information_schema|pg_toast|pg_temp(_\d+)?|pg_toast_temp_\d+)$/;
const MYSQL_SYSTEM_SCHEMAS = /^(mysql|information_schema|performance_schema|sys)$/i;

export type RelationLookup =
  | { kind: 'found'; relation: Relation }
  /** Created or altered earlier in the script, or in a place the snapshot does not cover: accept any column. */
  | { kind: 'unknowable' }
  | { kind: 'missing-schema' }
  | { kind: 'missing-relation'; searched: string[] };

/** The snapshot indexed by name: built once per snapshot and shared by every analysis of it. */
interface SnapshotIndex {
  schemas: Map<string, string>;
  relations: Map<string, Map<string, Relation>>;
  candidateLists: Map<string, Relation[]>;
  columnSets: Map<Relation, ColumnSet>;
}

const indexes = new WeakMap<SchemaSnapshot, SnapshotIndex>();

export class ResolutionContext {
  readonly dialect: Dialect;
  searchPath: string[];
  private readonly schemas: Map<string, string>;
  private readonly relations: Map<string, Map<string, Relation>>;
  private readonly touched = new Set<string>();
  private readonly touchedAnywhere = new Set<string>();
  private readonly createdSchemas = new Set<string>();
  /** Functions and types earlier statements of the script created or renamed. */
  readonly createdRoutines = new Set<string>();
  /** An earlier statement may have created functions of unknown names (CREATE EXTENSION, DO). */
  routinesUnknowable = false;
  private readonly lowerCaseTableNames: number;
  private readonly candidateLists: Map<string, Relation[]>;
  private readonly columnSets: Map<Relation, ColumnSet>;

  constructor(readonly snapshot: SchemaSnapshot) {
    this.dialect = snapshot.dialect;
    this.lowerCaseTableNames = snapshot.server.lowerCaseTableNames ?? 0;
    this.searchPath =
      snapshot.dialect === 'postgres' ? (snapshot.server.searchPath ?? ['public']) : [snapshot.server.database];
    let index = indexes.get(snapshot);
    if (!index) indexes.set(snapshot, (index = this.buildIndex()));
    ({
      schemas: this.schemas,
      relations: this.relations,
      candidateLists: this.candidateLists,
      columnSets: this.columnSets,
    } = index);
  }

  private buildIndex(): SnapshotIndex {
    const index: SnapshotIndex = {
      schemas: new Map(),
      relations: new Map(),
      candidateLists: new Map(),
      columnSets: new Map(),
    };
    for (const schema of this.snapshot.schemas) index.schemas.set(this.tableKey(schema.name), schema.name);
    for (const relation of this.snapshot.relations) {
      const key = this.tableKey(relation.schema);
      let bySchema = index.relations.get(key);
      if (!bySchema) index.relations.set(key, (bySchema = new Map<string, Relation>()));
      bySchema.set(this.tableKey(relation.name), relation);
    }
    return index;
  }

  /** Comparison key of a schema, table or alias name under the dialect's rules. */
  tableKey(text: string): string {
    return this.dialect === 'postgres' || this.lowerCaseTableNames === 0 ? text : text.toLowerCase();
  }

  /** Comparison key of a column name: PG compares exactly (the parser folded it), MySQL ignores case. */
  columnKey(text: string): string {
    return this.dialect === 'postgres' ? text : text.toLowerCase();
  }

  /** Looks a table up the way the server would: explicit schema, else the search path. */
  lookupRelation(schema: Name | undefined, name: Name): RelationLookup {
    const nameKey = this.tableKey(name.text);
    if (schema) {
      const schemaKey = this.tableKey(schema.text);
      if (
        this.touched.has(`${schemaKey}.${nameKey}`) ||
        this.createdSchemas.has(schemaKey) ||
        this.isSystemSchema(schema.text)
      )
        return { kind: 'unknowable' };
      if (!this.schemas.has(schemaKey))
        return this.excludedByFilter(schema.text) ? { kind: 'unknowable' } : { kind: 'missing-schema' };
      const relation = this.relations.get(schemaKey)?.get(nameKey);
      return relation
        ? { kind: 'found', relation }
        : { kind: 'missing-relation', searched: [this.schemas.get(schemaKey) ?? schema.text] };
    }
    if (this.touchedAnywhere.has(nameKey)) return { kind: 'unknowable' };
    for (const s of this.searchPath) {
      const relation = this.relations.get(this.tableKey(s))?.get(nameKey);
      if (relation) return { kind: 'found', relation };
    }
    // pg_catalog is searched implicitly, and a search-path schema the snapshot left out may hold it.
    if (this.dialect === 'postgres' && name.text.startsWith('pg_')) return { kind: 'unknowable' };
    if (this.searchPath.some((s) => !this.schemas.has(this.tableKey(s)) && !this.isSystemSchema(s)))
      return { kind: 'unknowable' };
    return { kind: 'missing-relation', searched: this.searchPath };
  }

  /** A schema discovery was told to leave out: it may exist, so nothing is said about it. */
  excludedByFilter(schema: string): boolean {
    const included = this.snapshot.server.includedSchemas;
    return included !== undefined && !included.some((s) => this.tableKey(s) === this.tableKey(schema));
  }

  /** Relations in the search path (unqualified candidates) or in one schema, for suggestions;
   *  the same array for the same question, so its fuzzy index can be cached. */
  relationsIn(schema: string | undefined): Relation[] {
    const schemas = schema === undefined ? this.searchPath : [schema];
    const key = schemas.join('\0');
    let found = this.candidateLists.get(key);
    if (!found) {
      found = schemas.flatMap((s) => [...(this.relations.get(this.tableKey(s))?.values() ?? [])]);
      this.candidateLists.set(key, found);
    }
    return found;
  }

  /** A relation's columns as a lookup set, built once per relation. */
  columnsOf(relation: Relation, build: () => ColumnSet): ColumnSet {
    let set = this.columnSets.get(relation);
    if (!set) this.columnSets.set(relation, (set = build()));
    return set;
  }

  schemaNames(): string[] {
    return [...this.schemas.values()];
  }

  /** Records what a statement did, for the statements after it. */
  applyEffect(effect: SchemaEffect): void {
    for (const s of effect.createdSchemas) this.createdSchemas.add(this.tableKey(s.text));
    for (const r of effect.touchedRelations) {
      const nameKey = this.tableKey(r.name.text);
      this.touchedAnywhere.add(nameKey);
      if (r.schema) this.touched.add(`${this.tableKey(r.schema.text)}.${nameKey}`);
      else for (const s of this.searchPath) this.touched.add(`${this.tableKey(s)}.${nameKey}`);
    }
    for (const r of effect.createdRoutines ?? []) this.createdRoutines.add(r.text);
    if (effect.routinesUnknowable) this.routinesUnknowable = true;
    if (effect.searchPath) {
      this.searchPath = effect.searchPath;
    }
  }

  isSystemSchema(name: string): boolean {
    return (this.dialect === 'postgres' ? PG_SYSTEM_SCHEMAS : MYSQL_SYSTEM_SCHEMAS).test(name);
  }
}
