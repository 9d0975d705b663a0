/**
 * Where a statement's raw findings become the findings a user sees: suppression comments, ignored
 * names and severity overrides, then a cap on how many one text keeps. Past the cap findings are
 * only counted, so a 50 MB file full of mistakes costs the memory of its first findings, and one
 * Information finding says how many more there are.
 */
import { finding, type Finding, type FindingCode, type Severity } from './findings';
import type { SpanBounds, Suppressor } from './suppression';

/** `data.reason` of the notes about the run itself: the cap never cuts them. */
export const RUN_NOTE_REASON = { timeBudget: 'time-budget' } as const;

function isRunNote(f: Finding): boolean {
  return f.data?.reason === RUN_NOTE_REASON.timeBudget;
}

/** Findings kept per analysed text unless `maxFindings` says otherwise. */
export const DEFAULT_MAX_FINDINGS = 10_000;

/** What the cap left out. */
export interface OmittedFindings {
  /** Findings counted but not kept. */
  findings: number;
  /** How many of those were errors (a CI run must still fail on them). */
  errors: number;
}

export interface FindingSinkOptions {
  severities?: Partial<Record<FindingCode, Severity | 'off'>>;
  ignoredNames?: string[];
  maxFindings: number;
}

export class FindingSink {
  /** Every finding kept, in text order. */
  readonly kept: Finding[] = [];
  private readonly ignored: ReadonlySet<string>;
  private omitted: OmittedFindings | undefined;
  /** The range of the first finding left out: where the note goes. */
  private firstOmitted = { start: 0, end: 1 };

  constructor(
    private readonly suppressor: Suppressor,
    private readonly options: FindingSinkOptions,
  ) {
    this.ignored = ignoredNameSet(options.ignoredNames);
  }

  /**
   * Filters one statement's findings (statements in text order; `next` as for
   * `Suppressor.filter`) and keeps them while the cap allows. Returns the statement's kept
   * findings and how many of its findings the cap left out.
   */
  accept(
    findings: Finding[],
    statement: SpanBounds,
    next: SpanBounds | undefined,
  ): { findings: Finding[]; omitted: number } {
    let shown = this.suppressor.filter(findings, statement, next);
    if (shown.length === 0) return { findings: shown, omitted: 0 };
    shown = applyUserSettings(shown, this.ignored, this.options.severities);
    // A note that part of the text went unanalysed must reach the user however many findings came before.
    const notes = shown.filter(isRunNote);
    if (notes.length > 0) {
      for (const f of notes) this.kept.push(f);
      shown = shown.filter((f) => !isRunNote(f));
    }
    const room = Math.max(0, this.options.maxFindings - this.kept.length);
    if (shown.length <= room) {
      for (const f of shown) this.kept.push(f);
      return { findings: [...notes, ...shown], omitted: 0 };
    }
    const keep = shown.slice(0, room);
    for (const f of keep) this.kept.push(f);
    const left = shown.slice(room);
    keep.unshift(...notes);
    if (!this.omitted) {
      this.omitted = { findings: 0, errors: 0 };
      this.firstOmitted = { start: left[0].start, end: left[0].end };
    }
    this.omitted.findings += left.length;
    for (const f of left) if (f.severity === 'error') this.omitted.errors++;
    return { findings: keep, omitted: left.length };
  }

  /** What the cap left out, if anything. */
  get omittedFindings(): OmittedFindings | undefined {
    return this.omitted;
  }

  /** The Information finding that says how many findings are not shown, if any were left out. */
  omissionNote(): Finding | undefined {
    const omitted = this.omitted;
    const severity = this.options.severities?.['not-checked'];
    if (!omitted || severity === 'off') return undefined;
    const errors = omitted.errors > 0 ? `, ${omitted.errors.toLocaleString('en')} of them errors` : '';
    const note = finding(
      'not-checked',
      this.firstOmitted.start,
      this.firstOmitted.end,
      `${omitted.findings.toLocaleString('en')} more findings from here on are not shown${errors}: only the first ${this.options.maxFindings.toLocaleString('en')} of a file are kept.`,
      [],
      { reason: 'too-many-findings', omitted: omitted.findings, omittedErrors: omitted.errors },
    );
    return severity ? { ...note, severity } : note;
  }
}

/** What the user's settings make of findings: names they ignore dropped, severities overridden (or `off`). */
export function applyUserSettings(
  findings: Finding[],
  ignored: ReadonlySet<string>,
  severities: FindingSinkOptions['severities'],
): Finding[] {
  let shown = ignored.size > 0 ? findings.filter((f) => !isIgnored(f, ignored)) : findings;
  if (severities)
    shown = shown.flatMap((f) => {
      const severity = severities[f.code];
      if (severity === 'off') return [];
      return severity ? [{ ...f, severity }] : [f];
    });
  return shown;
}

/** The lowercased set `ignoredNames` settings are matched against. */
export function ignoredNameSet(ignoredNames: readonly string[] | undefined): Set<string> {
  return new Set((ignoredNames ?? []).map((n) => n.toLowerCase()));
}

function isIgnored(f: Finding, ignored: ReadonlySet<string>): boolean {
  const names = f.data?.names;
  return Array.isArray(names) && names.some((n) => typeof n === 'string' && ignored.has(n.toLowerCase()));
}
