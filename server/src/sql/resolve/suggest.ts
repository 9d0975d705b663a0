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

/** A candidate list and, when it lives on (a relation's column set), the object to cache its index on. */
export interface CandidateGroup {
  candidates: readonly Candidate[] | (() => readonly Candidate[]);
  cacheKey?: object;
}

interface CachedIndex {
  fuse: Fuse<Candidate>;
  /** Searches already made: a document is re-checked on every edit, with the same typos in it. */
  answers: Map<string, FuseHit[]>;
}

interface FuseHit {
  name: string;
  score: number;
}

/** Remembered searches per index; past this the memory is dropped and refilled. */
const MAX_REMEMBERED = 512;

const indexes = new WeakMap<object, CachedIndex>();

/**
 * Up to three candidate names ranked best first; empty when nothing is close. `cacheKey`, an object
 * that lives as long as the candidate list (a relation's column set), lets the index be reused.
 */
export function suggest(wanted: string, candidates: readonly Candidate[], cacheKey?: object): string[] {
  return suggestAcross(wanted, [{ candidates, cacheKey }]);
}

/**
 * `suggest` over several candidate lists at once, ranked as if they were one list (first
 * occurrence of a name wins), while each list with a `cacheKey` keeps its own index and answers:
 * a query over two joined tables reuses both tables' indexes instead of building a new one.
 */
export function suggestAcross(wanted: string, groups: readonly CandidateGroup[]): string[] {
  const hits: FuseHit[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    const groupHits = search(wanted, group);
    if (groups.length === 1) {
      hits.push(...groupHits);
      break;
    }
    // A name an earlier list holds ranks as that list's entry, as in one combined list.
    for (const hit of groupHits) if (!seen.has(hit.name)) hits.push(hit);
    for (const c of listOf(group)) seen.add(c.name);
  }
  // Stable: equal scores keep list order, as fuse.js orders one list.
  if (groups.length > 1) hits.sort((a, b) => a.score - b.score);
  // Only the close matches: a clearly better first candidate should not drag weak ones along.
  const best = hits[0]?.score ?? 0;
  return hits
    .filter((h) => h.score <= best + 0.12)
    .slice(0, MAX_SUGGESTIONS)
    .map((h) => h.name)
    .filter((name) => name !== wanted);
}

function search(wanted: string, group: CandidateGroup): FuseHit[] {
  const cached = group.cacheKey ? indexes.get(group.cacheKey) : undefined;
  const remembered = cached?.answers.get(wanted);
  if (remembered) return remembered;
  const candidates = listOf(group);
  if (candidates.length === 0) return [];
  const index = cached ?? { fuse: buildIndex(candidates), answers: new Map<string, FuseHit[]>() };
  if (group.cacheKey && !cached) indexes.set(group.cacheKey, index);
  const found = index.fuse.search(wanted).map((r) => ({ name: r.item.name, score: r.score ?? 1 }));
  if (group.cacheKey) {
    if (index.answers.size >= MAX_REMEMBERED) index.answers.clear();
    index.answers.set(wanted, found);
  }
  return found;
}

function listOf(group: CandidateGroup): readonly Candidate[] {
  return typeof group.candidates === 'function' ? group.candidates() : group.candidates;
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
