/**
 * "Did you mean": candidates ranked by fuzzy similarity (fuse.js) of their names, with their
 * comments as a weaker signal, so `totl` finds `total_cents` and a business word can find a column
 * whose comment uses it.
 */
import Fuse from 'fuse.js';

export interface Candidate {
  name: string;
  comment?: string | null;
}

const MAX_SUGGESTIONS = 3;

const indexes = new WeakMap<object, Fuse<Candidate>>();

/**
 * Up to three candidate names ranked best first; empty when nothing is close. `cacheKey`, an object
 * that lives as long as the candidate list (a relation's column set), lets the index be reused.
 */
export function suggest(wanted: string, candidates: readonly Candidate[], cacheKey?: object): string[] {
  if (candidates.length === 0) return [];
  let fuse = cacheKey ? indexes.get(cacheKey) : undefined;
  if (!fuse) {
    fuse = buildIndex(candidates);
    if (cacheKey) indexes.set(cacheKey, fuse);
  }
  const results = fuse.search(wanted);
  // Only the close matches: a clearly better first candidate should not drag weak ones along.
  const best = results[0]?.score ?? 0;
  return results
    .filter((r) => (r.score ?? 1) <= best + 0.12)
    .slice(0, MAX_SUGGESTIONS)
    .map((r) => r.item.name)
    .filter((name) => name !== wanted);
}

/** ` Did you mean "a" or "b"?` or an empty string. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}

function buildIndex(candidates: readonly Candidate[]): Fuse<Candidate> {
  const unique = new Map<string, Candidate>();
  for (const c of candidates) if (!unique.has(c.name)) unique.set(c.name, c);
  return new Fuse([...unique.values()], {
    keys: [
      { name: 'name', weight: 0.85 },
      { name: 'comment', weight: 0.15 },
    ],
    threshold: 0.45,
    ignoreLocation: true,
    includeScore: true,
  });
}
