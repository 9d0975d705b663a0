/**
 * The dialect-neutral query model. Each dialect front (PostgreSQL from libpg-query's AST, MySQL
 * from node-sql-parser's) translates a statement into this shape; the resolver checks it against
 * a `SchemaSnapshot`. It records names and where they are written, nothing about types or values.
 *
 * Offsets are UTF-16 offsets into the analysed text (the whole file, not the statement).
 * Whenever a front cannot follow a construct it sets `unsure` on the nearest scope (or marks a
 * source `open`) instead of guessing: the resolver then stays silent rather than risk a false error.
 */

/** A name as written. `text` is what the dialect's parser made of it: PG folds unquoted names to
 *  lower case, MySQL keeps the spelling (the resolver applies its case rules). */
export interface Name {
  text: string;
  quoted: boolean;
}

/** A name with its exact range; `start` < 0 when the front could not locate it in the text. */
export interface Ident extends Name {
  start: number;
  end: number;
}

/** A reference to a table or view (or a CTE: the resolver decides), with optional schema. */
export interface TableRef {
  kind: 'table';
  schema?: Ident;
  name: Ident;
  alias?: Name;
  /** `AS x(a, b)`: renames the first columns. */
  columnAliases?: Name[];
}

/** A subquery in FROM (`(SELECT …) AS x(a, b)`, `(VALUES …) v(a)`), possibly LATERAL. */
export interface DerivedTable {
  kind: 'derived';
  query: Query;
  alias?: Name;
  columnAliases?: Name[];
  /** LATERAL: the subquery sees the FROM items before it. */
  lateral: boolean;
}

/**
 * A table function (`generate_series`, `unnest`, `json_to_recordset`, XMLTABLE, …) or anything
 * else whose columns cannot be known: every column reference that may reach it is accepted.
 * Its argument expressions see the FROM items before it (PG functions are implicitly LATERAL).
 */
export interface OpaqueSource {
  kind: 'opaque';
  /** The name it is referenced by: its alias, or the function's name. */
  alias?: Name;
  /** Scope with the argument expressions' references and subqueries. */
  args?: Query;
  /** Set when the columns are certain after all (a set-returning function of a scalar type). */
  knownColumns?: Name[];
}

/** `a JOIN b ON …`, `a JOIN b USING (…)`, `a NATURAL JOIN b`, `a CROSS JOIN b`. */
export interface Join {
  kind: 'join';
  left: FromItem;
  right: FromItem;
  /** USING columns: each must exist on both sides; unqualified references to them are not ambiguous. */
  using?: Ident[];
  natural: boolean;
  /** Column references of the ON condition: they see only this join's two sides (and outer scopes). */
  on?: Query;
  /** `JOIN … USING (…) AS j`: a name for the merged columns. */
  alias?: Name;
}

export type FromItem = TableRef | DerivedTable | OpaqueSource | Join;

/** A column reference: `name`, `t.name`, `s.t.name`, `t.*`, `*`. */
export interface ColumnRef {
  /** Qualifiers and then the column name; for a star, only the qualifiers. */
  parts: Ident[];
  star: boolean;
  /** ORDER BY / GROUP BY (PG) and also HAVING (MySQL): a single name may be an output alias. */
  allowOutputAlias?: boolean;
}

/** One output column of a query: its name where the front knows it, or a star to expand. */
export type OutputColumn = { kind: 'column'; name: Name | null } | { kind: 'star'; ref: ColumnRef };

/** A WITH item. */
export interface Cte {
  name: Name;
  columnAliases?: Name[];
  query: Query;
}

/**
 * The target of INSERT / UPDATE / DELETE (or MERGE): a table whose columns `columns` must have,
 * and which `returning`, `SET` expressions and `ON CONFLICT` see under its alias.
 */
export interface ModifyTarget {
  table: TableRef;
  /** INSERT column list, UPDATE SET names, ON CONFLICT target names. */
  columns: Ident[];
  /** PG `ON CONFLICT … DO UPDATE`: `excluded` is a second copy of the target. MySQL `VALUES(col)`
   *  references are checked against the target through `valuesRefs`. */
  excludedAlias?: boolean;
  /** MySQL `ON DUPLICATE KEY UPDATE … VALUES(col)`: names that must be target columns. */
  valuesRefs?: Ident[];
  /**
   * PG 18 RETURNING: the row before and after the change, as copies of the target. `declared`
   * lists the `RETURNING WITH (OLD AS o, NEW AS n)` aliases; `old` and `new` are implied from
   * PostgreSQL 18 on (the resolver asks the snapshot's server version).
   */
  returningRows?: { declared: Name[] };
}

/**
 * One query level (a SELECT, a VALUES list, or the body of an INSERT/UPDATE/DELETE): a name scope.
 * `refs` are resolved against `from` (plus the target, for DML) and then against outer scopes.
 */
export interface Query {
  /** WITH items declared at this level; visible here and in every nested query. */
  ctes: Cte[];
  recursive: boolean;
  /** DML target; for INSERT its source query is in `sources` with `seesOuter: false`. */
  target?: ModifyTarget;
  from: FromItem[];
  refs: ColumnRef[];
  /** Expression subqueries (scalar, EXISTS, IN, ARRAY): they see this level as their outer scope. */
  subqueries: Query[];
  /** Queries that see only the CTEs, not this level's columns (INSERT's SELECT/VALUES source). */
  sources: Query[];
  /** What the query returns (select list, RETURNING, VALUES columns); null when unknown. */
  outputs: OutputColumn[] | null;
  /** Further branches of UNION / INTERSECT / EXCEPT: separate scopes; the first branch names the outputs. */
  setBranches: Query[];
  /** Something here could not be followed: report nothing for references at this level. */
  unsure: boolean;
  /** PG: `column <op> 'text'`, `column IN ('text', …)` and assignments, where the literal is read as the column's type. */
  literalComparisons?: LiteralComparison[];
}

/** A string literal compared with a column: PostgreSQL reads it as the column's type, at PREPARE. */
export interface LiteralComparison {
  column: ColumnRef;
  /** The literal is assigned to a column of the DML target (INSERT … VALUES, UPDATE … SET), not compared. */
  assigned?: true;
  /** The literal's value, and the range of its quoted text. */
  literal: { value: string; start: number; end: number };
}

/** What a statement does to the names later statements in the same script see. */
export interface SchemaEffect {
  /** Relations created or altered (`CREATE TABLE`, `ALTER TABLE`, `CREATE VIEW` …): their columns
   *  are unknown to the snapshot, so references to them are accepted. */
  touchedRelations: { schema?: Name; name: Name }[];
  createdSchemas: Name[];
  /** `SET search_path = …` (PG) or `USE db` (MySQL). */
  searchPath?: string[];
  /** Functions, aggregates and types created or renamed (PG): calls to them are accepted. */
  createdRoutines?: Name[];
  /** Something that may create functions of unknown names ran (CREATE EXTENSION, DO): no call is judged after it. */
  routinesUnknowable?: boolean;
}

/** A function call as written (PG), for the check that the function exists. */
export interface FunctionCall {
  schema?: Ident;
  name: Ident;
}

/** One statement as a front translated it. */
export interface StatementModel {
  /** The statement's query tree, or undefined when there is nothing to resolve (DDL, SET, …). */
  query?: Query;
  effect?: SchemaEffect;
  /** The function calls of a query statement (not of DDL, whose bodies run later). */
  calls?: FunctionCall[];
}

/** An empty query level to fill in. */
export function emptyQuery(): Query {
  return {
    ctes: [],
    recursive: false,
    from: [],
    refs: [],
    subqueries: [],
    sources: [],
    outputs: null,
    setBranches: [],
    unsure: false,
  };
}
