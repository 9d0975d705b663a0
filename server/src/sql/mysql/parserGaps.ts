import { findJsonTables, type JsonTableCall } from './jsonTable';
import { isKeyword, type Token } from './tokenize';

/**
 * MySQL and MariaDB syntax node-sql-parser does not read, rewritten to an equivalent it does
 * read with every offset unchanged, so names and ranges still point into the user's text:
 * - `DELETE FROM t USING t JOIN u …` is `DELETE t FROM t JOIN u …` (FROM blanked, FROM written
 *   over USING);
 * - `a NATURAL [LEFT|RIGHT] JOIN b` loses NATURAL; `markNaturalJoins` puts it back on the AST;
 * - `JSON_TABLE(…)` loses its parenthesis (see `jsonTable.ts`).
 */
export interface ReadableText {
  text: string;
  /** NATURAL was blanked: the joins without ON or USING are natural ones. */
  naturalJoins: boolean;
  jsonTables: JsonTableCall[];
}

export function readableText(text: string, tokens: Token[]): ReadableText {
  const natural = tokens.filter(
    (t, i) => isKeyword(t, 'NATURAL') && /^(JOIN|LEFT|RIGHT|INNER)$/i.test(tokens[i + 1]?.value ?? ''),
  );
  const jsonTables = findJsonTables(tokens);
  let readable = text;
  for (const t of natural) readable = blank(readable, t);
  for (const { open, close } of jsonTables)
    readable = readable.slice(0, open.start) + ' '.repeat(close.end - open.start) + readable.slice(close.end);
  return { text: deleteUsing(readable, tokens), naturalJoins: natural.length > 0, jsonTables };
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
