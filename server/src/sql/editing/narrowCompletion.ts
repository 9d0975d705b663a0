import { compareText } from '../../schema/snapshot';
import type { CompletionCandidate } from './completion';

/**
 * Keeps a long completion list small enough to answer on every keystroke: only candidates whose
 * filter text holds the typed characters in order (as the editor's fuzzy filter needs), those it
 * starts with first, then those containing it, at most `limit` of them. The caller marks such a
 * list incomplete, so the editor asks again as the user types and every candidate stays reachable
 * by typing its name. A list within the limit is returned whole for the editor to filter.
 */
export function narrowCandidates(
  candidates: CompletionCandidate[],
  typed: string,
  limit: number,
): { candidates: CompletionCandidate[]; narrowed: boolean } {
  if (candidates.length <= limit) return { candidates, narrowed: false };
  const needle = typed.toLowerCase();
  const tiers: CompletionCandidate[][] = [[], [], []];
  for (const candidate of candidates) {
    const text = filterText(candidate).toLowerCase();
    const at = text.indexOf(needle);
    if (at === 0) tiers[0].push(candidate);
    else if (at > 0) tiers[1].push(candidate);
    else if (holdsInOrder(text, needle)) tiers[2].push(candidate);
  }
  const kept: CompletionCandidate[] = [];
  for (const tier of tiers) {
    if (kept.length >= limit) break;
    for (const candidate of tier.sort(bySortText)) {
      if (kept.length >= limit) break;
      kept.push(candidate);
    }
  }
  return { candidates: kept, narrowed: true };
}

/** What the editor matches typed text against: the inserted text when it differs (a quoted name), else the label. */
export function filterText(candidate: CompletionCandidate): string {
  return candidate.insertText !== candidate.label ? candidate.insertText : candidate.label;
}

const bySortText = (a: CompletionCandidate, b: CompletionCandidate) => compareText(a.sortText, b.sortText);

/** Whether every character of `needle` occurs in `text`, in order. */
function holdsInOrder(text: string, needle: string): boolean {
  let at = 0;
  for (const character of needle) {
    at = text.indexOf(character, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
