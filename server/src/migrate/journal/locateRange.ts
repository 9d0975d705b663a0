import type { JournalEdit } from './entry';

/** Characters of context an entry keeps on each side of a new text, to find it again after other edits. */
export const CONTEXT_LENGTH = 40;

/** Where a journaled range is in the file's current text, or why it cannot be trusted. */
export type Located =
  | { found: true; start: number; end: number }
  | {
      found: false;
      reason: 'changed' | 'ambiguous';
      start: number;
      end: number;
      actual: string;
      /** What the journal expects there, when more than the new text (the whole lines) is compared. */
      expected?: string;
    };

/** Up to two start offsets of `pattern` in `text` (two already means "ambiguous"). */
function firstTwo(text: string, pattern: string): number[] {
  const hits: number[] = [];
  for (let at = text.indexOf(pattern); at !== -1 && hits.length < 2; at = text.indexOf(pattern, at + 1)) hits.push(at);
  return hits;
}

/**
 * Finds the text an entry wrote, by content rather than by its recorded offset (the user may have
 * edited elsewhere in the file since). The widest pattern that occurs decides: the new text with
 * its recorded context on both sides, then on one side, then alone. One occurrence is the range;
 * several are ambiguous, and none means the range itself was edited: both are conflicts.
 */
export function locateRange(text: string, edit: JournalEdit): Located {
  const hit = findUnique(text, edit, edit.newText);
  if (hit === 'ambiguous') return { found: false, reason: 'ambiguous', ...guess(text, edit) };
  if (hit && linesIntact(text, hit, edit)) return { found: true, ...hit };
  if (hit) {
    // Show the whole lines, as recorded and as now, so the user sees what was typed beside the range.
    const lineStart = text.lastIndexOf('\n', hit.start - 1) + 1;
    const lineBreak = edit.newText.endsWith('\n') ? hit.end : text.indexOf('\n', hit.end);
    const lineEnd = lineBreak === -1 ? text.length : lineBreak;
    const { contextBefore, contextAfter } = edit;
    const recordedAfter = edit.newText.endsWith('\n') ? '' : contextAfter.split('\n')[0].replace(/\r$/, '');
    const expected = contextBefore.slice(contextBefore.lastIndexOf('\n') + 1) + edit.newText + recordedAfter;
    return {
      found: false,
      reason: 'changed',
      start: lineStart,
      end: lineEnd,
      actual: text.slice(lineStart, lineEnd).replace(/\r$/, ''),
      expected,
    };
  }
  return { found: false, reason: 'changed', ...guess(text, edit) };
}

/**
 * Whether the rest of the range's first and last lines is as recorded. A user who typed on a
 * line the migration rewrote (even just before or after the range) edited migrated code, and
 * rolling back around their characters could leave a line neither of them wrote: a conflict.
 */
function linesIntact(text: string, { start, end }: { start: number; end: number }, edit: JournalEdit): boolean {
  return firstLineIntact(text, start, edit) && lastLineIntact(text, end, edit);
}

function firstLineIntact(text: string, start: number, { contextBefore, newStart }: JournalEdit): boolean {
  const lineBefore = contextBefore.slice(contextBefore.lastIndexOf('\n') + 1);
  const lineStart = start - lineBefore.length;
  if (text.slice(lineStart, start) !== lineBefore) return false;
  // Where the recorded context reaches the line's start, the line must still start there.
  const startRecorded = contextBefore.includes('\n') || newStart === contextBefore.length;
  return !startRecorded || lineStart === 0 || text[lineStart - 1] === '\n';
}

function lastLineIntact(text: string, end: number, { contextAfter, newText, originalText }: JournalEdit): boolean {
  // The range ends its last line (whole lines written, or whole lines removed): the next one is not migrated.
  if (newText.endsWith('\n') || (newText === '' && originalText.endsWith('\n'))) return true;
  const lineBreak = contextAfter.indexOf('\n');
  const lineAfter = lineBreak === -1 ? contextAfter : contextAfter.slice(0, lineBreak);
  const lineEnd = end + lineAfter.length;
  if (text.slice(end, lineEnd) !== lineAfter) return false;
  // Where the recorded context reaches the line's end (or the file's), the line must still end there.
  const endRecorded = lineBreak !== -1 || contextAfter.length < CONTEXT_LENGTH;
  return !endRecorded || lineEnd === text.length || text[lineEnd] === '\n';
}

/**
 * Finds the text an entry replaced, still (or again) in place where the new text is gone: the
 * edit never landed (a crash between journal and edit) or the user undid it by hand.
 */
export function locateOriginal(text: string, edit: JournalEdit): { start: number; end: number } | undefined {
  const hit = findUnique(text, edit, edit.originalText);
  return hit === 'ambiguous' ? undefined : hit;
}

function findUnique(
  text: string,
  edit: JournalEdit,
  middle: string,
): { start: number; end: number } | 'ambiguous' | undefined {
  const { contextBefore: before, contextAfter: after } = edit;
  const patterns: [string, number][] = [
    [before + middle + after, before.length],
    [before + middle, before.length],
    [middle + after, 0],
    [middle, 0],
  ];
  for (const [pattern, lead] of patterns) {
    if (pattern === '') continue;
    const hits = firstTwo(text, pattern);
    if (hits.length === 1) return { start: hits[0] + lead, end: hits[0] + lead + middle.length };
    if (hits.length > 1) return 'ambiguous';
  }
  return undefined;
}

/**
 * The text that now stands where the range was, for the conflict report: between the recorded
 * contexts when both still occur once in order, else at the recorded offset.
 */
function guess(text: string, edit: JournalEdit): { start: number; end: number; actual: string } {
  const { contextBefore, contextAfter, newStart, newText } = edit;
  const befores = contextBefore ? firstTwo(text, contextBefore) : [];
  const afters = contextAfter ? firstTwo(text, contextAfter) : [];
  if (befores.length === 1 && afters.length === 1) {
    const start = befores[0] + contextBefore.length;
    const end = afters[0];
    if (start <= end) return { start, end, actual: text.slice(start, end) };
  }
  const start = Math.min(newStart, text.length);
  const end = Math.min(start + newText.length, text.length);
  return { start, end, actual: text.slice(start, end) };
}
