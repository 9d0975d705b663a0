import type {
  ColumnRef,
  Cte,
  FromItem,
  Ident,
  Join,
  Name,
  OutputColumn,
  Query,
  StatementModel,
  TableRef,
} from '../model';
import { emptyQuery } from '../model';
import type { IdentifierLocator } from './locate';

/**
 * Translates node-sql-parser's MySQL/MariaDB AST into the dialect-neutral model. The AST is
 * untyped JSON whose shape varies between parser versions, so every field is read defensively;
 * a FROM item or statement part this code does not recognise makes its scope `unsure` (the
 * resolver then stays silent) instead of being guessed at.
 */

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A name as the AST spells it: a string, or `{ value }` / `{ expr: { value } }` for quoted forms. */
function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return undefined;
  if (typeof value.value === 'string') return value.value;
  return isNode(value.expr) ? nameOf(value.expr) : undefined;
}

const plainName = (text: string): Name => ({ text, quoted: false });

/** Walking context for expressions. */
interface ExprContext {
  /** GROUP BY, HAVING and ORDER BY: MySQL lets a bare name there be a select-list alias. */
  aliasOk: boolean;
  /** Inside ON DUPLICATE KEY UPDATE: `VALUES(col)` names a column of the insert target. */
  valuesRefs?: Ident[];
}

/** Reserved words that are never a bare column name, only operators, functions or clauses. */
const RESERVED_WORDS = new Set(
  `BINARY INTERVAL DISTINCT CASE WHEN THEN ELSE END NOT NULL EXISTS DEFAULT SELECT FROM WHERE AND OR IN IS LIKE
  BETWEEN AS ON USING JOIN UNION ALL ANY SOME ROW KEY ORDER GROUP BY HAVING LIMIT SET VALUES INTO DIV MOD XOR
  REGEXP RLIKE COLLATE CHARACTER CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER LOCALTIME
  LOCALTIMESTAMP UTC_DATE UTC_TIME UTC_TIMESTAMP MATCH AGAINST SEPARATOR ESCAPE OVER PARTITION WINDOW LATERAL
  TRUE FALSE UNKNOWN DUAL SOUNDS HIGH_PRIORITY STRAIGHT_JOIN SQL_CALC_FOUND_ROWS`.split(/\s+/),
);

const PLAIN: ExprContext = { aliasOk: false };
const ALIAS_OK: ExprContext = { aliasOk: true };

export class MysqlModelBuilder {
  constructor(private readonly locator: IdentifierLocator) {}

  /** The model of one statement's AST; names without parser locations are placed at the end. */
  statement(ast: Node): StatementModel {
    const model = this.dispatch(ast);
    this.locator.placePending();
    return model;
  }

  private dispatch(ast: Node): StatementModel {
    switch (ast.type) {
      case 'select':
        return { query: this.query(ast) };
      case 'insert':
      case 'replace':
        return { query: this.insert(ast) };
      case 'update':
        return { query: this.update(ast) };
      case 'delete':
        return { query: this.delete(ast) };
      case 'create':
      case 'alter':
        return { effect: { touchedRelations: this.ddlRelations(ast), createdSchemas: this.createdSchemas(ast) } };
      case 'use': {
        const database = nameOf(ast.db);
        return database ? { effect: { touchedRelations: [], createdSchemas: [], searchPath: [database] } } : {};
      }
      default:
        return {};
    }
  }

  /** A SELECT with its UNION/EXCEPT/INTERSECT branches (`_next` chain). */
  private query(ast: Node): Query {
    const query = this.select(ast);
    for (let next = ast._next; isNode(next); next = next._next) query.setBranches.push(this.select(next));
    return query;
  }

  private select(ast: Node): Query {
    const query = emptyQuery();
    this.withClause(ast.with, query);
    query.from = this.fromList(ast.from, query);
    query.outputs = this.outputs(ast.columns, query);
    this.expr(ast.where, query, PLAIN);
    this.expr(isNode(ast.groupby) ? ast.groupby.columns : ast.groupby, query, ALIAS_OK);
    this.expr(ast.having, query, ALIAS_OK);
    this.expr(ast.orderby, query, ALIAS_OK);
    this.expr(ast.window, query, PLAIN);
    return query;
  }

  private withClause(withItems: unknown, query: Query): void {
    for (const item of list(withItems)) {
      if (!isNode(item)) continue;
      const name = nameOf(item.name);
      const stmt = isNode(item.stmt) ? (isNode(item.stmt.ast) ? item.stmt.ast : item.stmt) : undefined;
      if (name === undefined || !stmt) {
        query.unsure = true;
        continue;
      }
      if (item.recursive === true) query.recursive = true;
      const cte: Cte = { name: plainName(name), query: this.query(stmt) };
      const columns = list(item.columns).map((c) => nameOf(isNode(c) && 'column' in c ? c.column : c));
      if (columns.length > 0) {
        if (columns.some((c) => c === undefined)) query.unsure = true;
        else cte.columnAliases = (columns as string[]).map(plainName);
      }
      query.ctes.push(cte);
    }
  }

  /** FROM items; a joined item combines with the item before it, a comma starts a new one. */
  private fromList(from: unknown, query: Query): FromItem[] {
    const items: FromItem[] = [];
    // `FROM (a JOIN b ON …)`: the parenthesised items, then the joins after the parenthesis.
    const flat: unknown = isNode(from) && Array.isArray(from.expr) ? [...list(from.expr), ...list(from.joins)] : from;
    if (flat !== null && flat !== undefined && !Array.isArray(flat)) query.unsure = true;
    for (const item of list(flat)) {
      if (!isNode(item) || item.type === 'dual') continue;
      const source = this.fromItem(item, query);
      const joinKind = typeof item.join === 'string' ? item.join : undefined;
      const left = joinKind ? items.pop() : undefined;
      if (!left) {
        items.push(source);
        continue;
      }
      const join: Join = { kind: 'join', left, right: source, natural: /natural/i.test(joinKind ?? '') };
      if (item.using !== undefined && item.using !== null) {
        const names = list(item.using).map(nameOf);
        if (names.some((n) => n === undefined)) query.unsure = true;
        else join.using = (names as string[]).map((n) => this.locator.later(n).ident);
      }
      if (item.on !== undefined && item.on !== null) {
        const on = emptyQuery();
        this.expr(item.on, on, PLAIN);
        join.on = on;
      }
      items.push(join);
    }
    return items;
  }

  private fromItem(item: Node, query: Query): FromItem {
    const alias = nameOf(item.as);
    const aliasName = alias === undefined ? {} : { alias: plainName(alias) };
    const table = nameOf(item.table);
    if (table !== undefined && item.expr === undefined) return this.tableRef(item, table);
    // `JOIN (b JOIN c ON …) ON …`: a nested join, whose names the ON after it sees.
    if (Array.isArray(item.expr)) {
      const [first, ...rest] = this.fromList({ expr: item.expr, joins: item.joins }, query);
      if (first) return rest.reduce<FromItem>((left, right) => ({ kind: 'join', left, right, natural: false }), first);
    }
    const sub = isNode(item.expr) && isNode(item.expr.ast) ? item.expr.ast : undefined;
    if (sub) {
      const columns = list(item.columns).map(nameOf);
      return {
        kind: 'derived',
        query: this.query(sub),
        ...aliasName,
        ...(columns.length > 0 && columns.every((c) => c !== undefined)
          ? { columnAliases: columns.map(plainName) }
          : {}),
        lateral: item.lateral === true || /lateral/i.test(typeof item.prefix === 'string' ? item.prefix : ''),
      };
    }
    // A table function or a construct this translation does not know: its columns are unknown.
    const args = emptyQuery();
    this.expr(item.expr, args, PLAIN);
    return { kind: 'opaque', ...aliasName, args };
  }

  private tableRef(item: Node, table: string): TableRef {
    const schema = nameOf(item.db) ?? undefined;
    const placed = this.locator.later(table, schema);
    const alias = nameOf(item.as);
    return {
      kind: 'table',
      name: placed.ident,
      ...(placed.qualifier ? { schema: placed.qualifier } : {}),
      ...(alias === undefined ? {} : { alias: plainName(alias) }),
    };
  }

  private outputs(columns: unknown, query: Query): OutputColumn[] | null {
    if (!Array.isArray(columns)) {
      query.unsure = true;
      return null;
    }
    return columns.map((column): OutputColumn => {
      const expr: unknown = isNode(column) && 'expr' in column ? column.expr : column;
      const alias = isNode(column) ? nameOf(column.as) : undefined;
      if (isNode(expr) && expr.type === 'column_ref') {
        const ref = this.columnRef(expr, query, PLAIN);
        if (ref?.star && alias === undefined) return { kind: 'star', ref };
        const name = alias ?? ref?.parts.at(-1)?.text;
        return { kind: 'column', name: name === undefined ? null : plainName(name) };
      }
      this.expr(expr, query, PLAIN);
      return { kind: 'column', name: alias === undefined ? null : plainName(alias) };
    });
  }

  private insert(ast: Node): Query {
    const query = emptyQuery();
    this.withClause(ast.with, query);
    const target = list(ast.table)[0];
    const table = isNode(target) ? nameOf(target.table) : undefined;
    if (!isNode(target) || table === undefined) {
      query.unsure = true;
      return query;
    }
    const tableRef = this.tableRef(target, table);
    const columns = list(ast.columns).map((c) => this.locator.later(nameOf(c) ?? '').ident);
    for (const assignment of list(ast.set)) this.assignment(assignment, columns, query, PLAIN);
    const values = ast.values;
    let selectSource = false;
    if (isNode(values) && values.type === 'values') {
      this.expr(values.values, query, PLAIN);
    } else if (isNode(values)) {
      const select = isNode(values.ast) ? values.ast : values;
      query.sources.push(this.query(select));
      selectSource = true;
    }
    const valuesRefs: Ident[] = [];
    const duplicate = isNode(ast.on_duplicate_update) ? ast.on_duplicate_update : undefined;
    if (duplicate) {
      // After INSERT … SELECT the update may also name the SELECT's columns: not followed, so silent.
      const scope = selectSource ? { ...emptyQuery(), unsure: true } : query;
      if (scope !== query) query.subqueries.push(scope);
      for (const assignment of list(duplicate.set))
        this.assignment(assignment, columns, scope, { aliasOk: false, valuesRefs });
    }
    query.target = { table: tableRef, columns, ...(valuesRefs.length > 0 ? { valuesRefs } : {}) };
    return query;
  }

  /** `col = expr` of INSERT … SET or ON DUPLICATE KEY UPDATE: the column must be the target's. */
  private assignment(assignment: unknown, columns: Ident[], query: Query, context: ExprContext): void {
    if (!isNode(assignment)) return;
    const column = nameOf(assignment.column);
    if (column !== undefined) columns.push(this.locator.later(column, nameOf(assignment.table)).ident);
    this.expr(assignment.value, query, context);
  }

  /** UPDATE, single- or multi-table: SET names resolve like column references over the joined tables. */
  private update(ast: Node): Query {
    const query = emptyQuery();
    this.withClause(ast.with, query);
    query.from = this.fromList(ast.table, query);
    for (const assignment of list(ast.set)) {
      if (!isNode(assignment)) continue;
      const column = nameOf(assignment.column);
      if (column === undefined) {
        query.unsure = true;
        continue;
      }
      const placed = this.locator.later(column, nameOf(assignment.table));
      query.refs.push({ parts: placed.qualifier ? [placed.qualifier, placed.ident] : [placed.ident], star: false });
      this.expr(assignment.value, query, PLAIN);
    }
    this.expr(ast.where, query, PLAIN);
    this.expr(ast.orderby, query, PLAIN);
    return query;
  }

  /** DELETE: the FROM tables are the scope; multi-table targets are aliases of them. */
  private delete(ast: Node): Query {
    const query = emptyQuery();
    this.withClause(ast.with, query);
    for (const target of list(ast.table)) {
      // Claim the target aliases' tokens so FROM names are placed on their own mentions.
      if (isNode(target) && target.addition !== true && nameOf(target.table) !== undefined) {
        this.locator.later(nameOf(target.table) as string, nameOf(target.db));
      }
    }
    query.from = this.fromList(ast.from, query);
    this.expr(ast.where, query, PLAIN);
    this.expr(ast.orderby, query, PLAIN);
    return query;
  }

  private ddlRelations(ast: Node): { schema?: Name; name: Name }[] {
    const named = [...list(ast.table), ...(isNode(ast.view) ? [ast.view] : [])];
    return named.flatMap((item) => {
      if (!isNode(item)) return [];
      const name = nameOf(item.table) ?? nameOf(item.view);
      const schema = nameOf(item.db);
      return name === undefined ? [] : [{ name: plainName(name), ...(schema ? { schema: plainName(schema) } : {}) }];
    });
  }

  private createdSchemas(ast: Node): Name[] {
    const keyword = typeof ast.keyword === 'string' ? ast.keyword.toLowerCase() : '';
    if (ast.type !== 'create' || (keyword !== 'database' && keyword !== 'schema')) return [];
    const name = nameOf(ast.database) ?? nameOf(isNode(ast.database) ? ast.database.schema : undefined);
    return name === undefined ? [] : [plainName(name)];
  }

  /** Collects column references and subqueries of any expression shape. */
  private expr(node: unknown, query: Query, context: ExprContext): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expr(item, query, context);
      return;
    }
    if (!isNode(node)) return;
    if (node.type === 'column_ref') {
      this.columnRef(node, query, context);
      return;
    }
    // MariaDB and MySQL read `$1` as a name, not a placeholder: a column reference like any other.
    if (node.type === 'var' && node.prefix === '$' && typeof node.name === 'number') {
      query.refs.push({ parts: [this.locator.later(`$${node.name}`).ident], star: false });
      return;
    }
    if (isNode(node.ast)) {
      query.subqueries.push(this.query(node.ast));
      return;
    }
    if (node.type === 'select') {
      query.subqueries.push(this.query(node));
      return;
    }
    if (context.valuesRefs && node.type === 'function' && functionName(node) === 'VALUES') {
      for (const arg of list(isNode(node.args) ? node.args.value : undefined)) {
        const ref = isNode(arg) && arg.type === 'column_ref' ? this.columnRef(arg, undefined, context) : undefined;
        const column = ref?.parts.at(-1);
        if (column && ref?.star === false) context.valuesRefs.push(column);
        else query.unsure = true;
      }
      return;
    }
    // MariaDB's sequence functions name a sequence (a table), not a column, in their first argument.
    if (node.type === 'function' && /^(NEXTVAL|LASTVAL|SETVAL)$/.test(functionName(node) ?? '')) {
      this.expr(list(isNode(node.args) ? node.args.value : undefined).slice(1), query, context);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'loc') this.expr(value, query, context);
    }
  }

  /** Adds the reference to `query` (when given) and returns it; undefined when it cannot be read. */
  private columnRef(node: Node, query: Query | undefined, context: ExprContext): ColumnRef | undefined {
    const column = nameOf(node.column);
    if (column === undefined) {
      if (query) query.unsure = true;
      return undefined;
    }
    const star = column === '*';
    const table = nameOf(node.table) ?? undefined;
    const loc = isNode(node.loc) ? node.loc : undefined;
    const start = isNode(loc?.start) ? loc.start.offset : undefined;
    const end = isNode(loc?.end) ? loc.end.offset : undefined;
    const located = typeof start === 'number' && typeof end === 'number' ? this.locator.partsAt(start, end) : undefined;
    let parts: Ident[];
    // Trust the located tokens only when they spell what the parser read.
    if (
      located &&
      located.star === star &&
      (star || located.parts.at(-1)?.text.toLowerCase() === column.toLowerCase())
    ) {
      parts = located.parts;
    } else if (star) {
      parts = table === undefined ? [] : [this.locator.later(table, nameOf(node.db)).ident];
    } else {
      const placed = this.locator.later(column, table);
      parts = placed.qualifier ? [placed.qualifier, placed.ident] : [placed.ident];
    }
    // A bare reserved word read as a column (`BINARY email`) means the parser misread the expression.
    const bare = parts.length === 1 && !parts[0].quoted ? parts[0].text.toUpperCase() : '';
    if (RESERVED_WORDS.has(bare)) {
      if (query) query.unsure = true;
      return undefined;
    }
    const ref: ColumnRef = {
      parts,
      star,
      ...(context.aliasOk && parts.length === 1 ? { allowOutputAlias: true } : {}),
    };
    query?.refs.push(ref);
    return ref;
  }
}

function functionName(node: Node): string | undefined {
  const name = node.name;
  if (typeof name === 'string') return name.toUpperCase();
  const parts = isNode(name) ? list(name.name) : [];
  return parts.length === 1 ? nameOf(parts[0])?.toUpperCase() : undefined;
}
