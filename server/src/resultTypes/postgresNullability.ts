import { loadModule, parseSync } from 'libpg-query';

/**
 * Where a PostgreSQL statement can turn a NOT NULL table column into NULL, read from its parse
 * tree: the nullable side of an outer join (LEFT: the right side, RIGHT: the left, FULL: both),
 * anywhere in the statement, subqueries and CTEs included; set operations and grouping sets,
 * which lose NOT NULL for every column. Aggregates are read per output item: `count` is never
 * NULL, any other aggregate is NULL over an empty input.
 */

export type Node = Record<string, unknown>;

/** A relation as the statement names it. */
export interface RangeName {
  schema?: string;
  name: string;
}

export interface NullabilityFacts {
  /** Relations read on the nullable side of an outer join: none of their columns is NOT NULL there. */
  nullableSide: RangeName[];
  /** False when a set operation or grouping sets make every column nullable. */
  keepsNotNull: boolean;
  /** The top-level SELECT's output items in order, or undefined when a `*` makes positions unknowable. */
  items: Node[] | undefined;
}

let loading: Promise<void> | undefined;

/** Parses one statement; undefined when it is not exactly one statement libpg-query reads. */
export async function parseStatement(sql: string): Promise<Node | undefined> {
  await (loading ??= loadModule());
  try {
    const ast = parseSync(sql) as { stmts?: { stmt?: Node }[] };
    return ast.stmts?.length === 1 ? ast.stmts[0].stmt : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `visit` on every object node under `node` (the key it sits under and the node). */
function walk(node: unknown, visit: (key: string, value: Node) => void, key = ''): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit, key);
  else if (node !== null && typeof node === 'object') {
    visit(key, node as Node);
    for (const [k, v] of Object.entries(node)) walk(v, visit, k);
  }
}

function rangesUnder(node: unknown): RangeName[] {
  const ranges: RangeName[] = [];
  walk(node, (key, value) => {
    if (key === 'RangeVar')
      ranges.push({
        ...(typeof value.schemaname === 'string' ? { schema: value.schemaname } : {}),
        name: String(value.relname),
      });
  });
  return ranges;
}

export function nullabilityFacts(statement: Node): NullabilityFacts {
  let keepsNotNull = true;
  const ctes = new Map<string, Node>();
  const nullableSide: RangeName[] = [];
  walk(statement, (key, value) => {
    if (key === 'SelectStmt' && value.op !== undefined && value.op !== 'SETOP_NONE') keepsNotNull = false;
    if (key === 'GroupingSet') keepsNotNull = false;
    if (key === 'CommonTableExpr') ctes.set(String(value.ctename), value.ctequery as Node);
    if (key === 'JoinExpr') {
      const type = value.jointype;
      if (type === 'JOIN_LEFT' || type === 'JOIN_FULL') nullableSide.push(...rangesUnder(value.rarg));
      if (type === 'JOIN_RIGHT' || type === 'JOIN_FULL') nullableSide.push(...rangesUnder(value.larg));
    }
  });
  // A CTE read on the nullable side makes the relations it reads nullable there too.
  const seen = new Set<string>();
  for (let i = 0; i < nullableSide.length; i++) {
    const { schema, name } = nullableSide[i];
    const cte = schema === undefined ? ctes.get(name) : undefined;
    if (cte && !seen.has(name)) {
      seen.add(name);
      nullableSide.push(...rangesUnder(cte));
    }
  }
  const select = (statement.SelectStmt ?? statement.InsertStmt ?? statement.UpdateStmt ?? statement.DeleteStmt) as
    Node | undefined;
  const list = (select?.targetList ?? select?.returningList) as Node[] | undefined;
  const items = list?.map((item) => (item.ResTarget as Node).val as Node);
  const hasStar = JSON.stringify(items ?? null).includes('"A_Star"');
  return { nullableSide, keepsNotNull, items: items && !hasStar ? items : undefined };
}

/** The aggregate an output item is, by name (`count`, `max`, …), when it is a plain aggregate call. */
export function aggregateName(item: Node | undefined): string | undefined {
  const call = item?.FuncCall as Node | undefined;
  if (!call || call.over) return undefined;
  const name = (call.funcname as Node[]).map((f) => String((f.String as Node).sval)).join('.');
  return AGGREGATES.has(name.replace(/^pg_catalog\./, '')) ? name.replace(/^pg_catalog\./, '') : undefined;
}

/** Built-in aggregates: over no rows `count` gives 0, every other one NULL. */
const AGGREGATES = new Set(
  'count max min sum avg bool_and bool_or every bit_and bit_or string_agg array_agg json_agg jsonb_agg json_object_agg jsonb_object_agg stddev stddev_pop stddev_samp variance var_pop var_samp'.split(
    ' ',
  ),
);
