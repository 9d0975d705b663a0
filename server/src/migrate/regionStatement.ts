/**
 * From an embedded SQL region to what a generator converts: the statement text and, for each of
 * its parameters, the host expression that fills it (an interpolation's expression, or the value
 * the call passes for a driver placeholder). Whatever would make the converted code run a
 * different statement is refused here.
 */
import type { SqlRegion } from '../embedded/region';
import type { Dialect } from '../schema/snapshot';
import { isPlainValueExpression, type CallSite } from './callSite/callSite';

export interface RegionStatement {
  sql: string;
  dialect: Dialect;
  /** Host expressions for `$1…$n` (MySQL: the `?` markers in order). */
  parameters: string[];
  /** Values were spliced into the text: the generator accepts them only where a value stands. */
  valuesOnly: boolean;
}

/** Reasons a dynamic region may still be converted: the value positions are verified by the generator. */
const CHECKED_BY_GENERATOR = new Set([
  'SQL fragments are spliced into the text',
  'the text is concatenated with non-literal values',
]);

/**
 * `typedParameters`: the call binds values by their host type (mysql2 `execute`). An interpolated
 * value becomes a bound parameter, and a number spliced as text (an exact SQL number) would arrive
 * as a DOUBLE, so such a region is refused.
 */
export function regionStatement(
  region: SqlRegion,
  hostText: string,
  values: CallSite['values'],
  typedParameters = false,
): RegionStatement | { refused: string } {
  if (region.kind !== 'statement') return { refused: 'a SQL fragment is not a whole statement' };
  if (typedParameters && region.parameters.some((parameter) => parameter.source === 'interpolation'))
    return {
      refused:
        "an interpolated value would become a bound parameter, which mysql2's execute sends as a DOUBLE when it is a number; it is not converted",
    };
  if (region.certainty === 'dynamic') {
    const reasons = (region.dynamicReason ?? 'the text is built at run time').split('; ');
    const unsafe = reasons.filter((reason) => !CHECKED_BY_GENERATOR.has(reason));
    if (unsafe.length > 0) return { refused: `the SQL text is built at run time: ${unsafe.join('; ')}` };
  }
  if (dropsHostExpressions(region, hostText))
    return { refused: 'an interpolation inside a SQL string literal is not converted' };
  const parameters = parameterExpressions(region, hostText, values);
  if (!Array.isArray(parameters)) return parameters;
  return { sql: region.text, dialect: region.dialect, parameters, valuesOnly: region.certainty === 'dynamic' };
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

function parameterExpressions(
  region: SqlRegion,
  hostText: string,
  values: CallSite['values'],
): string[] | { refused: string } {
  const expressions: string[] = [];
  const uses = new Map<string, number>();
  let positional = 0;
  let mysqlOrdinal = 0;
  for (const parameter of [...region.parameters].sort((a, b) => a.sqlStart - b.sqlStart)) {
    const sqlMarker = region.text.slice(parameter.sqlStart, parameter.sqlEnd);
    const index = region.dialect === 'mysql' ? mysqlOrdinal++ : Number(/^\$(\d+)$/.exec(sqlMarker)?.[1] ?? 0) - 1;
    if (index < 0) return { refused: `the parameter marker ${sqlMarker} is not understood` };
    const hostMarker = hostText.slice(parameter.hostStart, parameter.hostEnd);
    const expression =
      parameter.source === 'interpolation'
        ? interpolated(hostMarker)
        : placeholderValue(hostMarker, values, () => positional++);
    if (typeof expression !== 'string') return expression;
    expressions[index] = expression;
    uses.set(expression, (uses.get(expression) ?? 0) + 1);
  }
  for (const [expression, count] of uses) {
    if (count > 1 && !isPlainValueExpression(expression))
      return { refused: `the value ${expression} fills several parameters and would be evaluated more than once` };
  }
  return expressions;
}

/** `${expr}` (JavaScript) or `{expr}` (Python f-string) → `expr`; a concatenated `expr` stays as it is. */
function interpolated(hostSlice: string): string | { refused: string } {
  const match = /^\$?\{([\s\S]*)\}$/.exec(hostSlice);
  const expression = (match ? match[1] : hostSlice).trim();
  if (!expression) return { refused: 'an interpolation is empty' };
  // f-string conversions and format specs (`{x!r}`, `{x:>10}`) change the text, not just the value.
  if (match && /![rsa]$|:[^\]})]*$/.test(expression) && !/^[\w.]+$/.test(expression))
    return { refused: `the interpolation {${expression}} formats the value` };
  return expression;
}

function placeholderValue(
  marker: string,
  values: CallSite['values'],
  nextPositional: () => number,
): string | { refused: string } {
  if (!values) return { refused: `the call passes no value for ${marker}` };
  const name = /^%\((\w+)\)s$/.exec(marker)?.[1] ?? /^:(\w+)$/.exec(marker)?.[1];
  const position =
    name === undefined ? (/^\$(\d+)$/.exec(marker) ? Number(marker.slice(1)) - 1 : nextPositional()) : -1;
  if (values.kind === 'expression') {
    if (!isPlainValueExpression(values.text))
      return { refused: `the values ${values.text} are not a plain name: they would be evaluated once per parameter` };
    return name === undefined ? `${values.text}[${position}]` : `${values.text}['${name}']`;
  }
  if (name !== undefined) {
    if (values.kind !== 'named') return { refused: `${marker} is named but the call passes positional values` };
    return values.entries[name] ?? { refused: `the call passes no value named ${name}` };
  }
  if (values.kind !== 'positional') return { refused: `${marker} is positional but the call passes named values` };
  return values.elements[position] ?? { refused: `the call passes no value for ${marker}` };
}
