/**
 * Reading libpg-query's JSON AST, and the refusal that stops a conversion which could not be
 * faithful. Every generator walks the statement with these.
 */
import { REFUSAL } from './refusals';

/** A libpg-query node: `{ Kind: { …fields } }`; its fields object is a `Fields`. */
export type Fields = Record<string, unknown>;

/** Thrown while walking the AST when a construct cannot be converted faithfully. */
export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** `{ Kind: fields }` → [Kind, fields]. */
export function unwrap(node: unknown): [string, Fields] {
  if (!node || typeof node !== 'object') refuse(REFUSAL.unknownPart);
  const key = Object.keys(node)[0];
  return [key, (node as Fields)[key] as Fields];
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The `sval` of a `String` node. */
export function stringValue(node: unknown): string {
  const [kind, fields] = unwrap(node);
  if (kind !== 'String') refuse(REFUSAL.unexpectedNode(kind));
  return (fields.sval as string | undefined) ?? '';
}
