import { findJsonTables, type JsonTableCall } from './jsonTable';
import { isKeyword, type Token, type Tokenized } from './tokenize';

/**
 * MySQL and MariaDB syntax node-sql-parser does not read, rewritten to an equivalent it does
 * read with every offset unchanged, so names and ranges still point into the user's text:
 * - `DELETE FROM t USING t JOIN u …` is `DELETE t FROM t JOIN u …` (FROM blanked, FROM written
 *   over USING);
 * - `a NATURAL [LEFT|RIGHT] JOIN b` loses NATURAL; `markNaturalJoins` puts it back on the AST;
 * - `JSON_TABLE(…)` loses its parenthesis (see `jsonTable.ts`);
 * - the markers of an executable comment the server runs (`/*!NNNNN`, the closing star-slash) are blanked;
 * - DISTINCTROW (a synonym node-sql-parser reads as a column) is DISTINCT;
 * - a character set introducer (`_utf8mb4'…'`, `_binary X'…'`) is blanked: node-sql-parser reads
 *   it as a column with the string as its alias.
 */
export interface ReadableText {
  text: string;
  /** NATURAL was blanked: the joins without ON or USING are natural ones. */
  naturalJoins: boolean;
  jsonTables: JsonTableCall[];
}

export function readableText(text: string, tokens: Token[], commentMarkers: Tokenized['commentMarkers']): ReadableText {
  const natural = tokens.filter(
    (t, i) => isKeyword(t, 'NATURAL') && /^(JOIN|LEFT|RIGHT|INNER)$/i.test(tokens[i + 1]?.value ?? ''),
  );
  const jsonTables = findJsonTables(tokens);
  let readable = text;
  for (const { start, end } of commentMarkers)
    readable = readable.slice(0, start) + ' '.repeat(end - start) + readable.slice(end);
  for (const t of [...natural, ...tokens.filter(isIntroducer)]) readable = blank(readable, t);
  for (const t of tokens.filter((t) => isKeyword(t, 'DISTINCTROW'))) readable = blank(readable, t, 'DISTINCT');
  for (const { open, close } of jsonTables)
    readable = readable.slice(0, open.start) + ' '.repeat(close.end - open.start) + readable.slice(close.end);
  return { text: deleteUsing(readable, tokens), naturalJoins: natural.length > 0, jsonTables };
}

/** The character sets MariaDB 10.11 and MySQL 8 know (`SHOW CHARACTER SET`), `utf8` included. */
const CHARACTER_SETS = new Set(
  `armscii8 ascii big5 binary cp1250 cp1251 cp1256 cp1257 cp850 cp852 cp866 cp932 dec8 eucjpms euckr gb18030
  gb2312 gbk geostd8 greek hebrew hp8 keybcs2 koi8r koi8u latin1 latin2 latin5 latin7 macce macroman sjis swe7
  tis620 ucs2 ujis utf16 utf16le utf32 utf8 utf8mb3 utf8mb4`.split(/\s+/),
);

/** `_charset` before a string, a hex or bit literal (`X'…'`, `0x…`, `b'…'`). */
function isIntroducer(token: Token, index: number, tokens: Token[]): boolean {
  if (token.kind !== 'word' || !CHARACTER_SETS.has(token.value.slice(1).toLowerCase()) || token.value[0] !== '_')
    return false;
  const next = tokens[index + 1];
  if (next?.kind === 'string' || (next?.kind === 'number' && /^0[xb]/i.test(next.value))) return true;
  const literal = tokens[index + 2];
  return isKeyword(next, 'X', 'B') && literal?.kind === 'string' && literal.start === next?.end;
}

function blank(text: string, token: Token, replacement = ''): string {
  return text.slice(0, token.start) + replacement.padEnd(token.end - token.start) + text.slice(token.end);
}

function deleteUsing(text: string, tokens: Token[]): string {
  if (!isKeyword(tokens[0], 'DELETE')) return text;
  const from = tokens.findIndex((t) => isKeyword(t, 'FROM'));
  const using = tokens.findIndex((t, i) => i > from && isKeyword(t, 'USING'));
  if (from < 0 || using < 0 || tokens.slice(1, from).some((t) => !isKeyword(t, 'LOW_PRIORITY', 'QUICK', 'IGNORE')))
    return text;
  // Only the USING of the DELETE itself, before any parenthesis or WHERE (not a join's USING (…)).
  if (tokens.slice(from + 1, using).some((t) => t.value === '(' || isKeyword(t, 'WHERE'))) return text;
  return blank(blank(text, tokens[using], 'FROM'), tokens[from]);
}

/**
 * Marks the joins without ON or USING as natural. A plain `JOIN` without ON in the same
 * statement is marked too: natural joins only merge columns, so the analysis can only say less.
 */
export function markNaturalJoins(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) markNaturalJoins(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const item = node as Record<string, unknown>;
  if (typeof item.join === 'string' && !item.on && !item.using) item.join = `NATURAL ${item.join}`;
  for (const [key, value] of Object.entries(item)) if (key !== 'loc') markNaturalJoins(value);
}
