/**
 * What the SQL → SQLAlchemy generator knows while rendering one statement: the options, the names
 * the code needs imported, the Python names it has given aliases, and the FROM scopes that SQL
 * column references resolve against.
 */
import type { GenerateOptions, ImportNeed } from '../builderTarget';
import { refuse } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { isPlainIdentifier, pythonCollectionMember } from '../schemaModule/pythonNames';

/** Every name the generated code may import: a lambda parameter must not shadow one of them. */
const IMPORTABLE = [
  'select',
  'insert',
  'update',
  'delete',
  'and_',
  'or_',
  'not_',
  'func',
  'literal',
  'literal_column',
  'null',
  'true',
  'false',
  'case',
  'desc',
  'asc',
  'nulls_first',
  'nulls_last',
  'any_',
  'all_',
  'LABEL_STYLE_NONE',
  'Decimal',
  'postgresql',
  'cast',
  'extract',
  'SmallInteger',
  'Integer',
  'BigInteger',
  'Numeric',
  'Text',
  'String',
  'Boolean',
  'Date',
  'DateTime',
];

export class Context {
  private readonly imported = new Map<string, ImportNeed>();
  private readonly taken: Set<string>;

  constructor(
    readonly options: GenerateOptions,
    /** MySQL names written with capitals and no backticks (`parseSourceStatement`). */
    readonly unquotedCapitals: ReadonlySet<string> = new Set(),
  ) {
    // Names the host expressions use stay visible inside the lambdas the code introduces.
    const hostNames = options.parameters.flatMap((parameter) => parameter.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    this.taken = new Set([...IMPORTABLE, options.instance.split('.')[0], ...hostNames]);
  }

  get dialect() {
    return this.options.dialect;
  }

  /** Records that the code uses `name` (from `sqlalchemy` unless told) and returns it. */
  use(name: string, module = 'sqlalchemy'): string {
    this.imported.set(`${module}\0${name}`, { module, name });
    return name;
  }

  imports(): ImportNeed[] {
    return [...this.imported.values()].sort((a, b) => (a.module + a.name < b.module + b.name ? -1 : 1));
  }

  /** A fresh Python name for a lambda parameter, as close to `wanted` as the names in use allow. */
  name(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base)) base = `t_${base}`;
    let candidate = base;
    while (!isPlainIdentifier(candidate) || this.taken.has(candidate)) candidate += '_';
    this.taken.add(candidate);
    return candidate;
  }
}

/** One FROM item: a table, an aliased table or a subquery. */
export interface FromItem {
  /** The name SQL qualifies its columns with: the alias, else the table's name. */
  qualifier: string;
  /** The schema SQL wrote, for `schema.table.column` references. */
  schema?: string;
  /** The table's name (undefined for a subquery). */
  table?: string;
  /** The Python expression of the FROM object (`schema.orders`, or the lambda parameter of an alias). */
  python: string;
  /** A module table used without alias: the same Python object wherever the statement names it. */
  plainTable: boolean;
  /** The expression of its column collection, when it is not `python.c` (an INSERT's `excluded`). */
  columns?: string;
}

function columnOf(item: FromItem, column: string): string {
  return pythonCollectionMember(item.columns ?? `${item.python}.c`, column);
}

/** The FROM items of one query level; `parent` is the enclosing level a correlated subquery sees. */
export interface Scope {
  items: FromItem[];
  parent?: Scope;
}

/** The Python expression of a column reference (`ColumnRef` fields as strings). */
export function resolveColumn(parts: string[], scope: Scope | undefined): string {
  const column = parts[parts.length - 1];
  if (parts.length === 1) {
    const items = scope?.items ?? [];
    if (items.length === 0) refuse(REFUSAL.columnWithoutTable(column));
    if (items.length > 1) refuse(REFUSAL.unqualifiedColumn(column));
    return columnOf(items[0], column);
  }
  const [schema, qualifier] = parts.length === 3 ? parts : [undefined, parts[0]];
  for (let level = scope; level; level = level.parent) {
    const item = level.items.find(
      (candidate) =>
        candidate.qualifier === qualifier &&
        (schema === undefined || (candidate.schema === schema && candidate.table === candidate.qualifier)),
    );
    if (item) return columnOf(item, column);
  }
  return refuse(REFUSAL.unknownQualifier(parts.slice(0, -1).join('.')));
}

/**
 * A MySQL name written with capitals and no backticks: the server matches a column whatever its
 * case (and a table as it is set up), but the schema module names each by its catalog spelling, so
 * no module attribute is certain and the conversion is refused rather than guessed. Aliases and
 * backticked names are spelled as stored and pass.
 */
export function refuseMysqlCapitals(name: string, ctx: Context): void {
  if (ctx.unquotedCapitals.has(name)) refuse(REFUSAL.schemaModuleCapitals(name.toLowerCase()));
}
