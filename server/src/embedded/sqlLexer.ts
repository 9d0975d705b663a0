/**
 * A small SQL tokenizer for embedded text: enough to tell words from quoted text and comments, and
 * to find driver placeholders and interpolation holes. It does not parse; `server/src/sql` does.
 */
import type { Dialect } from '../schema/snapshot';

/** Stands in the SQL text for an interpolation until its position has been judged. */
export const HOLE = '\ue000';

export type SqlTokenKind =
  'word' | 'quoted-identifier' | 'string' | 'number' | 'placeholder' | 'percent-escape' | 'hole' | 'punct' | 'comment';

export interface SqlToken {
  kind: SqlTokenKind;
  start: number;
  end: number;
  text: string;
}

const isWordStart = (ch: string): boolean => /[\p{L}_]/u.test(ch);
const isWordPart = (ch: string): boolean => /[\p{L}\p{N}_$]/u.test(ch);
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';

const MULTI_PUNCT = ['->>', '::', '<=', '>=', '<>', '!=', '||', '->', '#>>', '#>', '@>', '<@', '&&', ':='];

/** Splits SQL text into tokens; unterminated quotes and comments run to the end. */
export function tokenizeSql(text: string, dialect: Dialect): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number): void => {
    tokens.push({ kind, start: i, end, text: text.slice(i, end) });
    i = end;
  };
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
    } else if (ch === HOLE) {
      push('hole', i + 1);
    } else if ((ch === '-' && next === '-') || (ch === '#' && dialect === 'mysql')) {
      const newline = text.indexOf('\n', i);
      push('comment', newline < 0 ? text.length : newline);
    } else if (ch === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      push('comment', close < 0 ? text.length : close + 2);
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && next === "'" && dialect === 'postgres')) {
      const quoteAt = ch === "'" ? i : i + 1;
      const backslashes = dialect === 'mysql' || quoteAt !== i;
      push('string', quotedEnd(text, quoteAt, "'", backslashes));
    } else if (ch === '"') {
      const kind = dialect === 'mysql' ? 'string' : 'quoted-identifier';
      push(kind, quotedEnd(text, i, '"', dialect === 'mysql'));
    } else if (ch === '`' && dialect === 'mysql') {
      push('quoted-identifier', quotedEnd(text, i, '`', false));
    } else if (ch === '$' && dialect === 'postgres' && (next === '$' || isWordStart(next))) {
      const tagEnd = text.indexOf('$', i + 1);
      const tag = tagEnd > 0 ? text.slice(i, tagEnd + 1) : '';
      const close = tag && /^\$[\p{L}_]*[\p{L}\p{N}_]*\$$/u.test(tag) ? text.indexOf(tag, tagEnd + 1) : -1;
      const named = namedDollarPlaceholderEnd(text, i);
      // An unclosed `$$ids` or a lone `$id` is a pgtyped parameter, not the start of a dollar quote.
      if (tag && close >= 0) push('string', close + tag.length);
      else if (named > 0) push('placeholder', named);
      else if (tag && /^\$[\p{L}_]*[\p{L}\p{N}_]*\$$/u.test(tag)) push('string', text.length);
      else push('punct', i + 1);
    } else if (ch === '$' && isDigit(next)) {
      let end = i + 1;
      while (isDigit(text[end] ?? '')) end++;
      push('placeholder', end);
    } else if (ch === '?') {
      push('placeholder', next === '?' ? i + 2 : i + 1);
    } else if (ch === '%' && (next === 's' || next === '(' || next === '%')) {
      const end = percentPlaceholderEnd(text, i);
      if (end < 0) push('punct', i + 1);
      else push(next === '%' ? 'percent-escape' : 'placeholder', end);
    } else if (ch === ':' && next !== ':' && isWordStart(next) && !colonFollowsName(text, i)) {
      let end = i + 1;
      while (end < text.length && isWordPart(text[end])) end++;
      // Knex's `:name:` binds an identifier; `:name::int` is a value and a cast.
      const identifier = text[end] === ':' && text[end + 1] !== ':';
      push('placeholder', identifier ? end + 1 : withNonNullMark(text, end));
    } else if (ch === ':' && next === "'" && /^:'[\p{L}_][\p{L}\p{N}_]*'/u.test(text.slice(i, i + 66))) {
      // psql's `:'name'`: the variable's value as a literal.
      push('placeholder', text.indexOf("'", i + 2) + 1);
    } else if (ch === '@' && dialect === 'postgres' && isWordStart(next) && !isWordPart(text[i - 1] ?? ' ')) {
      // sqlc's `@name`. MySQL's `@name` is a user variable and stays a word of the statement.
      let end = i + 1;
      while (end < text.length && isWordPart(text[end])) end++;
      push('placeholder', end);
    } else if (isDigit(ch) || (ch === '.' && isDigit(next))) {
      let end = i + 1;
      while (end < text.length && /[\d.eE_a-fA-FxX]/.test(text[end])) end++;
      push('number', end);
    } else if (isWordStart(ch)) {
      let end = i + 1;
      while (end < text.length && isWordPart(text[end])) end++;
      push('word', end);
    } else {
      const multi = MULTI_PUNCT.find((p) => text.startsWith(p, i));
      push('punct', i + (multi?.length ?? 1));
    }
  }
  return tokens;
}

function quotedEnd(text: string, open: number, quote: string, backslashes: boolean): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashes && ch === '\\') {
      i += 2;
    } else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return text.length;
}

/** `%s`, `%(name)s` or `%%`; -1 when the `%` is an operator. */
function percentPlaceholderEnd(text: string, at: number): number {
  const next = text[at + 1];
  if (next === 's' || next === '%') return isWordPart(text[at + 2] ?? ' ') && next === 's' ? -1 : at + 2;
  const close = text.indexOf(')', at + 2);
  if (close < 0 || text[close + 1] !== 's') return -1;
  return /^[\w.]+$/.test(text.slice(at + 2, close)) ? close + 2 : -1;
}

/** pgtyped's `:id!` / `$id!` (the value is never null): the `!` belongs to the parameter, `!=` does not. */
function withNonNullMark(text: string, end: number): number {
  return text[end] === '!' && text[end + 1] !== '=' ? end + 1 : end;
}

/**
 * pgtyped's `$name`, `$name!`, and its expansions `$$name`, `$name(a, b)`, `$$name(a, b)` starting at
 * `at`: the end of the parameter, or -1. `$name$` (a dollar-quote tag) is not one.
 */
function namedDollarPlaceholderEnd(text: string, at: number): number {
  let i = at + 1;
  if (text[i] === '$') i++;
  if (!isWordStart(text[i] ?? '')) return -1;
  while (i < text.length && /[\p{L}\p{N}_]/u.test(text[i])) i++;
  if (text[i] === '$') return -1;
  if (text[i] === '(') {
    const close = text.indexOf(')', i);
    return close > 0 &&
      /^\(\s*[\p{L}_][\p{L}\p{N}_]*(\s*,\s*[\p{L}_][\p{L}\p{N}_]*)*\s*\)$/u.test(text.slice(i, close + 1))
      ? close + 1
      : -1;
  }
  return withNonNullMark(text, i);
}

/** `a:b` (array slices, MySQL labels) is not a named placeholder; `= :b` and `(:b` are. */
function colonFollowsName(text: string, at: number): boolean {
  const before = text[at - 1] ?? ' ';
  return isWordPart(before) || before === ']' || before === ')' || before === ':';
}

/** Tokens that carry meaning: comments left out. */
export function significantTokens(tokens: SqlToken[]): SqlToken[] {
  return tokens.filter((t) => t.kind !== 'comment');
}
