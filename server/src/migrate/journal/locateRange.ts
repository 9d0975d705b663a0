import type { JournalEdit } from './entry';

/** Where a journaled range is in the file's current text, or why it cannot be trusted. */
export type Located =
  | { found: true; start: number; end: number }
  | { found: false; reason: 'changed' | 'ambiguous'; start: number; end: number; actual: string };

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
  const { contextBefore: before, newText, contextAfter: after } = edit;
  const patterns: [string, number][] = [
    [before + newText + after, before.length],
    [before + newText, before.length],
    [newText + after, 0],
    [newText, 0],
  ];
  for (const [pattern, lead] of patterns) {
    if (pattern === '') continue;
    const hits = firstTwo(text, pattern);
    if (hits.length === 1) {
      const start = hits[0] + lead;
      return { found: true, start, end: start + newText.length };
    }
    if (hits.length > 1) return { found: false, reason: 'ambiguous', ...guess(text, edit) };
  }
  return { found: false, reason: 'changed', ...guess(text, edit) };
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
