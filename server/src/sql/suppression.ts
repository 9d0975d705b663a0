/**
 * Suppression comments: `-- live-schema-ignore` anywhere in a statement (or in the comments just
 * before it) silences that statement; `-- live-schema-ignore-next-line` silences the next line.
 * Either may name codes (`-- live-schema-ignore unknown-column, ambiguous-column`) to silence only those.
 * `#` (MySQL) and block comments work too, as does `//` in host languages that embed SQL.
 */
import type { Finding } from './findings';

const MARKER = 'live-schema-ignore';
const DIRECTIVE =
  /(?:--|#|\/\/|\/\*)[ \t]*live-schema-ignore(-next-line)?\b([ \t]+[a-z][a-z-]*(?:[ \t]*,[ \t]*[a-z][a-z-]*)*)?/gy;

interface Directive {
  /** Offset of the comment. */
  at: number;
  nextLine: boolean;
  /** Codes to silence; empty = all. */
  codes: string[];
}

/** Finds every suppression directive in `text` (cheap when there is none). */
export function findDirectives(text: string): Directive[] {
  const found: Directive[] = [];
  for (let i = text.indexOf(MARKER); i >= 0; i = text.indexOf(MARKER, i + MARKER.length)) {
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const prefix = text.slice(lineStart, i);
    const open = Math.max(
      prefix.lastIndexOf('--'),
      prefix.lastIndexOf('#'),
      prefix.lastIndexOf('//'),
      prefix.lastIndexOf('/*'),
    );
    if (open < 0) continue;
    DIRECTIVE.lastIndex = lineStart + open;
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const codes = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    found.push({ at: lineStart + open, nextLine: m[1] !== undefined, codes });
  }
  return found;
}

/** An offset range in which findings of the listed codes (all when empty) are silenced. */
export interface Silenced {
  from: number;
  to: number;
  codes: string[];
}

/** The parts of a statement span the ownership of a directive depends on. */
export interface SpanBounds {
  leadingStart: number;
  start: number;
  end: number;
}

/**
 * Applies the directives of one text to its statements as they stream past, in order, so the
 * statement list never has to exist as a whole. A statement directive belongs to the statement
 * whose leading comments or body hold it, except that `select …; -- live-schema-ignore` on a
 * statement's own last line belongs to that statement, not the next one.
 */
export class Suppressor {
  private readonly lines: Silenced[] = [];
  private readonly statementDirectives: Directive[] = [];
  private nextDirective = 0;
  private nextLine = 0;

  constructor(
    private readonly text: string,
    directives: Directive[],
  ) {
    for (const d of directives) {
      if (!d.nextLine) this.statementDirectives.push(d);
      else {
        const eol = text.indexOf('\n', d.at);
        if (eol < 0) continue;
        const next = text.indexOf('\n', eol + 1);
        this.lines.push({ from: eol + 1, to: next < 0 ? text.length : next, codes: d.codes });
      }
    }
  }

  /**
   * The findings of `statement` that no directive silences. Call once per statement, in text
   * order; `next` is the statement after it (undefined for the last), whose leading comments may
   * hold a directive that belongs to this one.
   */
  filter(findings: Finding[], statement: SpanBounds, next: SpanBounds | undefined): Finding[] {
    const silenced = this.silencedFor(statement, next);
    this.lastSilenced = silenced;
    if (silenced.length === 0 || findings.length === 0) return findings;
    return findings.filter((f) => !isSilenced(f, silenced));
  }

  /** What silenced the statement `filter` saw last: the live check applies it to the database's findings. */
  lastSilenced: Silenced[] = [];

  private silencedFor(statement: SpanBounds, next: SpanBounds | undefined): Silenced[] {
    const found: Silenced[] = [];
    const directives = this.statementDirectives;
    const body = { from: statement.leadingStart, to: statement.end };
    const own = (d: Directive): void => {
      found.push({ ...body, codes: d.codes });
    };
    // Directives before this statement's region belong to none (text before a MySQL DELIMITER line).
    while (this.nextDirective < directives.length && directives[this.nextDirective].at < statement.leadingStart)
      this.nextDirective++;
    const regionEnd = next ? next.leadingStart : Infinity;
    while (this.nextDirective < directives.length && directives[this.nextDirective].at < regionEnd)
      own(directives[this.nextDirective++]);
    // The next statement's leading comments, up to the first line break after this statement.
    if (next) {
      const lineEnd = this.text.indexOf('\n', statement.end);
      const sameLineEnd = Math.min(next.start, lineEnd < 0 ? Infinity : lineEnd);
      while (this.nextDirective < directives.length && directives[this.nextDirective].at < sameLineEnd)
        own(directives[this.nextDirective++]);
    }
    const lines = this.lines;
    while (this.nextLine < lines.length && lines[this.nextLine].to < statement.leadingStart) this.nextLine++;
    for (let i = this.nextLine; i < lines.length && lines[i].from <= statement.end; i++) found.push(lines[i]);
    return found;
  }
}

/** Whether a directive range silences `f`. */
export function isSilenced(f: Pick<Finding, 'start' | 'code'>, silenced: readonly Silenced[]): boolean {
  return silenced.some(
    (s) => f.start >= s.from && f.start <= s.to && (s.codes.length === 0 || s.codes.includes(f.code)),
  );
}
