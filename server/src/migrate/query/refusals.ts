/**
 * Every reason a migration gives for refusing a statement, said once. The front half
 * (`sourceStatement.ts`, `commonRefusals.ts`) refuses what no builder converts; a generator refuses
 * only what its builder cannot print faithfully. Tests import these texts instead of repeating them.
 */

/** The builders, as a reason names them. */
export type BuilderName = 'Kysely' | 'Knex' | 'SQLAlchemy';

export const REFUSAL = {
  // Reading the statement (sourceStatement.ts).
  doesNotParse: (grammar: string, error: string) => `the statement does not parse in ${grammar}: ${error}`,
  oneStatement: 'exactly one statement is converted at a time',
  statementKind: (kind: string) => `${kind} statements are not converted; only SELECT, INSERT, UPDATE and DELETE`,
  tooDeep: 'the statement nests too deeply to convert',
  unknownPart: 'the statement has a part the generator does not understand',
  unexpectedNode: (kind: string) => `unexpected ${kind} where a name was expected`,
  missingParameter: (number: number) => `parameter $${number} has no host expression`,
  spliced: (code: string) => `the interpolation ${code} stands where SQL text, not a value, may have been spliced`,

  // MySQL text the shared grammar would read with another meaning.
  mysqlCapitals: (name: string) =>
    `the name "${name}" is written with capitals without backticks; MySQL table names are case-sensitive, so write it as stored (in backticks)`,
  mysqlUnterminated: (what: string) => `the statement has an unterminated ${what}`,
  mysqlVersionComment: 'MySQL version comments and optimizer hints are not converted',
  mysqlDistinctFrom: 'IS [NOT] DISTINCT FROM is PostgreSQL syntax, not MySQL (its <=> is)',
  mysqlNullSafeNextToComparison:
    '<=> next to another comparison at the same depth is not converted (MySQL and PostgreSQL group them differently); parenthesize it',
  mysqlDoubleQuotedString: 'a double-quoted MySQL string is not converted; use single quotes',
  mysqlBackslashString: 'a string with backslash escapes is not converted',
  mysqlStringPrefix: (prefix: string) => `the string prefix ${prefix} is not converted`,
  mysqlHexLiteral: 'hexadecimal and binary literals are not converted',
  mysqlVariable: 'MySQL variables are not converted',
  mysqlOperator: (operator: string) =>
    `the operator ${operator} means something else in MySQL than in standard SQL; it is not converted`,

  // PostgreSQL constructs the shared grammar reads in a MySQL statement, which MySQL runs otherwise or not at all.
  postgresOnly: (construct: string) => `${construct} is PostgreSQL syntax, not MySQL`,
  mysqlIlike:
    "ILIKE does not exist in MySQL (LIKE's case sensitivity follows the column's collation); it is not converted",
  mysqlNullsOrder:
    'NULLS FIRST/LAST does not exist in MySQL (it sorts NULL first ascending and last descending); it is not converted',
  mysqlFullJoin: 'MySQL has no FULL JOIN (it reads FULL as a table alias); it is not converted',
  mysqlUnaliasedColumn: (builder: BuilderName) =>
    `MySQL names an unaliased computed column after its exact SQL text, which ${builder} writes differently; add an alias (… AS name) to convert it`,

  /** A name a builder's identifier strings would split or misread. */
  kyselyName: (name: string) => `the name "${name}" cannot be written in a Kysely reference string`,

  knexName: (name: string) =>
    `the name "${name}" cannot be written in a Knex identifier string (Knex splits names on "." and " as ")`,
  protoKey: 'a column named __proto__ cannot be an object key',

  // What Knex writes only through knex.raw.
  knexRaw: (what: string) => `${what} has no Knex builder method (Knex would need knex.raw)`,
  knexArray: (operator: string) =>
    `${operator} (array) has no Knex builder method (Knex would need knex.raw); whereIn binds a list, not one array`,
  knexConditionOnly: (what: string) => `${what} is only converted to Knex as a condition in WHERE, HAVING or ON`,
  knexColumnOnly: (what: string) => `${what} is only converted to Knex with a column (Knex compares columns)`,
  knexValueOnly: (what: string) => `${what} other than a constant or a parameter is not converted to Knex`,
  knexAggregate: (name: string) =>
    `the aggregate ${name}(…) is only converted to Knex as a select-list item over a column; anywhere else it would need knex.raw`,
  knexDistinctFrom: 'IS DISTINCT FROM is only converted to Knex against a constant',
  knexUnaliasedSubquery: 'an unaliased scalar subquery over an expression is not converted; give it an alias',
  knexInsertSelect: 'INSERT … SELECT is not converted: Knex writes it without the column list',
  knexMysqlReturning: 'Knex leaves RETURNING out for MySQL and MariaDB',
  knexMysqlLocking: 'only FOR UPDATE without OF is converted to Knex for MySQL',
  inClause: (clause: string, reason: string) => `${clause} an expression: ${reason}`,

  // What SQLAlchemy Core and the schema module cannot spell.
  sqlalchemyFunc: (name: string) =>
    `the function ${name} is not converted: SQLAlchemy's func would not write it as ${name}(...)`,
  sqlalchemyMysqlReturning: 'RETURNING is not converted for MySQL/MariaDB: SQLAlchemy 1.4 does not write it',
  schemaModuleCapitals: (name: string) =>
    `the name "${name}" is written with capitals without backticks; the schema module names it as the catalog stores it`,
  columnWithoutTable: (column: string) => `the column "${column}" has no table to come from`,
  unqualifiedColumn: (column: string) =>
    `the column "${column}" is not qualified and the query reads several tables; write table.${column} so the code can name its table`,
  unknownQualifier: (qualifier: string) => `"${qualifier}" is not a table or alias of the query`,
  outputAlias: (clause: string, alias: string) =>
    `${clause} on the select-list alias "${alias}" is not converted; repeat the expression`,
  columnPosition: (position: number) => `the column position ${position} is not converted here`,
  ambiguousOrderBy: (name: string) => `ORDER BY "${name}" is ambiguous: several select-list columns have that name`,
  comparedWithNull: (operator: string) =>
    `comparing with NULL (${operator} NULL) is never true; SQLAlchemy would write IS NULL instead`,
  likeEscapeCharacter: 'LIKE … ESCAPE with other than one character (not a quote) is not converted',
  arrayCast: 'casts to array types are not converted',
  castTo: (type: string) => `a cast to ${type} is not converted`,
  typeModifier: (type: string) => `the type modifiers of ${type} are not converted`,
  extractField: (field: string) => `EXTRACT(${field} FROM …) is not converted`,
  valueFunctionPrecision: (name: string) => `${name}(precision) is not converted`,
  starArgument: (name: string) => `${name}(*) is not converted`,
  valuesRowLength: 'a VALUES row must have one value per column',
  targetAliasWithSubquery: (statement: string) =>
    `an alias on the ${statement} target together with a subquery is not converted`,
  onlyPlainTables: (construct: string) => `only plain tables in ${construct} are converted`,
  targetTableAgain: (construct: string) =>
    `${construct} naming the target table again without an alias is not converted`,
  unusedTable: (construct: string, table: string) =>
    `the ${construct} table "${table}" is not used in SET or WHERE; SQLAlchemy would leave it out`,

  // SELECT.
  setOperation: 'UNION, INTERSECT and EXCEPT are not converted',
  valuesQuery: 'a VALUES list as a query is not converted',
  selectInto: 'SELECT … INTO creates a table; it is not converted',
  windowClause: 'WINDOW clauses are not converted',
  groupByDistinct: 'GROUP BY DISTINCT is not converted',
  groupingSets: 'ROLLUP, CUBE and GROUPING SETS are not converted',
  positionConstant: 'a constant other than a column position in GROUP BY/ORDER BY is not converted',
  orderByUsing: 'ORDER BY … USING is not converted',
  withTies: 'FETCH … WITH TIES is not converted',
  count: (clause: string) => `${clause} other than a number or a parameter is not converted`,
  withClause: 'common table expressions (WITH) are not converted',
  recursiveWith: 'WITH RECURSIVE is not converted',
  dataModifyingWith: 'data-modifying statements in WITH are not converted',
  rowLocking: 'row locking (FOR UPDATE/SHARE) is not converted',
  starWithoutFrom: 'SELECT * without FROM is not valid SQL',
  clausesWithoutFrom: 'a SELECT without FROM is only converted without other clauses',
  distinctOn: 'DISTINCT ON is not converted',
  commaFromList: (what: string) => `a comma-separated FROM list is only converted when it names ${what}`,
  subqueryWithoutFrom: 'a subquery without FROM is not converted',
  star: '`*` is only converted as a whole select-list item',

  // FROM and joins.
  only: 'ONLY (no inheritance children) is not converted',
  databaseQualifiedTable: 'a database-qualified table name is not converted',
  databaseQualifiedColumn: 'a database-qualified column reference is not converted',
  tableColumnAliases: 'column aliases on a table (t AS x(a, b)) are not converted',
  fromItem: (kind: string) => `${kind.replace(/^Range/, '')} in FROM is not converted`,
  functionInFrom: 'functions in FROM are not converted',
  lateral: 'LATERAL subqueries are not converted',
  subqueryAlias: 'a subquery in FROM without an alias is not converted',
  subqueryColumnAliases: 'column aliases on a subquery (… AS t(a, b)) are not converted',
  natural: 'NATURAL joins are not converted',
  joinAlias: 'an alias on a parenthesized join is not converted',
  joinUsing: 'JOIN … USING is not converted',
  nestedJoin: 'parenthesized (nested) joins are not converted',

  // Expressions.
  expressionKind: (kind: string) => `${kind} expressions are not converted`,
  operator: (name: string) => `the operator ${name} is not converted`,
  prefixOperator: (name: string) => `the prefix operator ${name} is not converted`,
  qualifiedOperator: 'schema-qualified operators (OPERATOR(...)) are not converted',
  operatorKind: (kind: string) => `${kind.replace('AEXPR_', '').replace(/_/g, ' ')} expressions are not converted`,
  bitString: 'bit-string constants are not converted',
  number: (text: string) => `the number ${text} is not converted`,
  arrayConstructor: 'ARRAY[...] constructors are not converted',
  rowConstructor: 'row constructors are not converted',
  collate: 'COLLATE is not converted',
  isUnknown: 'IS [NOT] UNKNOWN is not converted',
  typeCast: 'type casts (::type, CAST, typed literals such as DATE …) are not converted',
  windowFunction: (name: string) => `window functions (${name}(…) OVER) are not converted`,
  aggregateFilter: 'aggregate FILTER clauses are not converted',
  orderedAggregate: 'ordered aggregates are not converted',
  variadic: 'VARIADIC arguments are not converted',
  argumentCount: (name: string, count: number) => `${name} with ${count} arguments is not converted`,
  unmappedFunction: (name: string, builder: BuilderName) => `the function ${name} is not mapped to ${builder}`,
  distinctArgument: (name: string) => `DISTINCT in ${name}(…) is not converted`,
  likeEscape: 'LIKE … ESCAPE is only converted with a string or a parameter',
  sqlStandardForm: (name: string) => `the SQL-standard form of ${name} is not converted`,
  subqueryKind: (type: string) => `${type.replace('_SUBLINK', '')} subqueries are not converted`,
  operatorAnySubquery: 'operator ANY/SOME (subquery) is not converted; only IN (subquery)',

  // INSERT, UPDATE, DELETE.
  withOnDataStatement: (statement: string) => `WITH on ${statement} is not converted`,
  overriding: 'OVERRIDING … VALUE is not converted',
  insertAlias: 'an alias on the INSERT target is not converted',
  defaultValues: 'INSERT … DEFAULT VALUES is not converted',
  insertColumns: 'INSERT without a column list is not converted: name the columns',
  insertSubscript: 'subscripted INSERT columns are not converted',
  valuesOnlyDefault: 'a VALUES row of only DEFAULT is not converted',
  onConflictPartialIndex: 'ON CONFLICT with a partial-index predicate is not converted',
  onConflictExpressionIndex: 'ON CONFLICT on an expression index is not converted',
  onConflictWhere: 'ON CONFLICT DO UPDATE … WHERE is not converted',
  onConflictWithoutTarget: 'ON CONFLICT DO UPDATE without a conflict target is not valid SQL',
  returningQualifiedStar: '`table.*` in RETURNING is not converted',
  setSubscript: 'subscripted SET targets are not converted',
  setRow: 'SET (a, b) = (…) is not converted',
  setDefault: 'SET column = DEFAULT is not converted',
  assignedTwice: (column: string) => `the column ${column} is assigned twice`,
  mysqlOrderedSet: 'MySQL applies SET assignments in order and this one reads a column the statement also sets',
} as const;
