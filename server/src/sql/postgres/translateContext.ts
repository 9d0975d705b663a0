/** Shared helpers for translating libpg-query's AST: node access and identifier ranges. */
import type { Ident } from '../model';
import type { LexedPart } from './identifiers';
import type { StatementOffsets } from './offsets';

/** A libpg-query node: `{ TypeName: { …fields } }`. */
export type Node = Record<string, unknown>;

export interface TranslateContext {
  offsets: StatementOffsets;
  /** The dotted name at an AST byte location, as ranges local to the statement. */
  chain(byteLocation: number): LexedPart[];
}

/** `{ Kind: fields }` → [Kind, fields]. */
export function unwrap(node: unknown): [string, Node] | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const key = Object.keys(node)[0];
  return key === undefined ? undefined : [key, (node as Node)[key] as Node];
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(node: unknown): string | undefined {
  const u = unwrap(node);
  return u && u[0] === 'String' ? ((u[1].sval as string | undefined) ?? '') : undefined;
}

/**
 * Idents for `names` written at `location`: each name paired with its lexed range. When the text
 * does not match the AST (an unusual spelling), the ranges are unknown (-1) and nothing is reported.
 */
export function identsAt(ctx: TranslateContext, names: string[], location: unknown): Ident[] {
  const loc = typeof location === 'number' ? location : -1;
  const parts = loc >= 0 ? ctx.chain(loc) : [];
  const usable = parts.length >= names.length;
  return names.map((text, i) => {
    const part = usable ? parts[i] : undefined;
    if (!part) return { text, quoted: false, start: -1, end: -1 };
    return { text, quoted: part.quoted, start: ctx.offsets.base + part.start, end: ctx.offsets.base + part.end };
  });
}

/**
 * Visits every `{ Kind: fields }` node of the tree, parents before children. It runs over every
 * node of every statement, so it allocates nothing per node (no `Object.entries`, no regex).
 */
export function walk(value: unknown, visit: (kind: string, n: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const fields = value as Record<string, unknown>;
  for (const key in fields) {
    const child = fields[key];
    if (!child || typeof child !== 'object') continue;
    const first = key.charCodeAt(0);
    if (first >= 65 && first <= 90 && !Array.isArray(child)) visit(key, child as Node);
    walk(child, visit);
  }
}
