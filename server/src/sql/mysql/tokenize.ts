/**
 * A MySQL/MariaDB lexer: just enough to find identifiers, keywords and punctuation with exact
 * offsets. node-sql-parser gives locations for column references only, so table names, syntax
 * error ranges and statement kinds are found on these tokens.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'variable' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Offsets into the tokenized text (UTF-16), end exclusive. */
  start: number;
  end: number;
  /** Identifier value for `word`/`quoted` (backticks removed, doubled backticks undone); raw text otherwise. */
  value: string;
  /**
   * A word that can only be a name, never a keyword: after `.` (`t.order`, even a reserved word),
   * or WINDOW not followed by `name AS` (MariaDB does not reserve it).
   */
  nameOnly?: true;
}

/** A string, quoted identifier or comment that never ends: a certain syntax error. */
export interface LexicalError {
  start: number;
  end: number;
  what: 'string' | 'identifier' | 'comment';
}

/**
 * Whether the server runs an executable comment's content: `/*! …` and `/*!50000 …` (MySQL and
 * MariaDB), `/*M!100500 …` (MariaDB); undefined when that depends on an unknown version.
 */
export type RunsComment = (version: number | undefined, mariadbOnly: boolean) => boolean | undefined;

export interface TokenizeOptions {
  /** Executable comments whose content runs are read as SQL (default: every comment is skipped). */
  runsComment?: RunsComment;
  /** `sql_mode` ANSI_QUOTES: `"x"` is an identifier, not a string. */
  ansiQuotes?: boolean;
  /** `sql_mode` NO_BACKSLASH_ESCAPES: a backslash in a string is an ordinary character. */
  noBackslashEscapes?: boolean;
}

export interface Tokenized {
  tokens: Token[];
  error: LexicalError | undefined;
  /** The opening `/*!NNNNN` and the closing star-slash of executable comments read as SQL: a parser skips them. */
  commentMarkers: { start: number; end: number }[];
  /** An executable comment whose fate depends on the server version, which is unknown. */
  versionDependent?: true;
}

const OPERATORS = ['<=>', '->>', '<=', '>=', '<>', '!=', ':=', '->', '||', '&&', '<<', '>>'];
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits `text` into tokens, skipping whitespace and comments. Stops at the first lexical error. */
export function tokenizeMysql(text: string, options: TokenizeOptions = {}): Tokenized {
  const tokens: Token[] = [];
  const commentMarkers: Tokenized['commentMarkers'] = [];
  let versionDependent = false;
  /** Where the executable comment being read as SQL ends (its closing star-slash), or -1. */
  let executableEnd = -1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (i === executableEnd) {
      commentMarkers.push({ start: i, end: i + 2 });
      executableEnd = -1;
      i += 2;
    } else if (c === '/' && text[i + 1] === '*' && executableEnd < 0 && options.runsComment) {
      const close = text.indexOf('*/', i + 2);
      const executable = /^\/\*(M?)!(\d{5,6})?/.exec(text.slice(i, i + 10));
      const runs =
        executable && close >= 0
          ? options.runsComment(Number(executable[2]) || undefined, executable[1] === 'M')
          : false;
      if (runs === undefined) versionDependent = true;
      if (runs && executable) {
        commentMarkers.push({ start: i, end: i + executable[0].length });
        executableEnd = close;
        i += executable[0].length;
      } else {
        if (close < 0) return { tokens, error: { start: i, end: n, what: 'comment' }, commentMarkers };
        i = close + 2;
      }
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') {
      i++;
    } else if (c === '#' || (c === '-' && text[i + 1] === '-' && (i + 2 >= n || /\s/.test(text[i + 2])))) {
      // MySQL needs whitespace after `--`: `1--1` is arithmetic, not a comment.
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return { tokens, error: { start: i, end: n, what: 'comment' }, commentMarkers };
      i = close + 2;
    } else if (c === '`' || (c === '"' && options.ansiQuotes)) {
      const end = closingQuote(text, i, c, false);
      if (end < 0) return { tokens, error: { start: i, end: lineEnd(text, i), what: 'identifier' }, commentMarkers };
      tokens.push({ kind: 'quoted', start: i, end, value: text.slice(i + 1, end - 1).replaceAll(c + c, c) });
      i = end;
    } else if (c === "'" || c === '"') {
      const end = closingQuote(text, i, c, !options.noBackslashEscapes);
      if (end < 0) return { tokens, error: { start: i, end: lineEnd(text, i), what: 'string' }, commentMarkers };
      tokens.push({ kind: 'string', start: i, end, value: text.slice(i, end) });
      i = end;
    } else if (c === '?') {
      tokens.push({ kind: 'param', start: i, end: i + 1, value: '?' });
      i++;
    } else if (c === '@') {
      let j = i + 1;
      if (text[j] === '@') j++;
      if (text[j] === '`' || text[j] === "'" || text[j] === '"') {
        const end = closingQuote(text, j, text[j], true);
        j = end < 0 ? n : end;
      } else {
        while (j < n && (WORD_CHAR.test(text[j]) || text[j] === '.')) j++;
      }
      tokens.push({ kind: 'variable', start: i, end: j, value: text.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i = readNumberOrWord(text, i, tokens);
    } else if (WORD_CHAR.test(c)) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(text[j])) j++;
      const previous = tokens.at(-1);
      const nameOnly = previous?.kind === 'punct' && previous.value === '.';
      tokens.push({ kind: 'word', start: i, end: j, value: text.slice(i, j), ...(nameOnly ? { nameOnly } : {}) });
      i = j;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
      tokens.push({ kind: 'punct', start: i, end: i + op.length, value: op });
      i += op.length;
    }
  }
  tokens.forEach((token, index) => {
    const window = token.kind === 'word' && token.value.toUpperCase() === 'WINDOW';
    if (window && !(tokens[index + 1]?.kind !== 'punct' && isKeyword(tokens[index + 2], 'AS'))) token.nameOnly = true;
  });
  return { tokens, error: undefined, commentMarkers, ...(versionDependent ? { versionDependent } : {}) };
}

/** Returns the offset after the closing quote, or -1 when the quote never closes. */
function closingQuote(text: string, open: number, quote: string, backslashEscapes: boolean): number {
  let j = open + 1;
  while (j < text.length) {
    const ch = text[j];
    if (backslashEscapes && ch === '\\') j += 2;
    else if (ch === quote && text[j + 1] === quote) j += 2;
    else if (ch === quote) return j + 1;
    else j++;
  }
  return -1;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** Numbers (`12`, `1.5e3`, `0x1F`, `.5`); MySQL identifiers may start with digits (`1st_row`). */
function readNumberOrWord(text: string, i: number, tokens: Token[]): number {
  const number =
    /^(?:0x[0-9a-fA-F]+|0b[01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))?.[0] ?? '';
  let j = i + number.length;
  if (j < text.length && WORD_CHAR.test(text[j]) && !/[.eE]/.test(number)) {
    while (j < text.length && WORD_CHAR.test(text[j])) j++;
    tokens.push({ kind: 'word', start: i, end: j, value: text.slice(i, j) });
    return j;
  }
  tokens.push({ kind: 'number', start: i, end: j, value: number });
  return j;
}

/** The index of the token containing `offset`, or the first one after it; `tokens.length` at the end. */
export function tokenAt(tokens: Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].end <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** True for a bare word equal (case-insensitively) to one of `keywords` (upper case). */
export function isKeyword(token: Token | undefined, ...keywords: string[]): boolean {
  return token?.kind === 'word' && !token.nameOnly && keywords.includes(token.value.toUpperCase());
}
