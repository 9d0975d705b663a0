import type pg from 'pg';
import { aggregateName, nullabilityFacts, parseStatement } from '../../resultTypes/postgresNullability';
import type { DescribedColumn, Queryable, StatementDescription } from '../driver';

/** One RowDescription field: its name, type and, for a plain table column, the column's origin. */
interface Field {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
}

interface RawDescription {
  parameterTypes: number[];
  fields: Field[];
}

type Callback = (error: Error | undefined, result?: RawDescription) => void;

/**
 * Parse + Describe + Sync on the unnamed statement: the extended protocol's way to learn the
 * parameter types and result columns without Bind/Execute, so nothing ever runs. It goes through
 * `client.query` as a submittable, so the client's queue and its query timeout bound it like any
 * other query; node-postgres does not route ParameterDescription, so that one is read off the
 * connection while this query is the active one.
 */
class DescribeSubmittable {
  callback: Callback | undefined;
  private parameterTypes: number[] = [];
  private fields: Field[] = [];
  private connection: pg.Connection | undefined;
  private readonly onParameters = (message: { dataTypeIDs: number[] }): void => {
    this.parameterTypes = message.dataTypeIDs;
  };

  constructor(private readonly text: string) {}

  submit(connection: pg.Connection): void {
    this.connection = connection;
    connection.on('parameterDescription', this.onParameters);
    connection.parse({ name: '', text: this.text, types: [] }, true);
    connection.describe({ type: 'S', name: '' }, true);
    connection.sync();
  }

  handleRowDescription(message: { fields: Field[] }): void {
    this.fields = message.fields;
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(undefined, { parameterTypes: this.parameterTypes, fields: this.fields });
  }

  // Describe never binds or executes, so these cannot arrive; the client still expects them.
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}

  private finish(error: Error | undefined, result?: RawDescription): void {
    this.connection?.removeListener('parameterDescription', this.onParameters);
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error, result);
  }
}

/** Asks the server for the statement's shape; rejects with the server's error when it does not parse. */
export function describeOnServer(client: pg.Client, sql: string): Promise<RawDescription> {
  return new Promise((resolve, reject) => {
    const submittable = new DescribeSubmittable(sql);
    submittable.callback = (error, result) => (error ? reject(error) : resolve(result!));
    void client.query(submittable as unknown as pg.QueryConfig);
  });
}

const TYPE_NAMES = `
select ty.oid::int as oid,
       case when b.typtype = 'e' then 'enum' else b.typname end as base,
       case when e.typtype = 'e' then 'enum' else e.typname end as element
from pg_type ty
join pg_type b on b.oid = case when ty.typtype = 'd' then ty.typbasetype else ty.oid end
left join pg_type e on e.oid = b.typelem and b.typcategory = 'A'
where ty.oid = any($1::oid[])`;

const NOT_NULL_COLUMNS = `
select a.attrelid::int as rel, a.attnum::int as num
from pg_attribute a
join unnest($1::oid[], $2::int2[]) as c(rel, num) on c.rel = a.attrelid and c.num = a.attnum
where a.attnotnull`;

/** The relation each name of the statement means, resolved as the server resolves it (search_path). */
const RELATION_OIDS = `
select to_regclass(case when s is null then quote_ident(r) else quote_ident(s) || '.' || quote_ident(r) end)::oid::int as oid
from unnest($1::text[], $2::text[]) as n(s, r)`;

/**
 * The description in database terms: type names for the mapping to driver types (`int4`,
 * `_text` → `text[]`, enums as `enum`, domains as their base) and NOT NULL from the catalog for
 * columns that come straight from a table not on the nullable side of an outer join (`postgresNullability.ts`).
 */
export async function describePostgresStatement(
  raw: RawDescription,
  sql: string,
  query: Queryable,
): Promise<StatementDescription> {
  const oids = [...new Set([...raw.parameterTypes, ...raw.fields.map((f) => f.dataTypeID)])];
  const names = new Map<number, string>();
  if (oids.length > 0) {
    for (const row of await query(TYPE_NAMES, [oids])) {
      const base = typeof row.element === 'string' ? `${row.element}[]` : String(row.base);
      names.set(Number(row.oid), base);
    }
  }
  // A statement libpg-query cannot read keeps no NOT NULL: where it could be lost is unknown.
  const statement = await parseStatement(sql);
  const facts = statement ? nullabilityFacts(statement) : undefined;
  const nulled = new Set<number>();
  if (facts && facts.nullableSide.length > 0) {
    const { nullableSide } = facts;
    const rows = await query(RELATION_OIDS, [
      nullableSide.map((r) => r.schema ?? null),
      nullableSide.map((r) => r.name),
    ]);
    for (const row of rows) if (row.oid !== null) nulled.add(Number(row.oid));
  }
  const origins = facts?.keepsNotNull
    ? raw.fields.filter((f) => f.tableID !== 0 && f.columnID > 0 && !nulled.has(f.tableID))
    : [];
  const notNull = new Set<string>();
  if (origins.length > 0) {
    const rows = await query(NOT_NULL_COLUMNS, [origins.map((f) => f.tableID), origins.map((f) => f.columnID)]);
    for (const row of rows) notNull.add(`${String(row.rel)}.${String(row.num)}`);
  }
  const typeName = (oid: number): string => names.get(oid) ?? 'unknown';
  // Output items line up with the fields when no `*` expands among them; `count` is never NULL.
  const items = facts?.keepsNotNull && facts.items?.length === raw.fields.length ? facts.items : undefined;
  const columns: DescribedColumn[] = raw.fields.map((f, i) => ({
    name: f.name,
    type: typeName(f.dataTypeID),
    nullable:
      !(origins.includes(f) && notNull.has(`${f.tableID}.${f.columnID}`)) && aggregateName(items?.[i]) !== 'count',
  }));
  return { columns, parameters: raw.parameterTypes.map(typeName) };
}
