/**
 * Converts an embedded SQL region (a SQL string found in TypeScript/JavaScript) into Kysely code:
 * the region's parameter markers (PostgreSQL `$n`, MySQL `?`) are mapped back to the host
 * expressions they stand for, then the statement goes through `generateKysely`.
 */
import type { SqlRegion } from '../../embedded/region';
import type { BuilderConversion } from '../builderTarget';
import { generateKysely } from './generateKysely';

/** `${expr}` (JavaScript) or `{expr}` (Python f-string) → `expr`; a concatenated `expr` stays as it is. */
function interpolatedExpression(hostSlice: string): string | undefined {
  const match = /^\$?\{([\s\S]*)\}$/.exec(hostSlice);
  // A concatenated value (`'… id = ' + id`) maps to the expression itself.
  const expression = (match ? match[1] : hostSlice).trim();
  return expression ? expression : undefined;
}

/**
 * Host expressions for `$1…$n` of a region (MySQL: its `?` markers in order), or why they cannot be
 * known. Interpolations carry their own expression; driver placeholders take theirs from
 * `placeholderValues`, the expressions of the values the call passes: PostgreSQL's `$n` the n-th,
 * MySQL's `?` the next one (interpolations take no value from the call).
 */
export function regionParameterExpressions(
  region: SqlRegion,
  hostText: string,
  placeholderValues: readonly string[] = [],
): string[] | { refused: string } {
  const expressions: string[] = [];
  let placeholders = 0;
  const inTextOrder = [...region.parameters].sort((a, b) => a.sqlStart - b.sqlStart);
  for (const [ordinal, parameter] of inTextOrder.entries()) {
    const marker = region.text.slice(parameter.sqlStart, parameter.sqlEnd);
    const number =
      region.dialect === 'mysql' ? (marker === '?' ? ordinal + 1 : 0) : Number(/^\$(\d+)$/.exec(marker)?.[1] ?? 0);
    if (!number) return { refused: `the parameter marker ${marker} is not understood` };
    const expression =
      parameter.source === 'interpolation'
        ? interpolatedExpression(hostText.slice(parameter.hostStart, parameter.hostEnd))
        : placeholderValues[region.dialect === 'mysql' ? placeholders++ : number - 1];
    if (expression === undefined) return { refused: `the value of ${marker} is not known at the SQL string` };
    expressions[number - 1] = expression;
  }
  return expressions;
}

/**
 * Why a dynamic region's text may not be the statement that runs, leaving out the reasons this
 * converter checks itself (values spliced or concatenated in, whose positions `valuesOnly`
 * verifies). Any other reason (text extended with `+=`, built with `%`/`.format()`, continued
 * elsewhere, or a reason this module does not know) refuses the conversion.
 */
function unsafeDynamicReasons(region: SqlRegion): string[] {
  if (region.certainty !== 'dynamic') return [];
  const checkedHere = new Set([
    'SQL fragments are spliced into the text',
    'the text is concatenated with non-literal values',
  ]);
  const reasons = (region.dynamicReason ?? 'the text is built at run time').split('; ');
  return reasons.filter((reason) => !checkedHere.has(reason));
}

/**
 * True when host text between the region's mapped pieces is more than quotes, `+` and blanks: an
 * interpolation inside a SQL string literal (`'%${term}%'`), which the region drops from its text.
 */
function dropsHostExpressions(region: SqlRegion, hostText: string): boolean {
  const segments = [...region.segments].sort((a, b) => a.hostStart - b.hostStart);
  return segments.slice(1).some((segment, index) => {
    const previous = segments[index];
    const gap = hostText.slice(previous.hostStart + previous.hostLength, segment.hostStart);
    return gap.replace(/[\s'"`+]/g, '') !== '';
  });
}

/**
 * Kysely code for a region of `hostText`, or the reason it is refused. Values spliced into the
 * text (a template literal passed to `query`) become bound parameters, but only where a value
 * stands (`status = ${status}`); where a spliced piece may be SQL text (a column, a clause) the
 * region is refused.
 */
export async function convertRegionToKysely(
  region: SqlRegion,
  hostText: string,
  options: { placeholderValues?: readonly string[]; instance?: string } = {},
): Promise<BuilderConversion> {
  if (region.kind !== 'statement') return { refused: 'a SQL fragment is not a whole statement' };
  const unsafe = unsafeDynamicReasons(region);
  if (unsafe.length > 0) return { refused: `the SQL text is built at run time: ${unsafe.join('; ')}` };
  if (dropsHostExpressions(region, hostText)) {
    return { refused: 'an interpolation inside a SQL string literal is not converted' };
  }
  const parameters = regionParameterExpressions(region, hostText, options.placeholderValues);
  if (!Array.isArray(parameters)) return parameters;
  const spliced = region.certainty === 'dynamic';
  return generateKysely(region.text, {
    dialect: region.dialect,
    parameters,
    instance: options.instance ?? 'db',
    valuesOnly: spliced,
  });
}
