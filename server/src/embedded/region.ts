/**
 * An embedded SQL region: the SQL text as the database would receive it, plus a source map back
 * to the host document (Volar's `Mapping` idea, reduced to what SQL strings need). Offsets are
 * UTF-16 code units on both sides, as in JavaScript strings and LSP positions.
 */
import type { Dialect } from '../schema/snapshot';

/**
 * How sure we are that the region's text is the statement that runs.
 * - `static`: the whole text is in the source; checked like a `.sql` statement.
 * - `templated`: values are interpolated; they become parameters and the rest is checked.
 * - `dynamic`: SQL fragments are spliced in or the text is built elsewhere; never checked.
 */
export type Certainty = 'static' | 'templated' | 'dynamic';

/**
 * A stretch of SQL text and the host characters it came from. Segments with equal lengths map
 * character by character; the others (escapes, parameters, CRLF) map as a whole.
 */
export interface RegionSegment {
  sqlStart: number;
  sqlLength: number;
  hostStart: number;
  hostLength: number;
}

/** A parameter marker in the SQL text (`$n` for PostgreSQL, `?` for MySQL) and what it stands for. */
export interface RegionParameter {
  sqlStart: number;
  sqlEnd: number;
  hostStart: number;
  hostEnd: number;
  /** `interpolation`: `${expr}`, `{expr}`; `placeholder`: a driver placeholder such as `?`, `%s`, `:name`. */
  source: 'interpolation' | 'placeholder';
}

/** Where the region was found: the call or tag it is passed to, or its statement shape alone. */
export interface RegionOrigin {
  kind: 'call' | 'tag' | 'shape';
  /** The callee or tag as written (`pool.query`, `sql`, `cursor.execute`), or `statement` for shape. */
  name: string;
}

export interface SqlRegion {
  text: string;
  dialect: Dialect;
  /** The host expression the SQL was built from (quotes and concatenations included). */
  hostStart: number;
  hostEnd: number;
  segments: RegionSegment[];
  parameters: RegionParameter[];
  certainty: Certainty;
  /** Why the region is dynamic, in words for an Information message. */
  dynamicReason?: string;
  /** `fragment`: a clause passed to e.g. Knex `whereRaw`; it is SQL but not a statement to check. */
  kind: 'statement' | 'fragment';
  origin: RegionOrigin;
  /** Non-constant values are spliced into the text by the host language: an injection risk. */
  injectionRisk: boolean;
  /** A `live-schema-ignore-next-line` comment stands on the line before the region. */
  suppressed: boolean;
}

function segmentAt(region: SqlRegion, sqlOffset: number): RegionSegment | undefined {
  const segments = region.segments;
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid];
    if (sqlOffset < segment.sqlStart) high = mid - 1;
    else if (sqlOffset >= segment.sqlStart + segment.sqlLength) low = mid + 1;
    else return segment;
  }
  return undefined;
}

const isLinear = (segment: RegionSegment): boolean => segment.sqlLength === segment.hostLength;

/**
 * Maps the SQL range `[start, end)` of a region to host offsets. A range that starts or ends inside
 * an escape or a parameter widens to cover it whole, so a diagnostic never splits `\n` or `${id}`.
 */
export function toHostRange(region: SqlRegion, start: number, end: number): { start: number; end: number } {
  const segments = region.segments;
  if (segments.length === 0) return { start: region.hostStart, end: region.hostStart };
  const clampedStart = Math.max(0, Math.min(start, region.text.length));
  const clampedEnd = Math.max(clampedStart, Math.min(end, region.text.length));
  const hostStart = hostOffsetAtStart(region, clampedStart);
  if (clampedEnd === clampedStart) return { start: hostStart, end: hostStart };
  const last = segmentAt(region, clampedEnd - 1);
  const hostEnd = !last
    ? hostStart
    : isLinear(last)
      ? last.hostStart + (clampedEnd - last.sqlStart)
      : last.hostStart + last.hostLength;
  return { start: hostStart, end: Math.max(hostStart, hostEnd) };
}

function hostOffsetAtStart(region: SqlRegion, sqlOffset: number): number {
  const segment = segmentAt(region, sqlOffset);
  if (segment) return isLinear(segment) ? segment.hostStart + (sqlOffset - segment.sqlStart) : segment.hostStart;
  // Past the last character (an end-of-text finding): just after the last mapped character.
  const last = region.segments[region.segments.length - 1];
  return last.hostStart + last.hostLength;
}

/**
 * Maps a host offset (a cursor in the editor) into the region's SQL text, or undefined when the
 * offset is not on SQL text (between concatenated literals, on a quote). Used by completion and hover.
 */
export function toSqlOffset(region: SqlRegion, hostOffset: number): number | undefined {
  for (const segment of region.segments) {
    const hostEnd = segment.hostStart + segment.hostLength;
    if (hostOffset < segment.hostStart || hostOffset > hostEnd) continue;
    if (isLinear(segment)) return segment.sqlStart + (hostOffset - segment.hostStart);
    return hostOffset === hostEnd ? segment.sqlStart + segment.sqlLength : segment.sqlStart;
  }
  return undefined;
}
