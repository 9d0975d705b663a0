/**
 * Schema search (the MCP tool, the editor's Find Schema Element): a business term or a partial name → tables, views and columns ranked
 * by fuse.js over their names, their comments and the user's synonyms (`liveSchema.search.synonyms`).
 * Plain data in, plain data out; it knows nothing of MCP.
 */
import Fuse from 'fuse.js';
import type { RelationKind, SchemaSnapshot } from './snapshot';

/** One element that matched, best first. */
export interface SchemaMatch {
  kind: RelationKind | 'column';
  schema: string;
  table: string;
  /** Set for columns. */
  column?: string;
  /** The column's type, for columns. */
  type?: string;
  comment: string | null;
  /** Why it matched: `name`, `synonym "revenue"` or `comment`. */
  reason: string;
  /** 0 (exact) … 1, as fuse.js scores. */
  score: number;
}

interface Entry {
  kind: RelationKind | 'column';
  schema: string;
  table: string;
  column?: string;
  type?: string;
  /** The element's own name. */
  name: string;
  /** Table and column names as words (`customers email`), so a phrase finds a column by its table. */
  words: string;
  comment: string;
  /** Synonym terms that stand for this element. */
  synonyms: string[];
}

const DEFAULT_LIMIT = 20;
const CLOSE_MATCH_MARGIN = 0.2;

const indexes = new WeakMap<SchemaSnapshot, { synonymsKey: string; fuse: Fuse<Entry> }>();

/** Searches one snapshot; `synonyms` maps a term to the names or words it stands for. */
export function searchSchema(
  snapshot: SchemaSnapshot,
  query: string,
  synonyms: Record<string, string[]>,
  limit = DEFAULT_LIMIT,
): SchemaMatch[] {
  const wanted = query.trim();
  if (!wanted) return [];
  const fuse = indexFor(snapshot, synonyms);
  const results = rank(fuse, wanted).slice(0, limit);
  // Only the close matches: a clearly better first one should not drag a tail of weak ones along.
  const best = results[0]?.score ?? 0;
  return results
    .filter((r) => (r.score ?? 1) <= best + CLOSE_MATCH_MARGIN)
    .map(({ item, score }) => ({
      kind: item.kind,
      schema: item.schema,
      table: item.table,
      ...(item.column !== undefined ? { column: item.column, type: item.type } : {}),
      comment: item.comment || null,
      reason: reasonOf(item, wanted),
      score: Math.round((score ?? 1) * 1000) / 1000,
    }));
}

/**
 * A phrase ("customer email") is ranked word by word, an element scoring the mean over the words
 * (1 for a word it does not match), so the element that matches every word comes first; the whole
 * phrase counts as one more word, for synonyms and comments that contain it.
 */
function rank(fuse: Fuse<Entry>, query: string): { item: Entry; score: number }[] {
  const words = query.split(/\s+/).filter(Boolean);
  if (words.length < 2) return fuse.search(query).map((r) => ({ item: r.item, score: r.score ?? 1 }));
  const parts = [query, ...words];
  const totals = new Map<Entry, number>();
  for (const part of parts)
    for (const r of fuse.search(part)) totals.set(r.item, (totals.get(r.item) ?? parts.length) - 1 + (r.score ?? 1));
  return [...totals].map(([item, total]) => ({ item, score: total / parts.length })).sort((a, b) => a.score - b.score);
}

function indexFor(snapshot: SchemaSnapshot, synonyms: Record<string, string[]>): Fuse<Entry> {
  const synonymsKey = JSON.stringify(synonyms);
  const cached = indexes.get(snapshot);
  if (cached?.synonymsKey === synonymsKey) return cached.fuse;
  const fuse = new Fuse(entries(snapshot, synonyms), {
    keys: [
      { name: 'name', weight: 0.4 },
      { name: 'synonyms', weight: 0.25 },
      { name: 'words', weight: 0.2 },
      { name: 'comment', weight: 0.15 },
    ],
    threshold: 0.4,
    ignoreLocation: true,
    // A comment is long prose: its length must not weaken an exact word in it.
    ignoreFieldNorm: true,
    includeScore: true,
  });
  indexes.set(snapshot, { synonymsKey, fuse });
  return fuse;
}

function entries(snapshot: SchemaSnapshot, synonyms: Record<string, string[]>): Entry[] {
  const terms = Object.entries(synonyms).map(([term, names]) => ({
    term,
    names: names.map((n) => n.toLowerCase()),
  }));
  const termsFor = (...qualifiedNames: string[]): string[] => {
    const lower = qualifiedNames.map((n) => n.toLowerCase());
    const own = lower[0];
    const ownWords = own.split(/[^a-z0-9]+/);
    return terms
      .filter(({ names }) => names.some((n) => lower.includes(n) || (!n.includes('.') && ownWords.includes(n))))
      .map(({ term }) => term);
  };
  const words = (...names: string[]) => names.join(' ').replace(/[_.]+/g, ' ');
  const list: Entry[] = [];
  for (const relation of snapshot.relations) {
    const { schema, name: table } = relation;
    list.push({
      kind: relation.kind,
      schema,
      table,
      name: table,
      words: words(schema, table),
      comment: relation.comment ?? '',
      synonyms: termsFor(table, `${schema}.${table}`),
    });
    for (const column of relation.columns) {
      list.push({
        kind: 'column',
        schema,
        table,
        column: column.name,
        type: column.type,
        name: column.name,
        words: words(table, column.name),
        comment: column.comment ?? '',
        synonyms: termsFor(column.name, `${table}.${column.name}`, `${schema}.${table}.${column.name}`),
      });
    }
  }
  return list;
}

/** Why an element matched, for the agent: a word of the query in its name, a synonym, or its comment. */
function reasonOf(entry: Entry, query: string): string {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);
  const has = (text: string) => words.some((w) => text.toLowerCase().includes(w));
  if (has(entry.words)) return 'name';
  const synonym = entry.synonyms.find((term) => query.toLowerCase().includes(term.toLowerCase()));
  if (synonym) return `synonym "${synonym}"`;
  if (has(entry.comment)) return 'comment';
  return 'similar name';
}
