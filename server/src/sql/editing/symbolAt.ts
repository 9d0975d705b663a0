import type { SqlToken } from '../../embedded/sqlLexer';
import type { Column, Relation, SchemaInfo, SchemaSnapshot } from '../../schema/snapshot';
import { statementAround } from './completion';
import { catalogName, findColumn, findRelationByName, findSchema } from './nameLookup';
import { readStatement, type StatementReading } from './statementContext';

/** A schema element named in SQL text. */
export type SchemaElement =
  | { kind: 'schema'; schema: SchemaInfo }
  | { kind: 'relation'; relation: Relation }
  | { kind: 'column'; relation: Relation; column: Column };

export interface SymbolAtOffset {
  element: SchemaElement;
  /** The identifier's range in the document. */
  start: number;
  end: number;
}

/**
 * How sure a resolution must be. `likely` (hover, definition): what the name most probably means.
 * `certain` (references, the workspace index): only where no other reading exists — never an
 * alias, a function, a type, an output name, or a column that a source of unknown columns
 * (subquery, CTE, function, missing table) could provide as well.
 */
export type Resolution = 'likely' | 'certain';

/**
 * The schema element the identifier at `offset` names: a column (through its alias or the only
 * table of the statement that has it), a table or view, or a schema. Undefined where it is not
 * a known element (a keyword, an alias being declared, an output alias, …).
 */
export function symbolAt(text: string, offset: number, snapshot: SchemaSnapshot): SymbolAtOffset | undefined {
  const segment = statementAround(text, offset, snapshot);
  const reading = readStatement(text.slice(segment.start, segment.end), snapshot.dialect);
  const local = offset - segment.start;
  const index = reading.tokens.findIndex((t) => isName(t) && t.start <= local && local <= t.end);
  if (index < 0) return undefined;
  const element = new StatementNames(reading, snapshot).elementAt(index, 'likely');
  const token = reading.tokens[index];
  return element ? { element, start: segment.start + token.start, end: segment.start + token.end } : undefined;
}

/** Keywords after which a name is a FROM item or a statement's target table. */
const TABLE_KEYWORDS = new Set(['from', 'join', 'update', 'into', 'table', 'copy']);
/** Keywords after which a bare name is a table outside FROM (`REFERENCES t`, `TRUNCATE t`, `DROP VIEW v`). */
const RELATION_LEADS = new Set(['references', 'truncate', 'view', 'table']);
/** Keywords whose table may be followed by its column list: `INTO t (…)`, `COPY t (…)`. */
const COLUMN_LIST_OWNERS = new Set(['into', 'table', 'references', 'copy']);
/** Statements where `ON name` names a table (`CREATE INDEX … ON t`, `GRANT … ON t`), not a join condition. */
const DDL_WORDS = new Set(['create', 'alter', 'drop', 'grant', 'revoke', 'comment']);
/** Keywords after which a bare name in an expression may be a column. */
const COLUMN_LEADS = new Set([
  ...['select', 'where', 'and', 'or', 'not', 'on', 'by', 'set', 'having', 'when', 'then', 'else', 'distinct'],
  ...['returning', 'between', 'like', 'ilike', 'in', 'case', 'column', 'div', 'mod', 'xor', 'regexp', 'rlike'],
]);
/** Reserved words: never an unquoted column or table name, whatever the schema holds. */
const RESERVED = new Set([
  ...['all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast'],
  ...['check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role'],
  ...['current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do'],
  ...['else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in'],
  ...['initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not'],
  ...['null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select'],
  ...['session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique'],
  ...['using', 'variadic', 'when', 'where', 'window', 'with', 'key', 'index', 'interval', 'exists', 'if', 'is'],
  ...['join', 'inner', 'left', 'right', 'outer', 'cross', 'natural', 'by', 'like', 'between', 'delete'],
  ...['insert', 'update', 'set', 'values', 'drop', 'alter', 'add', 'div', 'mod', 'xor', 'regexp', 'rlike'],
]);

const isName = (t: SqlToken | undefined): t is SqlToken =>
  t !== undefined && (t.kind === 'word' || t.kind === 'quoted-identifier');
const word = (t: SqlToken | undefined): string => (t?.kind === 'word' ? t.text.toLowerCase() : '');

/**
 * Resolves the names of one statement against a snapshot. Built once per statement reading, so
 * resolving every identifier of a statement (references) costs one pass over its tokens.
 */
export class StatementNames {
  private readonly tokens: SqlToken[];
  /** `ON name` names a table in DDL and GRANT statements. */
  private readonly isDdl: boolean;
  /** For each token, the index of the `(` of the innermost group around it, or -1. */
  private readonly groupOpen: number[] = [];
  private readonly mentionStarts = new Set<number>();
  /** Tables the statement reads or writes; `unknownSource` when some source's columns are unknown. */
  private readonly sources = new Set<Relation>();
  private unknownSource = false;
  /** Names the statement declares as aliases (tables and outputs): an unqualified use may mean them. */
  private readonly declared = new Set<string>();

  constructor(
    private readonly reading: StatementReading,
    private readonly snapshot: SchemaSnapshot,
  ) {
    const tokens = (this.tokens = reading.tokens);
    this.isDdl = DDL_WORDS.has(word(tokens[0]));
    const open: number[] = [];
    for (const [i, t] of tokens.entries()) {
      this.groupOpen.push(open.length ? open[open.length - 1] : -1);
      if (t.text === '(') open.push(i);
      else if (t.text === ')') open.pop();
      if (isName(t) && this.declaresAlias(tokens[i - 1])) this.declared.add(this.name(t));
    }
    const indexByStart = new Map(tokens.map((t, i) => [t.start, i]));
    for (const mention of reading.mentions) {
      const at = indexByStart.get(mention.start);
      let relation: Relation | undefined;
      if (mention.name === 'if' && mention.schema === undefined && at !== undefined) {
        // `CREATE TABLE IF NOT EXISTS t`: the statement reading takes `if` for the table.
        relation = this.tableAt(at + (word(tokens[at + 1]) === 'not' ? 3 : 2));
      } else if (mention.name === undefined) {
        relation = this.columnListTable(at);
      } else {
        this.mentionStarts.add(mention.start);
        const isCte = mention.schema === undefined && reading.ctes.includes(mention.name);
        relation = isCte ? undefined : findRelationByName(snapshot, mention.schema, mention.name);
      }
      if (relation) this.sources.add(relation);
      else this.unknownSource = true;
    }
  }

  /** A name after `AS`, after another name or after `)` is an alias being declared (`orders o`, `count(*) n`). */
  private declaresAlias(previous: SqlToken | undefined): boolean {
    if (previous?.text === ')' || word(previous) === 'as') return true;
    return isName(previous) && !RESERVED.has(word(previous)) && !COLUMN_LEADS.has(word(previous));
  }

  /** The element the name token at `index` names, or undefined. */
  elementAt(index: number, resolution: Resolution): SchemaElement | undefined {
    const tokens = this.tokens;
    if (!isName(tokens[index])) return undefined;
    let first = index;
    while (tokens[first - 1]?.text === '.' && isName(tokens[first - 2])) first -= 2;
    let last = index;
    while (tokens[last + 1]?.text === '.' && isName(tokens[last + 2])) last += 2;
    const names: string[] = [];
    for (let i = first; i <= last; i += 2) names.push(this.name(tokens[i]));
    const at = (index - first) / 2;
    const certain = resolution === 'certain';
    const lead = tokens[first - 1];
    const tablePosition = TABLE_KEYWORDS.has(word(lead)) || this.mentionStarts.has(tokens[last].start);

    if (tablePosition) {
      const followedByArguments = tokens[last + 1]?.text === '(' && (word(lead) === 'from' || word(lead) === 'join');
      if (certain && (followedByArguments || (names.length === 1 && this.reading.ctes.includes(names[0]))))
        return undefined;
      if (at === names.length - 1)
        return this.relation(names.length > 1 ? names[names.length - 2] : undefined, names[at]);
      if (certain && at !== names.length - 2) return undefined;
      return this.schema(names[at]);
    }
    const isCall = tokens[last + 1]?.text === '(' && !this.ownsColumnList(first);
    if (certain && (word(lead) === 'as' || lead?.text === '::' || isCall)) return undefined;
    if (names.length === 1) return this.bareName(index, names[0], resolution);
    return certain ? this.certainChainPart(names, at) : this.likelyChainPart(names, at);
  }

  private name(token: SqlToken): string {
    return catalogName(token.text, this.snapshot.dialect);
  }

  private relation(schema: string | undefined, name: string): SchemaElement | undefined {
    const relation = findRelationByName(this.snapshot, schema, name);
    return relation && { kind: 'relation', relation };
  }

  private schema(name: string): SchemaElement | undefined {
    const schema = findSchema(this.snapshot, name);
    return schema && { kind: 'schema', schema };
  }

  private column(relation: Relation | undefined, name: string): SchemaElement | undefined {
    const column = relation && findColumn(this.snapshot, relation, name);
    return relation && column && { kind: 'column', relation, column };
  }

  /** An unqualified name outside table positions: a column, or a table after `REFERENCES` and the like. */
  private bareName(index: number, name: string, resolution: Resolution): SchemaElement | undefined {
    const token = this.tokens[index];
    const leadWord = this.leadWord(index);
    if (RELATION_LEADS.has(leadWord) || (leadWord === 'on' && this.isDdl)) return this.relation(undefined, name);
    if (leadWord === 'schema') return this.schema(name);
    const owned = this.groupTable(index);
    if (resolution === 'certain') {
      if (
        token.kind === 'word' &&
        (RESERVED.has(word(token)) || (name === 'user' && this.snapshot.dialect === 'postgres'))
      )
        return undefined;
      if (!this.mayBeColumn(index)) return undefined;
      if (owned !== undefined) return this.column(owned ?? undefined, name);
      if (this.unknownSource || this.declared.has(name)) return undefined;
      return this.column(this.onlyOwner(name), name);
    }
    if (owned !== undefined) return this.column(owned ?? undefined, name);
    const column = this.column(this.onlyOwner(name), name);
    if (column) return column;
    const mention = this.reading.mentions.find((m) => m.alias === name);
    const aliased =
      mention?.name !== undefined ? findRelationByName(this.snapshot, mention.schema, mention.name) : undefined;
    if (aliased) return { kind: 'relation', relation: aliased };
    return this.relation(undefined, name);
  }

  /** Whether the tokens around a bare name leave room for a column: not a type, alias, typed literal or `EXTRACT` field. */
  private mayBeColumn(index: number): boolean {
    const previous = this.tokens[index - 1];
    const next = this.tokens[index + 1];
    if (next?.kind === 'string') return false;
    if (previous?.text === '(' && word(this.tokens[index - 2]) === 'extract') return false;
    if (previous?.kind === 'punct') return previous.text !== ')' && previous.text !== '::' && previous.text !== '.';
    return COLUMN_LEADS.has(word(previous));
  }

  /** The only table of the statement that has column `name`. */
  private onlyOwner(name: string): Relation | undefined {
    let owner: Relation | undefined;
    for (const relation of this.sources) {
      if (!findColumn(this.snapshot, relation, name)) continue;
      if (owner) return undefined;
      owner = relation;
    }
    return owner;
  }

  /**
   * The table whose column list the token stands in (`INSERT INTO t (…)`, `REFERENCES t (…)`,
   * `CREATE TABLE t (…)`, `CREATE INDEX … ON t (…)`): the relation, null when that table is not in
   * the snapshot, undefined when the token is in no such list.
   */
  private groupTable(index: number): Relation | null | undefined {
    const open = this.groupOpen[index];
    const start = open < 1 ? undefined : this.chainStart(open - 1);
    if (start === undefined || !this.ownsColumnList(start)) return undefined;
    return this.columnListTable(start) ?? null;
  }

  /** The keyword before the token at `index`, looking past `IF [NOT] EXISTS`. */
  private leadWord(index: number): string {
    let lead = index - 1;
    if (word(this.tokens[lead]) === 'exists') lead -= word(this.tokens[lead - 1]) === 'not' ? 2 : 1;
    if (word(this.tokens[lead]) === 'if') lead--;
    return word(this.tokens[lead]);
  }

  /** The relation named by the name chain starting at `start` (`t` or `s.t`). */
  private tableAt(start: number): Relation | undefined {
    const parts = this.chainNames(start);
    if (parts.length === 0 || parts.length > 2) return undefined;
    return findRelationByName(this.snapshot, parts.length === 2 ? parts[0] : undefined, parts[parts.length - 1]);
  }

  private chainNames(start: number): string[] {
    if (!isName(this.tokens[start])) return [];
    const parts = [this.name(this.tokens[start])];
    for (let at = start + 1; this.tokens[at]?.text === '.' && isName(this.tokens[at + 1]); at += 2)
      parts.push(this.name(this.tokens[at + 1]));
    return parts;
  }

  /** The index where the dotted name chain ending at `end` starts, when `end` is a name. */
  private chainStart(end: number): number | undefined {
    if (!isName(this.tokens[end])) return undefined;
    let start = end;
    while (this.tokens[start - 1]?.text === '.' && isName(this.tokens[start - 2])) start -= 2;
    return start;
  }

  private ownsColumnList(start: number): boolean {
    const leadWord = this.leadWord(start);
    return COLUMN_LIST_OWNERS.has(leadWord) || (leadWord === 'on' && this.isDdl);
  }

  /** The table of `INTO t (`, `TABLE t (`, `REFERENCES t (`, `COPY t (` or DDL `ON t (`, given the chain's first token. */
  private columnListTable(start: number | undefined): Relation | undefined {
    if (start === undefined || !this.ownsColumnList(start)) return undefined;
    const length = this.chainNames(start).length;
    return this.tokens[start + 2 * length - 1]?.text === '(' ? this.tableAt(start) : undefined;
  }

  /** `alias.`, `table.` or `schema.table.`: the relation it stands for. Aliases shadow tables. */
  private qualifierRelation(schema: string | undefined, name: string): Relation | undefined {
    if (schema === undefined) {
      const mention = this.reading.mentions.find((m) => m.alias === name || (m.alias === undefined && m.name === name));
      if (mention)
        return mention.name === undefined ? undefined : findRelationByName(this.snapshot, mention.schema, mention.name);
      if (this.reading.ctes.includes(name)) return undefined;
    }
    return findRelationByName(this.snapshot, schema, name);
  }

  /** A part of `a.b` or `a.b.c` in an expression, read the way hover expects. */
  private likelyChainPart(names: string[], at: number): SchemaElement | undefined {
    const n = names.length;
    if (at === n - 1) {
      const column = this.column(this.qualifierRelation(n >= 3 ? names[n - 3] : undefined, names[n - 2]), names[at]);
      return column ?? this.relation(names[n - 2], names[at]);
    }
    const relation = n - at === 2 ? this.qualifierRelation(at > 0 ? names[at - 1] : undefined, names[at]) : undefined;
    return relation ? { kind: 'relation', relation } : this.schema(names[at]);
  }

  /** A part of `t.c` or `s.t.c`: the column, the table when written by name (not an alias), the schema. */
  private certainChainPart(names: string[], at: number): SchemaElement | undefined {
    const n = names.length;
    if (n > 3) return undefined;
    const schema = n === 3 ? names[0] : undefined;
    const table = names[n - 2];
    if (at === n - 1) return this.column(this.qualifierRelation(schema, table), names[at]);
    if (at === n - 2) {
      if (schema === undefined && this.reading.mentions.some((m) => m.alias === table)) return undefined;
      const relation = this.qualifierRelation(schema, table);
      return relation && { kind: 'relation', relation };
    }
    return this.schema(names[at]);
  }
}

/** Markdown for a hover: type, nullability, keys, default, comment. */
export function describeElement(element: SchemaElement, connection: string): string {
  const footer = `\n\n---\n*${connection}*`;
  if (element.kind === 'schema')
    return `**schema** \`${element.schema.name}\`${element.schema.comment ? `\n\n${element.schema.comment}` : ''}${footer}`;
  const r = element.relation;
  if (element.kind === 'relation') {
    const lines = [`**${r.kind}** \`${r.schema}.${r.name}\``];
    if (r.comment) lines.push('', r.comment);
    lines.push('', '| column | type | |', '| --- | --- | --- |');
    for (const c of r.columns) lines.push(`| \`${c.name}\` | \`${c.type}\` | ${columnFlags(r, c).join(', ')} |`);
    for (const fk of r.foreignKeys)
      lines.push(
        '',
        `FK (${fk.columns.join(', ')}) → \`${fk.referencedSchema}.${fk.referencedTable}\` (${fk.referencedColumns.join(', ')})`,
      );
    return lines.join('\n') + footer;
  }
  const c = element.column;
  const lines = [`**column** \`${r.schema}.${r.name}.${c.name}\``, '', `\`${c.type}\` ${columnFlags(r, c).join(', ')}`];
  if (c.default !== null) lines.push('', `default \`${c.default}\``);
  if (c.comment) lines.push('', c.comment);
  return lines.join('\n') + footer;
}

function columnFlags(r: Relation, c: Column): string[] {
  const flags = [c.nullable ? 'null' : 'not null'];
  if (r.primaryKey?.columns.includes(c.name)) flags.push('primary key');
  if (r.uniqueConstraints.some((u) => u.columns.length === 1 && u.columns[0] === c.name)) flags.push('unique');
  for (const fk of r.foreignKeys)
    if (fk.columns.includes(c.name))
      flags.push(`→ ${fk.referencedTable}.${fk.referencedColumns[fk.columns.indexOf(c.name)] ?? ''}`);
  return flags;
}
