import type { Dialect } from '../../schema/snapshot';

/** The statements a live check may PREPARE: plain queries and data changes, never DDL or utility. */
export type CheckableKind = 'select' | 'insert' | 'update' | 'delete';

const KINDS: Record<string, CheckableKind> = {
  SELECT: 'select',
  INSERT: 'insert',
  REPLACE: 'insert',
  UPDATE: 'update',
  DELETE: 'delete',
};

/**
 * What a statement is, judged by its words outside parentheses, strings and comments: the first
 * of SELECT/INSERT/UPDATE/DELETE (after any WITH list), or undefined for everything else — DDL,
 * utility statements, MERGE, and `SELECT … INTO` (PG creates a table with it, MySQL writes
 * variables or files), which are never prepared.
 */
export function checkableKind(text: string, dialect: Dialect): CheckableKind | undefined {
  const words = topLevelWords(text, dialect);
  const first = words[0];
  if (first === undefined) return undefined;
  let kind: CheckableKind | undefined;
  if (first === 'WITH') {
    // A WITH list with no statement after it is only ever a mistake: let the server say where.
    kind = words.map((w) => KINDS[w]).find((k) => k !== undefined) ?? (words.includes('MERGE') ? undefined : 'select');
  } else kind = KINDS[first];
  if (kind === 'select' && words.includes('INTO')) return undefined;
  if (dialect === 'postgres' && first === 'REPLACE') return undefined;
  return kind;
}

/** Upper-cased words at parenthesis depth 0; a leading `(` (a parenthesised SELECT) is looked through. */
function topLevelWords(text: string, dialect: Dialect): string[] {
  const words: string[] = [];
  let depth = 0;
  let leadingParens = 0;
  let seenWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      i = lineEnd(text, i);
    } else if (c === '#' && dialect === 'mysql') {
      i = lineEnd(text, i);
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(text, i, dialect === 'postgres');
    } else if (c === "'" || c === '"' || (c === '`' && dialect === 'mysql')) {
      i = quoteEnd(text, i, c, dialect === 'mysql' || /[eE]$/.test(text.slice(Math.max(0, i - 1), i)));
    } else if (c === '$' && dialect === 'postgres' && /^\$[A-Za-z_]?\w*\$/.test(text.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(text.slice(i, i + 64))?.[0] as string;
      const close = text.indexOf(tag, i + tag.length);
      i = close < 0 ? text.length : close + tag.length;
    } else if (c === '(') {
      if (!seenWord && depth === leadingParens) leadingParens++;
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[\w$]/.test(text[j])) j++;
      if (depth === leadingParens || (depth === 0 && seenWord)) words.push(text.slice(i, j).toUpperCase());
      seenWord = true;
      i = j;
    } else {
      i++;
    }
  }
  return words;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline + 1;
}

function blockCommentEnd(text: string, from: number, nested: boolean): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth = nested ? depth + 1 : 1;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      i += 2;
      if (--depth === 0) return i;
    } else i++;
  }
  return text.length;
}

function quoteEnd(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\' && quote !== '`') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return text.length;
}
