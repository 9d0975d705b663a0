/**
 * Whether PostgreSQL can read a string literal as a column's type. Only what every supported
 * version (15 to 18) rejects counts, checked against each type's input function: a literal that
 * a newer syntax might accept (`0x1F`, `1_000`) is left to the database.
 */
import type { EnumType } from '../../schema/snapshot';

const INTEGERS = new Set(['smallint', 'integer', 'bigint']);
const FLOATS = /^(numeric|decimal|real|double precision)(\(\d+(,\s*-?\d+)?\))?$/;
/** What `numeric`, `real` and `double precision` read besides numbers (and what starts like it). */
const SPECIAL_NUMBERS = /^[+-]?(nan|inf)/i;
const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'];

/** The type's name when PostgreSQL certainly rejects `value` as input of `type`, else undefined. */
export function unreadableAs(
  type: string,
  value: string,
  enumOf: (type: string) => EnumType | undefined,
): string | undefined {
  const trimmed = value.trim();
  // An integer has a digit and nothing but signs, digits and (from 16 on) `0x`/`0o`/`0b` prefixes
  // and `_`: `1.5` never reads, `0x1F` or `1_000` may, so those are left to the database.
  if (INTEGERS.has(type)) return /\d/.test(trimmed) && /^[+-]?[\w]*$/.test(trimmed) ? undefined : type;
  if (FLOATS.test(type)) {
    // strtod (real, double precision) also reads `nan(…)` and hex floats: anything starting like
    // NaN or infinity, and hex digits, exponents and prefixes, are left to the database.
    if (SPECIAL_NUMBERS.test(trimmed)) return undefined;
    return /\d/.test(trimmed) && /^[\dA-Fa-fXxOoPp.+\-_]*$/.test(trimmed) ? undefined : type;
  }
  if (type === 'boolean') {
    const word = trimmed.toLowerCase();
    return word !== '' && BOOLEAN_WORDS.some((w) => w.startsWith(word)) ? undefined : type;
  }
  if (type === 'uuid') {
    const hex = value.replace(/[{}-]/g, '');
    return /^[0-9a-f]{32}$/i.test(hex) ? undefined : type;
  }
  const enumType = enumOf(type);
  // Enum input compares the label exactly: no trimming, no case folding.
  if (enumType)
    return enumType.values.includes(value) ? undefined : `${enumType.name} (one of ${enumType.values.join(', ')})`;
  return undefined;
}
