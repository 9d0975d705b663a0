import type { Queryable } from '../driver';
import {
  normaliseSnapshot,
  SNAPSHOT_FORMAT_VERSION,
  type Column,
  type ReferentialAction,
  type Relation,
  type RelationKind,
  type SchemaSnapshot,
  type ServerFacts,
} from '../../schema/snapshot';
import * as q from './catalogQueries';

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  p: 'partitioned-table',
  v: 'view',
  m: 'materialized-view',
  f: 'foreign-table',
  // `SELECT last_value FROM a_sequence` reads a sequence like a one-row table.
  S: 'sequence',
};

const ACTIONS: Record<string, ReferentialAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const ROUTINE_KINDS = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' } as const;

/** `attidentity` ('a' always, 'd' by default) and `attgenerated` ('s' stored, 'v' virtual) → `Column.generated`. */
function generatedColumn(identity: string, generated: string): Pick<Column, 'generated'> {
  if (identity === 'a' || generated !== '') return { generated: 'always' };
  return identity === 'd' ? { generated: 'identity' } : {};
}

/** The number of catalog queries one discovery issues, whatever the schema's size. */
export const POSTGRES_QUERY_COUNT = 9;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((item) => str(item)) : []);
const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);

/**
 * Reads a PostgreSQL (or PGlite) catalog into a snapshot with a fixed number of queries.
 * The caller decides the transaction; it should be one read-only snapshot so the kinds agree.
 */
export async function introspectPostgres(
  query: Queryable,
  schemas: readonly string[],
  product: ServerFacts['product'],
): Promise<SchemaSnapshot> {
  const p = [schemas];
  // Sequential on purpose: one connection runs one query at a time anyway.
  const [facts] = await query(q.serverFactsQuery);
  const schemaRows = await query(q.schemasQuery, p);
  const relationRows = await query(q.relationsQuery, p);
  const columnRows = await query(q.columnsQuery, p);
  const constraintRows = await query(q.constraintsQuery, p);
  const indexRows = await query(q.indexesQuery, p);
  const enumRows = await query(q.enumsQuery, p);
  const domainRows = await query(q.domainsQuery, p);
  const routineRows = await query(q.routinesQuery, p);

  const byOid = new Map<string, Relation>();
  for (const row of relationRows) {
    byOid.set(str(row.oid), {
      schema: str(row.schema),
      name: str(row.name),
      kind: RELATION_KINDS[str(row.kind)] ?? 'table',
      comment: strOrNull(row.comment),
      columns: [],
      primaryKey: null,
      uniqueConstraints: [],
      foreignKeys: [],
      indexes: [],
      viewDefinition: strOrNull(row.view_definition)?.trim() ?? null,
    });
  }
  /** Attribute number → column name per relation oid, for the key lists below. */
  const columnNames = new Map<string, Map<number, string>>();
  for (const row of columnRows) {
    const oid = str(row.oid);
    const relation = byOid.get(oid);
    if (!relation) continue; // created between two queries: the next discovery sees it whole
    const name = str(row.name);
    let names = columnNames.get(oid);
    if (!names) columnNames.set(oid, (names = new Map<number, string>()));
    names.set(Number(row.attnum), name);
    relation.columns.push({
      name,
      position: relation.columns.length + 1,
      type: str(row.type),
      nullable: row.nullable === true,
      default: strOrNull(row.default),
      comment: strOrNull(row.comment),
      ...generatedColumn(str(row.identity ?? ''), str(row.generated ?? '')),
    });
  }
  /** Key attribute numbers → names; 0 (an expression part) becomes null. */
  const keyNames = (oid: unknown, keys: unknown): (string | null)[] => {
    const names = columnNames.get(str(oid));
    return numbers(keys).map((attnum) => names?.get(attnum) ?? null);
  };
  const keyColumns = (oid: unknown, keys: unknown): string[] =>
    keyNames(oid, keys).filter((name): name is string => name !== null);

  for (const row of constraintRows) {
    const relation = byOid.get(str(row.oid));
    if (!relation) continue;
    const key = { name: str(row.name), columns: keyColumns(row.oid, row.keys) };
    if (row.type === 'p') relation.primaryKey = key;
    else if (row.type === 'u') relation.uniqueConstraints.push(key);
    else
      relation.foreignKeys.push({
        ...key,
        referencedSchema: str(row.referenced_schema),
        referencedTable: str(row.referenced_table),
        referencedColumns: Array.isArray(row.outside_referenced_columns)
          ? strings(row.outside_referenced_columns)
          : keyColumns(row.referenced_oid, row.referenced_keys),
        onUpdate: ACTIONS[str(row.on_update)] ?? 'NO ACTION',
        onDelete: ACTIONS[str(row.on_delete)] ?? 'NO ACTION',
      });
  }
  for (const row of indexRows) {
    const relation = byOid.get(str(row.oid));
    if (!relation) continue;
    relation.indexes.push({
      name: str(row.name),
      columns: keyNames(row.oid, numbers(row.keys).slice(0, Number(row.key_count))),
      unique: row.unique === true,
      primary: row.primary === true,
      method: strOrNull(row.method),
      definition: strOrNull(row.definition),
    });
  }

  return normaliseSnapshot({
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    dialect: 'postgres',
    server: {
      product,
      version: str(facts?.version),
      database: str(facts?.database),
      searchPath: strings(facts?.search_path),
      ...(schemas.length > 0 ? { includedSchemas: [...schemas] } : {}),
    },
    schemas: schemaRows.map((r) => ({ name: str(r.name), comment: strOrNull(r.comment) })),
    relations: [...byOid.values()],
    enums: enumRows.map((r) => ({ schema: str(r.schema), name: str(r.name), values: strings(r.values) })),
    domains: domainRows.map((r) => ({
      schema: str(r.schema),
      name: str(r.name),
      baseType: str(r.base_type),
      nullable: r.nullable === true,
      default: strOrNull(r.default),
      checks: strings(r.checks),
    })),
    routines: routineRows.map((r) => ({
      schema: str(r.schema),
      name: str(r.name),
      kind: ROUTINE_KINDS[str(r.kind) as keyof typeof ROUTINE_KINDS] ?? 'function',
    })),
  });
}
