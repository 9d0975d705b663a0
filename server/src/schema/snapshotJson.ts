import { describeJsonSyntaxError } from '../text/jsonSyntaxError';
import { normaliseSnapshot, type SchemaSnapshot } from './snapshot';
import { validateSnapshot } from './snapshotSchema';

/**
 * The text form of `.live-schema/schema.json`, made for code review: arrays sorted, keys in a
 * fixed order (`schema` and `name` first, the rest alphabetical) and every object that holds
 * only plain values — a column, an index, a foreign key — on one line. A changed column is a
 * one-line diff, an added column one added line, whoever exported the file on whatever machine.
 */
export function formatSnapshotJson(snapshot: SchemaSnapshot): string {
  return `${formatValue(normaliseSnapshot(structuredClone(snapshot)), '')}\n`;
}

/**
 * Reads a snapshot from text. `source` (the file path) starts every error message, so a broken
 * file reads `.live-schema/schema.json: relations[3].columns[0].nullable: expected boolean, got "yes"`.
 */
export function parseSnapshotJson(text: string, source: string): { snapshot: SchemaSnapshot } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      error: `${source}: ${describeJsonSyntaxError(error, text)}; was it cut short or merged with conflict markers?`,
    };
  }
  const result = validateSnapshot(value);
  return 'error' in result ? { error: `${source}: ${result.error}` } : { snapshot: normaliseSnapshot(result.snapshot) };
}

const FIRST_KEYS = ['formatVersion', 'schema', 'name'];

function orderedKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object).filter((k) => object[k] !== undefined);
  const rank = (k: string) => {
    const i = FIRST_KEYS.indexOf(k);
    return i === -1 ? FIRST_KEYS.length : i;
  };
  return keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const isPlain = (value: unknown): boolean => value === null || typeof value !== 'object';
const isFlat = (value: unknown): boolean =>
  isPlain(value) ||
  (Array.isArray(value)
    ? value.every(isPlain)
    : Object.values(value as Record<string, unknown>).every(
        (v) => isPlain(v) || (Array.isArray(v) && v.every(isPlain)),
      ));

function formatValue(value: unknown, indent: string): string {
  if (isPlain(value)) return JSON.stringify(value);
  if (isFlat(value)) return formatInline(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + formatValue(v, inner)).join(',\n')}\n${indent}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = orderedKeys(object);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatValue(object[k], inner)}`).join(',\n')}\n${indent}}`;
}

function formatInline(value: unknown): string {
  if (isPlain(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatInline).join(', ')}]`;
  const object = value as Record<string, unknown>;
  const keys = orderedKeys(object);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${JSON.stringify(k)}: ${formatInline(object[k])}`).join(', ')} }`;
}
