/**
 * Values a host program passes for a statement's parameters, independent of the host language:
 * each harness renders them as its language's own values (Python `Decimal`, `datetime.date`,
 * `None`, `bytes`; JavaScript numbers, strings, `null`, …).
 */
export type HostValue =
  | { kind: 'int'; value: number }
  | { kind: 'decimal'; text: string }
  | { kind: 'float'; value: number }
  | { kind: 'string'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; text: string }
  | { kind: 'datetime'; text: string }
  | { kind: 'bytes'; hex: string }
  | { kind: 'list'; items: HostValue[] };

/** A value a JavaScript test fixture holds, as the host value a program would pass for it. */
export function hostValueOf(value: unknown): HostValue {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int', value } : { kind: 'float', value };
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(hostValueOf) };
  if (value instanceof Date) return { kind: 'datetime', text: value.toISOString().replace('Z', '') };
  throw new Error(`no host value for ${JSON.stringify(value)}`);
}
