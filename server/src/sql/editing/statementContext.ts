import { significantTokens, tokenizeSql, type SqlToken } from '../../embedded/sqlLexer';
import type { Dialect } from '../../schema/snapshot';
import { catalogName } from './nameLookup';

/**
 * A tolerant reading of one statement for editing help. Completion runs on half-typed SQL that
 * no parser accepts, so this works on tokens: which tables the statement mentions (with their
 * aliases) and what kind of name belongs at the cursor.
 */

/** A table named in FROM / JOIN / UPDATE / INTO / USING, or a source whose columns are unknown. */
export interface TableMention {
  schema?: string;
  /** Catalog name of the table, or undefined for a subquery or function in FROM. */
  name?: string;
  alias?: string;
  /** Offsets (in the statement text) of the table name as written. */
  start: number;
  end: number;
}

export type CursorContext =
  /** Where a table name goes: after FROM, JOIN, UPDATE, INTO, TABLE or a comma in a FROM list. */
  | { kind: 'table'; schema?: string }
  /** After `qualifier.` (alias, table or schema) in an expression. */
  | { kind: 'qualified'; qualifiers: string[] }
  /** Inside `INSERT INTO t (…)`. */
  | { kind: 'insert-columns'; table: TableMention }
  /** Anywhere an expression goes: columns of the statement's tables. */
  | { kind: 'expression' };

export interface StatementReading {
  tokens: SqlToken[];
  mentions: TableMention[];
  /** CTE names declared by WITH: their columns are unknown here. */
  ctes: string[];
}

const TABLE_KEYWORDS = new Set(['from', 'join', 'update', 'into', 'table', 'using']);
/** Words that end a FROM item: never an alias. */
const CLAUSE_WORDS = new Set([
  'where',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'outer',
  'cross',
  'natural',
  'on',
  'using',
  'group',
  'order',
  'limit',
  'offset',
  'having',
  'window',
  'union',
  'intersect',
  'except',
  'set',
  'values',
  'returning',
  'for',
  'lateral',
  'select',
  'default',
  'fetch',
  'as',
  'straight_join',
  'partition',
  'tablesample',
  'only',
  'when',
  'then',
  'else',
  'end',
  'and',
  'or',
  'into',
  'from',
  'with',
  'do',
  'conflict',
  'duplicate',
  'lock',
  'procedure',
  'by',
  'asc',
  'desc',
  'not',
  'is',
  'in',
]);

const isName = (t: SqlToken | undefined): t is SqlToken =>
  t !== undefined && (t.kind === 'word' || t.kind === 'quoted-identifier');
const word = (t: SqlToken | undefined): string => (t?.kind === 'word' ? t.text.toLowerCase() : '');

/** Reads a statement's table mentions and CTE names. */
export function readStatement(text: string, dialect: Dialect): StatementReading {
  const tokens = significantTokens(tokenizeSql(text, dialect));
  const mentions: TableMention[] = [];
  const ctes: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = word(tokens[i]);
    if (
      w === 'with' ||
      (w === 'recursive' && word(tokens[i - 1]) === 'with') ||
      (tokens[i]?.text === ',' && ctes.length > 0 && isCteStart(tokens, i + 1))
    ) {
      const at = w === 'with' && word(tokens[i + 1]) === 'recursive' ? i + 2 : i + 1;
      if (isCteStart(tokens, at)) ctes.push(catalogName(tokens[at].text, dialect));
      continue;
    }
    if (!TABLE_KEYWORDS.has(w)) continue;
    // `USING (col)` in a join is a column list, not a table.
    if (w === 'using' && tokens[i + 1]?.text === '(') continue;
    let at = i + 1;
    for (;;) {
      const parsed = readTableItem(tokens, at, dialect);
      if (!parsed) break;
      mentions.push(parsed.mention);
      at = parsed.next;
      if (w !== 'from' && w !== 'using' && w !== 'update') break;
      if (tokens[at]?.text !== ',') break;
      at++;
    }
  }
  return { tokens, mentions, ctes };
}

function isCteStart(tokens: SqlToken[], at: number): boolean {
  if (!isName(tokens[at])) return false;
  const next = tokens[at + 1];
  return word(next) === 'as' || next?.text === '(';
}

/** `[schema.]name [[AS] alias]`, `(subquery) [AS] alias`, `fn(args) [AS] alias`. */
function readTableItem(
  tokens: SqlToken[],
  at: number,
  dialect: Dialect,
): { mention: TableMention; next: number } | undefined {
  if (word(tokens[at]) === 'lateral' || word(tokens[at]) === 'only') at++;
  const first = tokens[at];
  let mention: TableMention;
  let next: number;
  if (first?.text === '(') {
    next = skipParens(tokens, at);
    mention = { start: first.start, end: tokens[next - 1]?.end ?? first.end };
  } else if (isName(first) && !CLAUSE_WORDS.has(word(first))) {
    const parts = [first];
    next = at + 1;
    while (tokens[next]?.text === '.' && isName(tokens[next + 1])) {
      parts.push(tokens[next + 1]);
      next += 2;
    }
    const names = parts.map((p) => catalogName(p.text, dialect));
    const last = parts[parts.length - 1];
    if (tokens[next]?.text === '(') {
      next = skipParens(tokens, next);
      mention = { start: first.start, end: last.end };
    } else {
      mention = {
        schema: names.length > 1 ? names[names.length - 2] : undefined,
        name: names[names.length - 1],
        start: last.start,
        end: last.end,
      };
    }
  } else {
    return undefined;
  }
  if (word(tokens[next]) === 'as') next++;
  const alias = tokens[next];
  if (isName(alias) && !CLAUSE_WORDS.has(word(alias))) {
    mention.alias = catalogName(alias.text, dialect);
    next++;
    if (tokens[next]?.text === '(') next = skipParens(tokens, next);
  }
  return { mention, next };
}

/** Index just after the parenthesis that closes the one at `open` (or the end). */
function skipParens(tokens: SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** The name being typed at `offset`: its range (empty at a fresh position) and text so far. */
export function prefixAt(reading: StatementReading, offset: number): { start: number; end: number; text: string } {
  const token = reading.tokens.find((t) => isName(t) && t.start < offset && offset <= t.end);
  return token
    ? { start: token.start, end: token.end, text: token.text.slice(0, offset - token.start) }
    : { start: offset, end: offset, text: '' };
}

/** What kind of name belongs at `offset`, judged from the tokens before it. */
export function cursorContext(reading: StatementReading, offset: number, dialect: Dialect): CursorContext {
  const prefix = prefixAt(reading, offset);
  const before = reading.tokens.filter((t) => t.end <= prefix.start);
  const qualifiers: string[] = [];
  let i = before.length - 1;
  while (before[i]?.text === '.' && isName(before[i - 1])) {
    qualifiers.unshift(catalogName(before[i - 1].text, dialect));
    i -= 2;
  }
  const lead = before[i];
  if (TABLE_KEYWORDS.has(word(lead))) {
    return qualifiers.length ? { kind: 'table', schema: qualifiers[qualifiers.length - 1] } : { kind: 'table' };
  }
  if (qualifiers.length) return { kind: 'qualified', qualifiers };
  if (lead?.text === ',' && inFromList(before, i)) return { kind: 'table' };
  const insert = insertColumnList(before, i, dialect);
  if (insert) return { kind: 'insert-columns', table: insert };
  return { kind: 'expression' };
}

/** True when the comma at `at` separates FROM items (the nearest clause word at this depth is FROM). */
function inFromList(tokens: SqlToken[], at: number): boolean {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    const t = tokens[i];
    if (t.text === ')') depth++;
    else if (t.text === '(') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && t.kind === 'word' && CLAUSE_WORDS.has(word(t))) return word(t) === 'from';
  }
  return false;
}

/** The table of `INSERT INTO t (` when the cursor is inside that column list. */
function insertColumnList(tokens: SqlToken[], at: number, dialect: Dialect): TableMention | undefined {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    const t = tokens[i];
    if (t.text === ')') depth++;
    else if (t.text === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      let j = i - 1;
      const parts: SqlToken[] = [];
      while (isName(tokens[j])) {
        parts.unshift(tokens[j]);
        if (tokens[j - 1]?.text !== '.') break;
        j -= 2;
      }
      if (parts.length === 0 || word(tokens[j - 1]) !== 'into') return undefined;
      const last = parts[parts.length - 1];
      return {
        schema: parts.length > 1 ? catalogName(parts[parts.length - 2].text, dialect) : undefined,
        name: catalogName(last.text, dialect),
        start: last.start,
        end: last.end,
      };
    }
  }
  return undefined;
}
