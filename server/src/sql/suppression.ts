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

/** Drops findings silenced by a directive; `statements` are `[leadingStart, end]` ranges. */
export function applySuppressions(
  text: string,
  directives: Directive[],
  findings: Finding[],
  statementOf: (offset: number) => { leadingStart: number; end: number } | undefined,
): Finding[] {
  if (directives.length === 0) return findings;
  const silenced: { from: number; to: number; codes: string[] }[] = [];
  for (const d of directives) {
    if (d.nextLine) {
      const eol = text.indexOf('\n', d.at);
      if (eol < 0) continue;
      const next = text.indexOf('\n', eol + 1);
      silenced.push({ from: eol + 1, to: next < 0 ? text.length : next, codes: d.codes });
    } else {
      const statement = statementOf(d.at);
      if (statement) silenced.push({ from: statement.leadingStart, to: statement.end, codes: d.codes });
    }
  }
  return findings.filter(
    (f) =>
      !silenced.some((s) => f.start >= s.from && f.start <= s.to && (s.codes.length === 0 || s.codes.includes(f.code))),
  );
}
