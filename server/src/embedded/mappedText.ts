/**
 * Text under construction where every UTF-16 unit remembers the host characters it came from.
 * Decoders append literal pieces and escapes; the region builder rewrites parameters; `segments`
 * compresses the per-unit map into the `RegionSegment`s a region carries.
 */
import type { RegionSegment } from './region';

/** A finished piece of mapped text: its units and, per unit, the host range and mapping group. */
export interface MappedText {
  text: string;
  hostStarts: number[];
  hostEnds: number[];
  /** 0: a unit of its own; otherwise units sharing the id map together (a surrogate pair, `$1` for `${id}`). */
  groups: number[];
}

export class MappedTextBuilder {
  private readonly parts: string[] = [];
  private readonly hostStarts: number[] = [];
  private readonly hostEnds: number[] = [];
  private readonly groups: number[] = [];
  private nextGroup = 1;

  get length(): number {
    return this.hostStarts.length;
  }

  /** Appends host text `[from, to)` unchanged: each unit maps to itself. */
  verbatim(host: string, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(host.slice(from, to));
    for (let i = from; i < to; i++) {
      this.hostStarts.push(i);
      this.hostEnds.push(i + 1);
      this.groups.push(0);
    }
  }

  /** Appends `text` standing for the host range `[hostStart, hostEnd)` as a whole (an escape, a parameter). */
  mapped(text: string, hostStart: number, hostEnd: number): void {
    if (text.length === 0) return;
    this.parts.push(text);
    const group = text.length > 1 ? this.nextGroup++ : 0;
    for (let i = 0; i < text.length; i++) {
      this.hostStarts.push(hostStart);
      this.hostEnds.push(hostEnd);
      this.groups.push(group);
    }
  }

  /** Appends units `[from, to)` of already mapped text, keeping their mapping. */
  copy(source: MappedText, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(source.text.slice(from, to));
    const remap = new Map<number, number>();
    for (let i = from; i < to; i++) {
      this.hostStarts.push(source.hostStarts[i]);
      this.hostEnds.push(source.hostEnds[i]);
      const group = source.groups[i];
      if (group === 0) {
        this.groups.push(0);
        continue;
      }
      let renumbered = remap.get(group);
      if (renumbered === undefined) {
        renumbered = this.nextGroup++;
        remap.set(group, renumbered);
      }
      this.groups.push(renumbered);
    }
  }

  build(): MappedText {
    return { text: this.parts.join(''), hostStarts: this.hostStarts, hostEnds: this.hostEnds, groups: this.groups };
  }
}

/** Compresses a per-unit map into segments: runs of verbatim units, and one segment per escape or group. */
export function toSegments(mapped: MappedText): RegionSegment[] {
  const segments: RegionSegment[] = [];
  let current: (RegionSegment & { group: number; linear: boolean }) | undefined;
  for (let i = 0; i < mapped.text.length; i++) {
    const hostStart = mapped.hostStarts[i];
    const hostLength = mapped.hostEnds[i] - hostStart;
    const group = mapped.groups[i];
    const linear = group === 0 && hostLength === 1;
    if (current) {
      const extendsRun = linear && current.linear && current.hostStart + current.hostLength === hostStart;
      const sameGroup = group !== 0 && group === current.group;
      if (extendsRun) {
        current.sqlLength++;
        current.hostLength++;
        continue;
      }
      if (sameGroup) {
        current.sqlLength++;
        continue;
      }
      segments.push(stripped(current));
    }
    current = { sqlStart: i, sqlLength: 1, hostStart, hostLength, group, linear };
  }
  if (current) segments.push(stripped(current));
  return segments;
}

function stripped(segment: RegionSegment): RegionSegment {
  return {
    sqlStart: segment.sqlStart,
    sqlLength: segment.sqlLength,
    hostStart: segment.hostStart,
    hostLength: segment.hostLength,
  };
}
