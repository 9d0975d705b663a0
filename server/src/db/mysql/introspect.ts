import type { DiscoveryWarning, Queryable } from '../driver';
import {
  normaliseSnapshot,
  SNAPSHOT_FORMAT_VERSION,
  type Column,
  type Index,
  type Relation,
  type RelationKind,
  type RoutineInfo,
  type SchemaSnapshot,
} from '../../schema/snapshot';
import * as q from './catalogQueries';
import { normaliseColumnDefault, reportsDefaultExpressions } from './columnDefaults';
import { isPrivilegeError, readForeignKeys } from './foreignKeys';

export interface MysqlIntrospectionOptions {
  product: 'mysql' | 'mariadb';
  /** Read foreign keys from InnoDB's dictionary (MariaDB with PROCESS); false uses information_schema. */
  innodbForeignKeys: boolean;
}

export interface MysqlIntrospection {
  snapshot: SchemaSnapshot;
  queryCount: number;
  warnings: DiscoveryWarning[];
  /** Whether InnoDB's dictionary stayed readable, so the driver stops trying when it is not. */
  innodbForeignKeys: boolean;
}

/** TABLE_TYPE values that hold rows a query can read; sequences answer `SELECT` too. */
const RELATION_KINDS: Record<string, RelationKind> = {
  'BASE TABLE': 'table',
  'SYSTEM VERSIONED': 'table',
  SEQUENCE: 'sequence',
  VIEW: 'view',
};

const ROUTINE_KINDS: Record<string, RoutineInfo['kind']> = { FUNCTION: 'function', PROCEDURE: 'procedure' };

const str = (v: unknown): string => String(v);

/** EXTRA → `Column.generated`: AUTO_INCREMENT, or a generated column (VIRTUAL/STORED/PERSISTENT). */
function generatedColumn(extra: string): Pick<Column, 'generated'> {
  if (/\bauto_increment\b/i.test(extra)) return { generated: 'identity' };
  return /\b(virtual|stored|persistent) generated\b/i.test(extra) ? { generated: 'always' } : {};
}

const textOrNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : str(v));

/**
 * Reads the given MySQL/MariaDB schemas (databases) into a snapshot: one server-facts query,
 * then one query per object kind per schema, run one after another on the caller's session.
 * `schemas` must not be empty; the driver passes `[database]` when the settings name none.
 */
export async function introspectMysql(
  run: Queryable,
  schemas: readonly string[],
  options: MysqlIntrospectionOptions,
): Promise<MysqlIntrospection> {
  let queryCount = 0;
  const query: Queryable = (sql, params) => {
    queryCount++;
    return run(sql, params);
  };
  const [facts] = await query(q.serverFactsQuery);
  const version = str(facts?.version);
  const udfs = await readUdfs(query);
  const defaultsAreExpressions = reportsDefaultExpressions(options.product, version);
  const warnings: DiscoveryWarning[] = [];
  const relations = new Map<string, Relation>();
  const relationKey = (schema: string, name: string) => `${schema}\u0000${name}`;
  const foundSchemas: string[] = [];
  const routines: RoutineInfo[] = [];
  let innodbForeignKeys = options.innodbForeignKeys;

  for (const schema of schemas) {
    if ((await query(q.schemaQuery, [schema])).length === 0) {
      warnings.push({ message: `Schema "${schema}" does not exist on the server; it is left out.` });
      continue;
    }
    foundSchemas.push(schema);
    const tableRows = await query(q.tablesQuery, [schema]);
    const columnRows = await query(q.columnsQuery, [schema]);
    const indexRows = await query(options.product === 'mysql' ? q.indexesWithMethodQuery : q.indexesQuery, [schema]);

    for (const row of tableRows) {
      const kind = RELATION_KINDS[str(row.type)];
      if (!kind) continue;
      relations.set(relationKey(schema, str(row.name)), {
        schema,
        name: str(row.name),
        kind,
        comment: kind === 'view' ? null : textOrNull(row.comment),
        columns: [],
        primaryKey: null,
        uniqueConstraints: [],
        foreignKeys: [],
        indexes: [],
        viewDefinition: null,
      });
    }
    const inSchema = (name: unknown) => relations.get(relationKey(schema, str(name)));
    for (const row of columnRows) {
      const relation = inSchema(row.table_name);
      if (!relation) continue; // created between two queries: the next discovery sees it whole
      const type = str(row.type);
      relation.columns.push({
        name: str(row.name),
        position: Number(row.position),
        type,
        nullable: row.nullable === 'YES',
        default: normaliseColumnDefault(
          row.default_value === null || row.default_value === undefined ? null : str(row.default_value),
          type,
          str(row.extra ?? ''),
          defaultsAreExpressions,
        ),
        comment: textOrNull(row.comment),
        ...generatedColumn(str(row.extra ?? '')),
      });
    }
    addIndexes(indexRows, inSchema);

    const fks = await readForeignKeys(query, schema, (s, t) => relations.has(relationKey(s, t)), innodbForeignKeys);
    innodbForeignKeys = fks.innodbReadable;
    for (const { table, key } of fks.keys) inSchema(table)?.foreignKeys.push(key);

    for (const row of await query(q.viewsQuery, [schema])) {
      const relation = inSchema(row.name);
      if (relation) relation.viewDefinition = textOrNull(row.definition)?.trim() ?? null;
    }
    for (const row of await query(q.routinesQuery, [schema])) {
      const kind = ROUTINE_KINDS[str(row.type)];
      if (kind) routines.push({ schema, name: str(row.name), kind });
    }
  }

  const snapshot = normaliseSnapshot({
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    dialect: 'mysql',
    server: {
      product: options.product,
      version,
      database: textOrNull(facts?.current_database) ?? schemas[0] ?? '',
      lowerCaseTableNames: Number(facts?.lower_case_table_names),
      sqlMode: str(facts?.sql_mode ?? ''),
      // MySQL discovery always reads a list of databases: others on the server are not known.
      includedSchemas: [...schemas],
      ...(udfs ? { udfs } : {}),
    },
    schemas: foundSchemas.map((name) => ({ name, comment: null })),
    relations: [...relations.values()],
    // MySQL has no named enum types: `enum('a','b')` stays in the column type.
    enums: [],
    domains: [],
    routines,
  });
  return { snapshot, queryCount, warnings, innodbForeignKeys };
}

/** The UDF names, or undefined when `mysql.func` cannot be read (then calls are not judged). */
async function readUdfs(query: Queryable): Promise<string[] | undefined> {
  try {
    return (await query(q.udfsQuery)).map((row) => str(row.name)).sort();
  } catch (error) {
    if (isPrivilegeError(error) || (error as { errno?: number }).errno === 1146) return undefined;
    throw error;
  }
}

/**
 * Groups STATISTICS rows (one per key part) into indexes, and derives the primary key and the
 * unique constraints from them: MySQL enforces both as unique indexes.
 */
function addIndexes(rows: Record<string, unknown>[], relationOf: (name: unknown) => Relation | undefined): void {
  const parts = [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
  const indexes = new Map<Relation, Map<string, Index>>();
  for (const row of parts) {
    const relation = relationOf(row.table_name);
    if (!relation) continue;
    const byName = indexes.get(relation) ?? new Map<string, Index>();
    indexes.set(relation, byName);
    const name = str(row.name);
    let index = byName.get(name);
    if (!index) {
      index = {
        name,
        columns: [],
        unique: Number(row.non_unique) === 0,
        primary: name === 'PRIMARY',
        method: typeof row.method === 'string' ? row.method.toLowerCase() : null,
        definition: null,
      };
      byName.set(name, index);
      relation.indexes.push(index);
    }
    index.columns.push(textOrNull(row.column_name));
  }
  for (const relation of indexes.keys()) {
    for (const index of relation.indexes) {
      const columns = index.columns.filter((c): c is string => c !== null);
      // A functional unique index constrains an expression, not columns: no key constraint for it.
      if (!index.unique || columns.length !== index.columns.length) continue;
      if (index.primary) relation.primaryKey = { name: index.name, columns };
      else relation.uniqueConstraints.push({ name: index.name, columns });
    }
  }
}
