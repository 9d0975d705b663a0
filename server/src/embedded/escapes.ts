/**
 * Decoding of string-literal bodies into the value the program sees, keeping the map to the host
 * text. The host parsers give each literal's body range; these functions only read escapes inside it.
 */
import type { MappedTextBuilder } from './mappedText';

/** How a JavaScript literal body is read. */
export type JsLiteralMode = 'string' | 'template' | 'raw-template';

const SIMPLE_JS_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

/** Appends the value of a JS string or template body `host[from, to)` to `out`. */
export function decodeJsLiteral(
  host: string,
  from: number,
  to: number,
  mode: JsLiteralMode,
  out: MappedTextBuilder,
): void {
  let run = from;
  let i = from;
  const flush = (upTo: number): void => out.verbatim(host, run, upTo);
  while (i < to) {
    const ch = host.charCodeAt(i);
    // Template literals turn CRLF and lone CR into LF, raw or not.
    if (ch === 13 && mode !== 'string') {
      flush(i);
      const end = host.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      out.mapped('\n', i, end);
      i = run = end;
      continue;
    }
    if (ch !== 92 /* \ */ || mode === 'raw-template' || i + 1 >= to) {
      i++;
      continue;
    }
    flush(i);
    const escape = readJsEscape(host, i, to, mode);
    out.mapped(escape.value, i, escape.end);
    i = run = escape.end;
  }
  flush(to);
}

function readJsEscape(host: string, at: number, to: number, mode: JsLiteralMode): { value: string; end: number } {
  const next = host[at + 1];
  if (next === '\r') return { value: '', end: host[at + 2] === '\n' ? at + 3 : at + 2 };
  if (next === '\n' || next === '\u2028' || next === '\u2029') return { value: '', end: at + 2 };
  if (next in SIMPLE_JS_ESCAPES) return { value: SIMPLE_JS_ESCAPES[next], end: at + 2 };
  if (next === 'x') {
    const code = parseHex(host, at + 2, at + 4, to);
    return code === undefined ? { value: 'x', end: at + 2 } : { value: String.fromCharCode(code), end: at + 4 };
  }
  if (next === 'u') {
    if (host[at + 2] === '{') {
      const close = host.indexOf('}', at + 3);
      const code = close > 0 && close < to ? parseHex(host, at + 3, close, to) : undefined;
      if (code !== undefined && code <= 0x10ffff) return { value: String.fromCodePoint(code), end: close + 1 };
      return { value: 'u', end: at + 2 };
    }
    const code = parseHex(host, at + 2, at + 6, to);
    return code === undefined ? { value: 'u', end: at + 2 } : { value: String.fromCharCode(code), end: at + 6 };
  }
  if (next >= '0' && next <= '7' && mode === 'string') return readOctal(host, at + 1, to, 3, 255);
  return { value: next, end: at + 2 };
}

function parseHex(host: string, from: number, to: number, limit: number): number | undefined {
  if (to > limit || to <= from) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = parseInt(host[i], 16);
    if (Number.isNaN(digit)) return undefined;
    value = value * 16 + digit;
  }
  return value;
}

function readOctal(
  host: string,
  from: number,
  to: number,
  maxDigits: number,
  max: number,
): { value: string; end: number } {
  let end = from;
  let value = 0;
  while (end < to && end - from < maxDigits && host[end] >= '0' && host[end] <= '7') {
    const candidate = value * 8 + (host.charCodeAt(end) - 48);
    if (candidate > max) break;
    value = candidate;
    end++;
  }
  return { value: String.fromCharCode(value), end };
}

/** How a Python string body is read, from its prefix. */
export interface PythonStringFlags {
  raw: boolean;
  bytes: boolean;
  /** f-string or t-string: `{{` and `}}` stand for single braces. */
  formatted: boolean;
}

/** Reads the prefix of a Python string start token such as `rb"`, `F'''` or `"`. */
export function pythonStringFlags(start: string): PythonStringFlags {
  const prefix = start.replace(/['"]+$/, '').toLowerCase();
  return {
    raw: prefix.includes('r'),
    bytes: prefix.includes('b'),
    formatted: prefix.includes('f') || prefix.includes('t'),
  };
}

const SIMPLE_PY_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Unicode names seen in SQL strings. Node has no Unicode name table; an unknown `\N{…}` decodes to
 * U+FFFD, which only matters inside SQL string literals, where it changes no name resolution.
 */
const UNICODE_NAMES: Record<string, string> = {
  'EM DASH': '\u2014',
  'EN DASH': '\u2013',
  'NO-BREAK SPACE': '\u00a0',
  'HORIZONTAL ELLIPSIS': '\u2026',
  BULLET: '\u2022',
  'DEGREE SIGN': '\u00b0',
  'EURO SIGN': '\u20ac',
  'POUND SIGN': '\u00a3',
  'COPYRIGHT SIGN': '\u00a9',
  'LATIN SMALL LETTER E WITH ACUTE': '\u00e9',
  'LATIN SMALL LETTER A WITH GRAVE': '\u00e0',
  'LATIN SMALL LETTER U WITH DIAERESIS': '\u00fc',
  'LATIN SMALL LETTER O WITH DIAERESIS': '\u00f6',
  'LATIN SMALL LETTER A WITH DIAERESIS': '\u00e4',
  'LATIN SMALL LETTER SHARP S': '\u00df',
  'GREEK SMALL LETTER ALPHA': '\u03b1',
  SNOWMAN: '\u2603',
};

/**
 * Appends the value of a Python string body `host[from, to)` (the text between interpolations of an
 * f-string) to `out`. Python reads source newlines as LF, so CRLF in a triple-quoted string is one LF.
 */
export function decodePythonLiteral(
  host: string,
  from: number,
  to: number,
  flags: PythonStringFlags,
  out: MappedTextBuilder,
): void {
  let run = from;
  let i = from;
  const flush = (upTo: number): void => out.verbatim(host, run, upTo);
  while (i < to) {
    const ch = host[i];
    if (ch === '\r') {
      flush(i);
      const end = host[i + 1] === '\n' ? i + 2 : i + 1;
      out.mapped('\n', i, end);
      i = run = end;
      continue;
    }
    if (flags.formatted && (ch === '{' || ch === '}') && host[i + 1] === ch) {
      flush(i);
      out.mapped(ch, i, i + 2);
      i = run = i + 2;
      continue;
    }
    if (ch !== '\\' || i + 1 >= to) {
      i++;
      continue;
    }
    if (flags.raw) {
      // A raw string keeps the backslash and whatever follows it, quotes and newlines included.
      i += 2;
      continue;
    }
    flush(i);
    const escape = readPythonEscape(host, i, to, flags);
    out.mapped(escape.value, i, escape.end);
    i = run = escape.end;
  }
  flush(to);
}

function readPythonEscape(
  host: string,
  at: number,
  to: number,
  flags: PythonStringFlags,
): { value: string; end: number } {
  const next = host[at + 1];
  if (next === '\n') return { value: '', end: at + 2 };
  if (next === '\r') return { value: '', end: host[at + 2] === '\n' ? at + 3 : at + 2 };
  if (next in SIMPLE_PY_ESCAPES) return { value: SIMPLE_PY_ESCAPES[next], end: at + 2 };
  if (next >= '0' && next <= '7') return readOctal(host, at + 1, to, 3, 511);
  const hexLength = next === 'x' ? 2 : flags.bytes ? 0 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const code = parseHex(host, at + 2, at + 2 + hexLength, to);
    if (code !== undefined && code <= 0x10ffff) return { value: String.fromCodePoint(code), end: at + 2 + hexLength };
  }
  if (next === 'N' && !flags.bytes && host[at + 2] === '{') {
    const close = host.indexOf('}', at + 3);
    if (close > 0 && close < to) {
      const name = host.slice(at + 3, close).toUpperCase();
      return { value: UNICODE_NAMES[name] ?? '\ufffd', end: close + 1 };
    }
  }
  // Python keeps unknown escapes as written, backslash included.
  return { value: host.slice(at, at + 2), end: at + 2 };
}
