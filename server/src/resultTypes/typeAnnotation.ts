import type { Dialect } from '../schema/snapshot';

/** The calls whose type argument is the row type: node-postgres `query<R>`, mysql2 `query<T>` and `execute<T>`. */
const QUERY_CALLEE: Record<Dialect, RegExp> = {
  postgres: /[\w$]\.query\s*$/,
  mysql: /[\w$]\.(?:query|execute)\s*$/,
};

/**
 * The type argument for a row type (`{ id: number }`) as the driver's typings take it:
 * node-postgres the row itself, mysql2 an array of rows that are `RowDataPacket`s.
 */
export function rowTypeArgument(dialect: Dialect, rowType: string): string {
  return dialect === 'mysql' ? `(RowDataPacket & ${rowType})[]` : rowType;
}

/** The row type inside a written type argument (`(RowDataPacket & { … })[]` for mysql2); undefined when it is not of that form. */
export function writtenRowType(dialect: Dialect, argument: string): string | undefined {
  if (dialect === 'postgres') return argument;
  return /^\s*\(\s*RowDataPacket\s*&\s*(\{[^{}]*\})\s*\)\s*\[\s*\]\s*$/.exec(argument)?.[1];
}

/** mysql2's `RowDataPacket` type is in scope (imported by name). */
export function importsRowDataPacket(text: string): boolean {
  return /\bimport\b[^;]*\bRowDataPacket\b[^;]*\bfrom\s*['"]mysql2(?:\/promise)?['"]/.test(text);
}

/** Where a row type argument goes, and the one written there already. */
export interface TypeArgumentSite {
  /** Host offsets of `<…>`, or an empty range just before `(` when there is none. */
  start: number;
  end: number;
  /** The text between `<` and `>`, when an annotation is written. */
  existing?: string;
}

/**
 * The type argument site of `.query(` (mysql2: also `.execute(`) whose first argument is the
 * string literal with its text starting at `textStart`: between `.query` and `(`. Anything else (another callee, the string
 * not first, a call through a variable) has none.
 */
export function typeArgumentSite(
  text: string,
  textStart: number,
  dialect: Dialect = 'postgres',
): TypeArgumentSite | undefined {
  const callee = QUERY_CALLEE[dialect];
  let at = textStart - 1;
  if (!`'"\``.includes(text[at] ?? '')) return undefined;
  at = skipSpaceBack(text, at - 1);
  if (text[at] !== '(') return undefined;
  const close = skipSpaceBack(text, at - 1);
  if (text[close] !== '>') return callee.test(text.slice(0, at)) ? { start: at, end: at } : undefined;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === '>') depth++;
    else if (text[i] === '<' && --depth === 0) {
      if (!callee.test(text.slice(0, i))) return undefined;
      return { start: i, end: close + 1, existing: text.slice(i + 1, close) };
    }
  }
  return undefined;
}

function skipSpaceBack(text: string, at: number): number {
  while (at >= 0 && /\s/.test(text[at])) at--;
  return at;
}

/**
 * An inline object type as property → union members (`{ id: number; email: string | null }`);
 * undefined for anything this cannot read for certain (a named type, nested objects, generics,
 * optional or quoted-with-escapes properties), so nothing is judged that was not understood.
 */
export function readObjectType(text: string): Map<string, Set<string>> | undefined {
  const body = /^\s*\{([^{}<>()[\]]*)\}\s*$/.exec(text)?.[1];
  if (body === undefined) return undefined;
  const properties = new Map<string, Set<string>>();
  for (const part of body.split(/[;,]/)) {
    if (part.trim() === '') continue;
    const match = /^\s*(?:([A-Za-z_$][\w$]*)|"([^"\\]*)"|'([^'\\]*)')\s*:\s*([^:]+)$/.exec(part);
    if (!match) return undefined;
    const name = match[1] ?? match[2] ?? match[3];
    if (properties.has(name)) return undefined;
    properties.set(name, new Set(match[4].split('|').map((t) => t.trim())));
  }
  return properties;
}

/**
 * Whether a written row type agrees with the described one (same properties, same union members
 * in any order; a described `unknown` accepts anything); undefined when either cannot be read.
 */
export function sameRowType(written: string, described: string): boolean | undefined {
  const a = readObjectType(written);
  const b = readObjectType(described);
  if (!a || !b) return undefined;
  if (a.size !== b.size) return false;
  for (const [name, types] of a) {
    const other = b.get(name);
    if (!other) return false;
    // What the description leaves `unknown` (json, an expression offline) the writer may narrow.
    if ([...other].some((t) => t.startsWith('unknown'))) continue;
    if (other.size !== types.size || [...types].some((t) => !other.has(t))) return false;
  }
  return true;
}
