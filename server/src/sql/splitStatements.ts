/**
 * Statement splitting for PostgreSQL and MySQL/MariaDB scripts. It understands just enough
 * lexical structure to never split inside a string (PG `E''` and MySQL backslash escapes), a
 * quoted identifier, a comment (nested `/* *\/` in PG), a PG dollar quote or a `BEGIN ATOMIC … END`
 * body, and it follows MySQL `DELIMITER` lines. Blank lines are not separators. Offsets are
 * UTF-16 offsets into the given text, so they map straight back to the document.
 */
import type { Dialect } from '../schema/snapshot';

/** A construct left open at the end of the text; the parser reports it, splitting just records it. */
export type Unterminated = 'string' | 'quoted-identifier' | 'comment' | 'dollar-quote';

export interface StatementSpan {
  /** Offset just after the previous statement's delimiter (or 0): where leading comments start. */
  leadingStart: number;
  /** Offset of the statement's first token (after whitespace and comments). */
  start: number;
  /** Offset just after the statement's last token, before its delimiter. */
  end: number;
  /** The statement text: `text.slice(start, end)`. */
  text: string;
  unterminated?: Unterminated;
}

/** Space, tab, LF, CR, VT, FF and the byte-order mark. */
const isSpace = (c: number): boolean => (c <= 0x20 && (c === 0x20 || (c >= 0x09 && c <= 0x0d))) || c === 0xfeff;
const isIdentPart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x5f ||
  c === 0x24 ||
  c >= 0x80;
const isIdentStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;

/** Whether a word starting with `c` may be `end`, `case`, `begin` or `atomic`, the words `BEGIN ATOMIC` bodies need. */
const mayBeBlockWord = (c: number): boolean => {
  const lower = c | 0x20;
  return lower === 0x65 || lower === 0x63 || lower === 0x62 || lower === 0x61;
};

/** Splits `text` into statements in the given dialect; statements holding only comments are dropped. */
export function splitStatements(text: string, dialect: Dialect): StatementSpan[] {
  return [...statementSpans(text, dialect)];
}

/**
 * The statements of `text` one at a time, as `splitStatements` would list them: a caller working
 * through a 50 MB file holds one span at a time instead of hundreds of thousands.
 */
export function statementSpans(text: string, dialect: Dialect): Generator<StatementSpan, void, undefined> {
  return dialect === 'postgres' ? splitPostgres(text) : splitMysql(text);
}

function* splitPostgres(text: string): Generator<StatementSpan, void, undefined> {
  const n = text.length;
  let segmentStart = 0;
  let firstToken = -1;
  let lastTokenEnd = -1;
  let unterminated: Unterminated | undefined;
  // BEGIN ATOMIC bodies hold `;`-separated statements; CASE … END nests inside them.
  let previousWord = '';
  let atomicDepth = 0;
  let i = 0;
  const flush = (delimiterAt: number): StatementSpan | undefined => {
    const span = firstToken >= 0 ? spanOf(text, segmentStart, firstToken, lastTokenEnd, unterminated) : undefined;
    segmentStart = delimiterAt + 1;
    firstToken = -1;
    lastTokenEnd = -1;
    unterminated = undefined;
    previousWord = '';
    atomicDepth = 0;
    return span;
  };
  const token = (start: number, end: number): void => {
    if (firstToken < 0) firstToken = start;
    lastTokenEnd = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const d = text.charCodeAt(j);
        if (d === 0x2f && text.charCodeAt(j + 1) === 0x2a) {
          depth++;
          j += 2;
        } else if (d === 0x2a && text.charCodeAt(j + 1) === 0x2f) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) {
        unterminated = 'comment';
        if (firstToken >= 0) lastTokenEnd = n;
      }
      i = j;
    } else if (c === 0x3b && atomicDepth === 0) {
      const span = flush(i);
      if (span) yield span;
      i++;
    } else if (c === 0x27) {
      const escapes =
        i > 0 && (text.charCodeAt(i - 1) | 0x20) === 0x65 && !(i > 1 && isIdentPart(text.charCodeAt(i - 2)));
      const end = scanQuoted(text, i, 0x27, escapes);
      if (end < 0) unterminated = 'string';
      token(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
      previousWord = '';
    } else if (c === 0x22) {
      const end = scanQuoted(text, i, 0x22, false);
      if (end < 0) unterminated = 'quoted-identifier';
      token(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
      previousWord = '';
    } else if (c === 0x24 && !(i > 0 && isIdentPart(text.charCodeAt(i - 1)))) {
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd < 0) {
        token(i, i + 1);
        i++;
      } else {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        if (close < 0) unterminated = 'dollar-quote';
        const end = close < 0 ? n : close + tag.length;
        token(i, end);
        i = end;
      }
      previousWord = '';
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      token(i, j);
      // Only four words matter: most are ruled out by length and first letter without a copy.
      if (j - i >= 3 && j - i <= 6 && mayBeBlockWord(c)) {
        const word = text.slice(i, j).toLowerCase();
        if (word === 'atomic' && previousWord === 'begin' && atomicDepth === 0) atomicDepth = 1;
        else if (atomicDepth > 0 && word === 'case') atomicDepth++;
        else if (atomicDepth > 0 && word === 'end') atomicDepth--;
        previousWord = word;
      } else previousWord = '';
      i = j;
    } else {
      token(i, i + 1);
      previousWord = '';
      i++;
    }
  }
  const last = flush(n);
  if (last) yield last;
}

function spanOf(
  text: string,
  leadingStart: number,
  start: number,
  end: number,
  unterminated: Unterminated | undefined,
): StatementSpan {
  const span: StatementSpan = { leadingStart, start, end, text: text.slice(start, end) };
  if (unterminated) span.unterminated = unterminated;
  return span;
}

/** Returns the offset after the closing quote, or -1 when the quote never closes. */
function scanQuoted(text: string, open: number, quote: number, backslashEscapes: boolean): number {
  const n = text.length;
  let j = open + 1;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (backslashEscapes && d === 0x5c) j += 2;
    else if (d === quote) {
      if (text.charCodeAt(j + 1) === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return -1;
}

/** The end of a `$tag$` opener at `i`, or -1 when `$` starts something else (`$1`, an operator). */
function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  if (text.charCodeAt(j) === 0x24) return j + 1;
  if (!isIdentStart(text.charCodeAt(j))) return -1;
  while (j < text.length && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x24) j++;
  return text.charCodeAt(j) === 0x24 ? j + 1 : -1;
}

const DELIMITER_LINE = /[ \t]*delimiter[ \t]+(\S+)[^\n]*(\n|$)/iy;

function* splitMysql(text: string): Generator<StatementSpan, void, undefined> {
  const n = text.length;
  let delimiter = ';';
  let segmentStart = 0;
  let firstToken = -1;
  let lastTokenEnd = -1;
  let unterminated: Unterminated | undefined;
  let atLineStart = true;
  let i = 0;
  const flush = (next: number): StatementSpan | undefined => {
    const span = firstToken >= 0 ? spanOf(text, segmentStart, firstToken, lastTokenEnd, unterminated) : undefined;
    segmentStart = next;
    firstToken = -1;
    lastTokenEnd = -1;
    unterminated = undefined;
    return span;
  };
  const token = (start: number, end: number): void => {
    if (firstToken < 0) firstToken = start;
    lastTokenEnd = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (atLineStart && firstToken < 0 && (c | 0x20) === 0x64) {
      DELIMITER_LINE.lastIndex = i;
      const m = DELIMITER_LINE.exec(text);
      if (m) {
        delimiter = m[1] ?? ';';
        i += m[0].length;
        segmentStart = i;
        continue;
      }
    }
    if (c === 0x0a) {
      atLineStart = true;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    atLineStart = false;
    if (text.startsWith(delimiter, i)) {
      const span = flush(i + delimiter.length);
      if (span) yield span;
      i += delimiter.length;
    } else if (c === 0x23 || (c === 0x2d && text.charCodeAt(i + 1) === 0x2d && isMysqlCommentSpace(text, i + 2))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) unterminated = 'comment';
      // An executable comment (`/*!…`, `/*M!…`) inside a statement is part of it: the server may run it.
      if (close >= 0 && firstToken >= 0 && /^\/\*M?!/.test(text.slice(i, i + 4))) token(i, close + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === 0x27 || c === 0x22) {
      const end = scanQuoted(text, i, c, true);
      if (end < 0) unterminated = 'string';
      token(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    } else if (c === 0x60) {
      const end = scanQuoted(text, i, 0x60, false);
      if (end < 0) unterminated = 'quoted-identifier';
      token(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    } else {
      let j = i + 1;
      if (isIdentPart(c)) while (j < n && isIdentPart(text.charCodeAt(j)) && !text.startsWith(delimiter, j)) j++;
      token(i, j);
      i = j;
    }
  }
  const last = flush(n);
  if (last) yield last;
}

/** MySQL needs whitespace (or the end) after `--` for it to start a comment. */
function isMysqlCommentSpace(text: string, i: number): boolean {
  return i >= text.length || isSpace(text.charCodeAt(i)) || text.charCodeAt(i) < 0x20;
}
