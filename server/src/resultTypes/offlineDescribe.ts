import type { DescribedColumn, StatementDescriber, StatementDescription } from '../db/driver';
import type { Relation, SchemaSnapshot } from '../schema/snapshot';
import { aggregateName, parseStatement, type Node } from './postgresNullability';

/** Catalog spellings (`format_type`) → the type names the driver mapping uses. */
const TYPE_NAMES: Record<string, string> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  numeric: 'numeric',
  money: 'money',
  text: 'text',
  'character varying': 'varchar',
  character: 'bpchar',
  uuid: 'uuid',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  bytea: 'bytea',
  json: 'json',
  jsonb: 'jsonb',
};

/** One table of the FROM clause: its columns, the name the statement calls it, and whether an outer join can null it. */
interface Range {
  relation: Relation;
  alias: string;
  nullableSide: boolean;
}

/**
 * What a PostgreSQL statement returns, from the snapshot alone (embedded PGlite or `schema.json`,
 * no server to ask): only what is certain. A `SELECT` from tables and joins of tables whose items
 * are plain column references or aggregates gets catalog types and NOT NULL, where a column on
 * the nullable side of an outer join is nullable, `count` is never NULL and any other aggregate is
 * NULL over an empty input; any other item is `unknown` and nullable; any other statement shape
 * (subqueries in FROM, set operations, CTEs, data changes) is not described at all.
 */
export class OfflineDescriber implements StatementDescriber {
  constructor(private readonly snapshot: SchemaSnapshot) {}

  async describe(sql: string): Promise<StatementDescription> {
    const statement = await parseStatement(sql);
    const select = statement?.SelectStmt as Node | undefined;
    // Grouping sets null out grouped columns in their super-aggregate rows.
    const groupingSets = JSON.stringify(select?.groupClause ?? null).includes('GroupingSet');
    if (!select || select.op !== 'SETOP_NONE' || select.withClause || select.intoClause || groupingSets)
      throw new Error('only a SELECT from tables is described offline');
    const ranges: Range[] = [];
    let merging = false;
    const read = (item: Node, nullableSide: boolean): void => {
      const join = item.JoinExpr as Node | undefined;
      const range = item.RangeVar as Node | undefined;
      if (join) {
        if (join.usingClause || join.isNatural) merging = true;
        const type = join.jointype;
        read(join.larg as Node, nullableSide || type === 'JOIN_RIGHT' || type === 'JOIN_FULL');
        read(join.rarg as Node, nullableSide || type === 'JOIN_LEFT' || type === 'JOIN_FULL');
      } else if (range) {
        const relation = this.relation(range);
        if (!relation) throw new Error('a table is not in the schema');
        const alias = ((range.alias as Node | undefined)?.aliasname as string | undefined) ?? String(range.relname);
        ranges.push({ relation, alias, nullableSide });
      } else throw new Error('only tables and joins of tables are described offline');
    };
    for (const item of (select.fromClause as Node[] | undefined) ?? []) read(item, false);
    if (ranges.length === 0) throw new Error('a SELECT without FROM is not described offline');
    const grouped = select.groupClause !== undefined;
    const columns = (select.targetList as Node[]).flatMap((item) =>
      this.column(item.ResTarget as Node, ranges, { grouped, merging }),
    );
    return { columns, parameters: Array.from({ length: highestParameter(statement) }, () => 'unknown') };
  }

  private relation(range: Node): Relation | undefined {
    const name = String(range.relname);
    const schema = range.schemaname as string | undefined;
    const candidates = this.snapshot.relations.filter((r) => r.name === name && (!schema || r.schema === schema));
    return candidates.length === 1 ? candidates[0] : candidates.find((r) => r.schema === 'public');
  }

  /** The range and column a column reference names, when it names exactly one. */
  private resolve(ref: Node, ranges: Range[]): { range: Range; column?: Relation['columns'][number] } | undefined {
    const parts = (ref.fields as Node[]).map((f) => (f.String ? String((f.String as Node).sval) : '*'));
    if (parts.length > 2) return undefined;
    const name = parts[parts.length - 1];
    const candidates = parts.length === 2 ? ranges.filter((r) => r.alias === parts[0]) : ranges;
    if (name === '*') return candidates.length === 1 ? { range: candidates[0] } : undefined;
    const owners = candidates.flatMap((range) =>
      range.relation.columns.filter((c) => c.name === name).map((column) => ({ range, column })),
    );
    return owners.length === 1 ? owners[0] : undefined;
  }

  private column(target: Node, ranges: Range[], shape: { grouped: boolean; merging: boolean }): DescribedColumn[] {
    const value = target.val as Node;
    const outputName = target.name as string | undefined;
    const ref = value.ColumnRef as Node | undefined;
    const fields = ref?.fields as Node[] | undefined;
    if (fields?.length === 1 && fields[0].A_Star) {
      // USING and NATURAL merge the joined columns: `*` is then not the tables' columns in order.
      if (shape.merging) throw new Error('SELECT * over USING or NATURAL joins is not described offline');
      return ranges.flatMap((range) => this.columnsOf(range));
    }
    const found = ref ? this.resolve(ref, ranges) : undefined;
    if (found && !found.column) return this.columnsOf(found.range);
    if (found?.column) {
      const { range, column } = found;
      return [this.described(outputName ?? column.name, column.type, column.nullable || range.nullableSide)];
    }
    const aggregate = aggregateName(value);
    if (aggregate === 'count') return [{ name: outputName ?? 'count', type: 'int8', nullable: false }];
    const args = (value.FuncCall as Node | undefined)?.args as Node[] | undefined;
    const argument =
      args?.length === 1 && args[0].ColumnRef ? this.resolve(args[0].ColumnRef as Node, ranges) : undefined;
    if ((aggregate === 'max' || aggregate === 'min') && argument?.column) {
      const { range, column } = argument;
      // Over an empty input (no GROUP BY: perhaps no rows) or only NULLs, max and min are NULL.
      const nullable = !shape.grouped || column.nullable || range.nullableSide;
      return [{ name: outputName ?? aggregate, type: extremumType(this.typeName(column.type)), nullable }];
    }
    // PostgreSQL names an unnamed item after its column or function, else `?column?`.
    const callName = ((value.FuncCall as Node | undefined)?.funcname as Node[] | undefined)?.at(-1);
    const named = fields?.at(-1) ?? callName;
    const fallback = named?.String ? String((named.String as Node).sval) : '?column?';
    return [{ name: outputName ?? fallback, type: 'unknown', nullable: true }];
  }

  private columnsOf(range: Range): DescribedColumn[] {
    return range.relation.columns.map((c) => this.described(c.name, c.type, c.nullable || range.nullableSide));
  }

  private described(name: string, catalogType: string, nullable: boolean): DescribedColumn {
    return { name, type: this.typeName(catalogType), nullable };
  }

  /** `character varying(40)` → `varchar`, `integer[]` → `int4[]`, an enum → `enum`, a domain → its base. */
  private typeName(catalogType: string): string {
    const array = catalogType.endsWith('[]');
    const bare = (array ? catalogType.slice(0, -2) : catalogType).replace(/\(.*\)$/, '');
    const plain = bare.replace(/^(?:public|pg_catalog)\./, '');
    const isNamed = (t: { schema: string; name: string }) => `${t.schema}.${t.name}` === bare || t.name === plain;
    const domain = this.snapshot.domains.find(isNamed);
    const name =
      TYPE_NAMES[plain] ??
      (this.snapshot.enums.some(isNamed) ? 'enum' : domain && !array ? this.typeName(domain.baseType) : 'unknown');
    return array && name !== 'unknown' ? `${name}[]` : name;
  }
}

/** The types `max` and `min` return as they are (PostgreSQL's own signatures); `varchar` goes through `text`. */
const EXTREMUM_TYPES = new Set(
  'int2 int4 int8 float4 float8 numeric money text bpchar date time timestamp timestamptz enum'.split(' '),
);

function extremumType(type: string): string {
  if (type === 'varchar') return 'text';
  return EXTREMUM_TYPES.has(type) || type.endsWith('[]') ? type : 'unknown';
}

/** The number of `$n` parameters: the highest one the parser saw. */
function highestParameter(ast: unknown): number {
  let highest = 0;
  for (const match of JSON.stringify(ast).matchAll(/"ParamRef":\{"number":(\d+)/g))
    highest = Math.max(highest, Number(match[1]));
  return highest;
}

const describers = new WeakMap<SchemaSnapshot, OfflineDescriber>();

/** One offline describer per snapshot, so the description cache keys stay stable. */
export function offlineDescriber(snapshot: SchemaSnapshot): StatementDescriber | undefined {
  if (snapshot.dialect !== 'postgres') return undefined;
  let describer = describers.get(snapshot);
  if (!describer) describers.set(snapshot, (describer = new OfflineDescriber(snapshot)));
  return describer;
}

/**
 * Who describes a statement's row for hover, inlay hints, the row-type action and
 * `result-type-mismatch`: the live server only while `validation.liveCheck` allows sending
 * statements to it, else what the snapshot makes certain. Every front end asks here.
 */
export function describerFor(
  liveCheck: boolean,
  live: StatementDescriber | undefined,
  snapshot: SchemaSnapshot,
): StatementDescriber | undefined {
  return (liveCheck ? live : undefined) ?? offlineDescriber(snapshot);
}
