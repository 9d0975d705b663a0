/**
 * Locates the parts of a dotted name (`s.t`, `"Ab".c`, `t.*`) in the source text: the AST gives
 * one location per name, findings need one range per part.
 */

export interface LexedPart {
  start: number;
  end: number;
  quoted: boolean;
}

const isStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
const isPart = (c: number): boolean => isStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x24;

/** Reads a dotted identifier chain starting at `offset` in `text` (offsets are into `text`). */
export function lexNameChain(text: string, offset: number): LexedPart[] {
  const parts: LexedPart[] = [];
  let i = offset;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (j < text.length) {
        if (text.charCodeAt(j) === 0x22) {
          if (text.charCodeAt(j + 1) === 0x22) j += 2;
          else break;
        } else j++;
      }
      if (j >= text.length) return parts;
      parts.push({ start: i, end: j + 1, quoted: true });
      i = j + 1;
    } else if (isStart(c)) {
      let j = i + 1;
      while (j < text.length && isPart(text.charCodeAt(j))) j++;
      parts.push({ start: i, end: j, quoted: false });
      i = j;
    } else if (c === 0x2a) {
      return parts;
    } else return parts;
    let k = skipSpace(text, i);
    if (text.charCodeAt(k) !== 0x2e) return parts;
    k = skipSpace(text, k + 1);
    i = k;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else break;
  }
  return i;
}

/** The token at `offset` for an error range: a word, a quoted string or name, or one character. */
export function tokenAt(text: string, offset: number): { start: number; end: number } {
  if (offset >= text.length) {
    // "at end of input": point at the last token.
    let end = text.length;
    while (end > 0 && /\s/.test(text.charAt(end - 1))) end--;
    let start = end - 1;
    while (start > 0 && isPart(text.charCodeAt(start - 1)) && isPart(text.charCodeAt(start))) start--;
    return { start: Math.max(0, start), end: Math.max(end, 1) };
  }
  const c = text.charCodeAt(offset);
  if (isPart(c)) {
    let j = offset + 1;
    while (j < text.length && isPart(text.charCodeAt(j))) j++;
    return { start: offset, end: j };
  }
  if (c === 0x27 || c === 0x22) {
    const close = text.indexOf(String.fromCharCode(c), offset + 1);
    const nl = text.indexOf('\n', offset);
    const end = close < 0 ? (nl < 0 ? text.length : nl) : close + 1;
    return { start: offset, end };
  }
  if (c === 0x24) {
    const nl = text.indexOf('\n', offset);
    return { start: offset, end: nl < 0 ? text.length : nl };
  }
  return { start: offset, end: offset + 1 };
}
