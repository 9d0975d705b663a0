import { loadModule, parseSync } from 'libpg-query';
import type { DescribedColumn, StatementDescriber, StatementDescription } from '../db/driver';
import type { Relation, SchemaSnapshot } from '../schema/snapshot';

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

type Node = Record<string, unknown>;
let loading: Promise<void> | undefined;

/**
 * What a PostgreSQL statement returns, from the snapshot alone (embedded PGlite or `schema.json`,
 * no server to ask): only what is certain. A `SELECT` from one table whose items are plain column
 * references or `count(*)` gets catalog types and NOT NULL; any other item is `unknown` and
 * nullable; any other statement shape (joins, subqueries, set operations, data changes) is not
 * described at all.
 */
export class OfflineDescriber implements StatementDescriber {
  constructor(private readonly snapshot: SchemaSnapshot) {}

  async describe(sql: string): Promise<StatementDescription> {
    await (loading ??= loadModule());
    const ast = parseSync(sql) as { stmts?: { stmt?: Node }[] };
    const select = ast.stmts?.length === 1 ? (ast.stmts[0]?.stmt?.SelectStmt as Node | undefined) : undefined;
    const from = select?.fromClause as Node[] | undefined;
    const range = from?.length === 1 ? (from[0].RangeVar as Node | undefined) : undefined;
    // Grouping sets null out grouped columns in their super-aggregate rows.
    const groupingSets = JSON.stringify(select?.groupClause ?? null).includes('GroupingSet');
    if (!select || select.op !== 'SETOP_NONE' || select.withClause || select.intoClause || !range || groupingSets)
      throw new Error('only a SELECT from one table is described offline');
    const relation = this.relation(range);
    if (!relation) throw new Error('the table is not in the schema');
    const alias = ((range.alias as Node | undefined)?.aliasname as string | undefined) ?? String(range.relname);
    const columns = (select.targetList as Node[]).flatMap((item) =>
      this.column(item.ResTarget as Node, relation, alias),
    );
    return { columns, parameters: Array.from({ length: highestParameter(ast) }, () => 'unknown') };
  }

  private relation(range: Node): Relation | undefined {
    const name = String(range.relname);
    const schema = range.schemaname as string | undefined;
    const candidates = this.snapshot.relations.filter((r) => r.name === name && (!schema || r.schema === schema));
    return candidates.length === 1 ? candidates[0] : candidates.find((r) => r.schema === 'public');
  }

  private column(target: Node, relation: Relation, alias: string): DescribedColumn[] {
    const value = target.val as Node;
    const outputName = target.name as string | undefined;
    const ref = value.ColumnRef as Node | undefined;
    if (ref) {
      const parts = (ref.fields as Node[]).map((f) => (f.String ? String((f.String as Node).sval) : '*'));
      const qualifier = parts.length === 2 ? parts[0] : undefined;
      const name = parts[parts.length - 1];
      if (parts.length <= 2 && (!qualifier || qualifier === alias)) {
        if (name === '*') return relation.columns.map((c) => this.described(c.name, c.type, c.nullable));
        const column = relation.columns.find((c) => c.name === name);
        if (column) return [this.described(outputName ?? column.name, column.type, column.nullable)];
      }
    }
    const call = value.FuncCall as Node | undefined;
    const callName = (call?.funcname as Node[] | undefined)?.map((f) => String((f.String as Node).sval)).join('.');
    if (call?.agg_star && (callName === 'count' || callName === 'pg_catalog.count') && !call.agg_filter)
      return [{ name: outputName ?? 'count', type: 'int8', nullable: false }];
    return [{ name: outputName ?? '?column?', type: 'unknown', nullable: true }];
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
