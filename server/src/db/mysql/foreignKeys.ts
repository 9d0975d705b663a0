import type { ForeignKey, ReferentialAction } from '../../schema/snapshot';
import type { Queryable } from '../driver';
import * as q from './catalogQueries';

/** A foreign key and the table it belongs to. */
export interface TableForeignKey {
  table: string;
  key: ForeignKey;
}

export interface ForeignKeyRead {
  keys: TableForeignKey[];
  /** False when InnoDB's dictionary is not readable (no PROCESS privilege): stop asking on this connection. */
  innodbReadable: boolean;
}

/** Tells whether `schema`.`table` is a relation this discovery found: the check that proves a decoded name right. */
export type KnownRelation = (schema: string, table: string) => boolean;

/**
 * Reads one schema's foreign keys: from InnoDB's dictionary when allowed (MariaDB, milliseconds
 * at any size), else from information_schema (every table opened on MariaDB). InnoDB names are
 * file-name encoded; every decoded name must name a table this discovery found, otherwise the
 * schema is read again the portable way rather than guessed.
 */
export async function readForeignKeys(
  query: Queryable,
  schema: string,
  known: KnownRelation,
  tryInnodb: boolean,
): Promise<ForeignKeyRead> {
  const pattern = tryInnodb ? q.innodbSchemaPattern(schema) : undefined;
  if (pattern !== undefined) {
    try {
      const keys = await readFromInnodb(query, schema, pattern, known);
      if (keys) return { keys, innodbReadable: true };
    } catch (error) {
      if (!isPrivilegeError(error)) throw error;
      return { keys: await readFromInformationSchema(query, schema), innodbReadable: false };
    }
  }
  return { keys: await readFromInformationSchema(query, schema), innodbReadable: tryInnodb };
}

async function readFromInnodb(
  query: Queryable,
  schema: string,
  pattern: string,
  known: KnownRelation,
): Promise<TableForeignKey[] | undefined> {
  const keyRows = await query(q.innodbForeignKeysQuery, [pattern]);
  const columnRows = await query(q.innodbForeignKeyColumnsQuery, [pattern]);
  const columnsById = new Map<string, Record<string, unknown>[]>();
  for (const row of columnRows) {
    const id = String(row.id);
    columnsById.set(id, [...(columnsById.get(id) ?? []), row]);
  }
  const keys: TableForeignKey[] = [];
  for (const row of keyRows) {
    const id = String(row.id);
    const own = decodeQualifiedName(String(row.table_name));
    const referenced = decodeQualifiedName(String(row.referenced_name));
    if (!own || own.schema !== schema || !known(schema, own.table)) return undefined;
    if (!referenced || (referenced.encoded && !known(referenced.schema, referenced.table))) return undefined;
    const parts = (columnsById.get(id) ?? []).sort((a, b) => Number(a.pos) - Number(b.pos));
    const type = Number(row.type);
    keys.push({
      table: own.table,
      key: {
        name: id.slice(id.indexOf('/') + 1),
        columns: parts.map((p) => String(p.column_name)),
        referencedSchema: referenced.schema,
        referencedTable: referenced.table,
        referencedColumns: parts.map((p) => String(p.referenced_column)),
        onDelete: type & 1 ? 'CASCADE' : type & 2 ? 'SET NULL' : type & 16 ? 'NO ACTION' : 'RESTRICT',
        onUpdate: type & 4 ? 'CASCADE' : type & 8 ? 'SET NULL' : type & 32 ? 'NO ACTION' : 'RESTRICT',
      },
    });
  }
  return keys;
}

async function readFromInformationSchema(query: Queryable, schema: string): Promise<TableForeignKey[]> {
  const constraintRows = await query(q.referentialConstraintsQuery, [schema]);
  const columnRows = await query(q.foreignKeyColumnsQuery, [schema]);
  const byKey = new Map<string, TableForeignKey>();
  for (const row of constraintRows) {
    byKey.set(`${String(row.table_name)}\u0000${String(row.name)}`, {
      table: String(row.table_name),
      key: {
        name: String(row.name),
        columns: [],
        referencedSchema: '',
        referencedTable: '',
        referencedColumns: [],
        onUpdate: action(row.on_update),
        onDelete: action(row.on_delete),
      },
    });
  }
  columnRows.sort((a, b) => Number(a.pos) - Number(b.pos));
  for (const row of columnRows) {
    const entry = byKey.get(`${String(row.table_name)}\u0000${String(row.name)}`);
    if (!entry) continue; // added between the two queries: the next discovery sees it whole
    entry.key.columns.push(String(row.column_name));
    entry.key.referencedColumns.push(String(row.referenced_column));
    entry.key.referencedSchema = String(row.referenced_schema);
    entry.key.referencedTable = String(row.referenced_table);
  }
  return [...byKey.values()].filter((entry) => entry.key.columns.length > 0);
}

const ACTIONS: readonly ReferentialAction[] = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];

function action(value: unknown): ReferentialAction {
  return ACTIONS.find((a) => a === String(value).toUpperCase()) ?? 'NO ACTION';
}

/**
 * Decodes `schema/table` from the server's file-name encoding where it is unambiguous (`@xxxx`
 * hex escapes). Letters MariaDB writes as two-character codes (`Ä` → `@0K`) are not decoded:
 * such a name fails the known-table check and the portable path is used instead.
 */
export function decodeQualifiedName(encoded: string): { schema: string; table: string; encoded: boolean } | undefined {
  const slash = encoded.indexOf('/');
  if (slash < 0) return undefined;
  const decode = (part: string) =>
    part.replace(/@([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const schema = decode(encoded.slice(0, slash));
  const table = decode(encoded.slice(slash + 1));
  return { schema, table, encoded: encoded.includes('@') };
}

/** Access denied to InnoDB's dictionary: ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR. */
export function isPrivilegeError(error: unknown): boolean {
  const cause = (error as { cause?: { errno?: number } }).cause ?? (error as { errno?: number });
  return cause.errno === 1227 || cause.errno === 1142 || cause.errno === 1044;
}
