/**
 * What an agent needs to write SQL against one table or view: columns with types, nullability,
 * defaults and comments, keys, indexes, and foreign keys in both directions. Plain data from the
 * snapshot; nothing is looked up anywhere else.
 */
import type { ReferentialAction, Relation, SchemaSnapshot } from '../schema/snapshot';
import { findRelationByName } from '../sql/editing/nameLookup';
import { didYouMean, suggest } from '../sql/resolve/suggest';

export interface TableDescription {
  schema: string;
  name: string;
  kind: Relation['kind'];
  comment: string | null;
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    default: string | null;
    comment: string | null;
    /** Part of the primary key. */
    primaryKey: boolean;
  }[];
  primaryKey: string[] | null;
  uniqueConstraints: { name: string; columns: string[] }[];
  indexes: {
    name: string;
    columns: (string | null)[];
    unique: boolean;
    method: string | null;
    definition: string | null;
  }[];
  /** Foreign keys of this table: its columns → the referenced table's columns. */
  foreignKeys: ForeignKeyLink[];
  /** Foreign keys of other tables that point at this one. */
  referencedBy: ForeignKeyLink[];
  viewDefinition?: string;
}

export interface ForeignKeyLink {
  name: string;
  from: { schema: string; table: string; columns: string[] };
  to: { schema: string; table: string; columns: string[] };
  onUpdate: ReferentialAction;
  onDelete: ReferentialAction;
}

/**
 * The relation a name means: `schema` plus `table`, or `schema.table` in one string, or an
 * unqualified name on the search path; failing those, the one relation of that name in any schema
 * (case-insensitively). Throws a message with "did you mean" suggestions when there is none.
 */
export function lookUpRelation(snapshot: SchemaSnapshot, table: string, schema?: string): Relation {
  const dot = table.indexOf('.');
  const candidates: [string | undefined, string][] =
    schema !== undefined
      ? [[schema, table]]
      : [[undefined, table], ...(dot > 0 ? [[table.slice(0, dot), table.slice(dot + 1)] as [string, string]] : [])];
  for (const [inSchema, name] of candidates) {
    const found = findRelationByName(snapshot, inSchema, name);
    if (found) return found;
  }
  for (const [inSchema, name] of candidates) {
    const loose = snapshot.relations.filter(
      (r) =>
        r.name.toLowerCase() === name.toLowerCase() &&
        (inSchema === undefined || r.schema.toLowerCase() === inSchema.toLowerCase()),
    );
    if (loose.length === 1) return loose[0];
    if (loose.length > 1)
      throw new Error(
        `"${table}" is ambiguous: ${loose.map((r) => `${r.schema}.${r.name}`).join(', ')}. Pass the schema.`,
      );
  }
  const wanted = candidates[candidates.length - 1][1];
  const names = suggest(
    wanted,
    snapshot.relations.map((r) => ({ name: r.name, comment: r.comment })),
  );
  throw new Error(`No table or view "${schema ? `${schema}.` : ''}${table}" in the schema.${didYouMean(names)}`);
}

/** Describes one relation of the snapshot. */
export function describeTable(snapshot: SchemaSnapshot, relation: Relation): TableDescription {
  const keyColumns = new Set(relation.primaryKey?.columns ?? []);
  const link = (owner: Relation, fk: Relation['foreignKeys'][number]): ForeignKeyLink => ({
    name: fk.name,
    from: { schema: owner.schema, table: owner.name, columns: fk.columns },
    to: { schema: fk.referencedSchema, table: fk.referencedTable, columns: fk.referencedColumns },
    onUpdate: fk.onUpdate,
    onDelete: fk.onDelete,
  });
  const referencedBy = snapshot.relations.flatMap((other) =>
    other.foreignKeys
      .filter((fk) => fk.referencedSchema === relation.schema && fk.referencedTable === relation.name)
      .map((fk) => link(other, fk)),
  );
  return {
    schema: relation.schema,
    name: relation.name,
    kind: relation.kind,
    comment: relation.comment,
    columns: relation.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      default: c.default,
      comment: c.comment,
      primaryKey: keyColumns.has(c.name),
    })),
    primaryKey: relation.primaryKey?.columns ?? null,
    uniqueConstraints: relation.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns })),
    indexes: relation.indexes.map((i) => ({
      name: i.name,
      columns: i.columns,
      unique: i.unique,
      method: i.method,
      definition: i.definition,
    })),
    foreignKeys: relation.foreignKeys.map((fk) => link(relation, fk)),
    referencedBy,
    ...(relation.viewDefinition ? { viewDefinition: relation.viewDefinition } : {}),
  };
}
