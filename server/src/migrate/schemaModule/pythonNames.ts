/**
 * How Python code names the tables and columns of the generated schema module. The module generator
 * and the SQL → SQLAlchemy generator both spell names through these functions, so a reference the
 * generator writes always exists in the module.
 *
 * The rule:
 * - A table the connection reaches by its bare name (PostgreSQL: the first schema on the search path
 *   that has it; MySQL: the connected database) is declared without `schema=` and, when its name is
 *   a plain Python identifier (not a keyword, not starting with `_`, not a name the module itself
 *   defines), is a module variable of that name: `schema.orders`. Otherwise it is
 *   `schema.metadata.tables['Order Lines']` (SQLAlchemy's own key for a table without schema).
 * - Every table and view is also in the module's `tables` dict under its schema-qualified name:
 *   `schema.tables['sales.orders']`; this is how a schema-qualified name in SQL is written.
 * - A column is `table.c.name` when its name is a plain identifier that is no attribute of
 *   SQLAlchemy's column collection, otherwise `table.c['name']`.
 */

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** Names the schema module defines or imports itself; a table cannot take them as its variable. */
export const MODULE_OWN_NAMES = new Set([
  'metadata',
  'tables',
  'MetaData',
  'Table',
  'Column',
  'ARRAY',
  'BigInteger',
  'Boolean',
  'Date',
  'DateTime',
  'Enum',
  'Float',
  'Integer',
  'Interval',
  'JSON',
  'LargeBinary',
  'NullType',
  'Numeric',
  'SmallInteger',
  'String',
  'Text',
  'Time',
]);

/** Attributes of SQLAlchemy's `ColumnCollection`: a column of that name must be read as `c['name']`. */
const COLUMN_COLLECTION_ATTRIBUTES = new Set([
  'add',
  'as_immutable',
  'clear',
  'compare',
  'contains_column',
  'corresponding_column',
  'extend',
  'get',
  'items',
  'keys',
  'remove',
  'update',
  'values',
]);

/** A name Python can use as a variable or attribute as it is. */
export function isPlainIdentifier(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** The module variable of a table reached by its bare name, or undefined when it has none. */
export function pythonTableVariable(name: string): string | undefined {
  return isPlainIdentifier(name) && !MODULE_OWN_NAMES.has(name) ? name : undefined;
}

/**
 * The Python expression for a table, relative to the module imported as `module`: `schema` is
 * undefined for a name SQL writes unqualified, and the schema's name when SQL qualifies it.
 */
export function pythonTableReference(module: string, schema: string | undefined, name: string): string {
  if (schema !== undefined) return `${module}.tables[${pythonString(`${schema}.${name}`)}]`;
  const variable = pythonTableVariable(name);
  return variable ? `${module}.${variable}` : `${module}.metadata.tables[${pythonString(name)}]`;
}

/** A column of a column collection (`orders.c`, an INSERT's `excluded`): `.id` or `['class']`. */
export function pythonCollectionMember(collection: string, column: string): string {
  return isPlainIdentifier(column) && !COLUMN_COLLECTION_ATTRIBUTES.has(column)
    ? `${collection}.${column}`
    : `${collection}[${pythonString(column)}]`;
}

/** A Python string literal that reads back as exactly `text`. */
export function pythonString(text: string): string {
  const escaped = [...text]
    .map((char) => {
      if (char === '\\') return '\\\\';
      if (char === "'") return "\\'";
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
      return char;
    })
    .join('');
  return `'${escaped}'`;
}
