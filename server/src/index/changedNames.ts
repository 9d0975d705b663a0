/**
 * What a schema change can touch. A file's references and static dependencies depend on the
 * snapshot only through the names it contains: a table or column that appears, disappears or
 * moves changes the resolution of exactly the files that mention its name. So after a schema
 * change only files whose words include a changed name are indexed again; the others keep their
 * entries. Each file keeps a digest of its words (sorted 32-bit hashes, a few KB) for this test.
 */
import type { SchemaSnapshot } from '../schema/snapshot';

/**
 * Calls `found` with the FNV-1a hash of each lower-cased word (letters, digits, `_`, `$`, not
 * starting with a digit or `$`). One pass over char codes: this runs over every indexed file.
 * Hash collisions only cost an extra re-index.
 */
function forEachWordHash(text: string, found: (hash: number) => void): void {
  let hash = 0;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 32;
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
    if (letter || (inWord && ((c >= 48 && c <= 57) || c === 36))) {
      if (!inWord) {
        inWord = true;
        hash = 0x811c9dc5;
      }
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= 128) c = String.fromCharCode(c).toLowerCase().charCodeAt(0);
      hash = Math.imul(hash ^ c, 0x01000193);
    } else if (inWord) {
      inWord = false;
      found(hash >>> 0);
    }
  }
}

/** The distinct words of a text, hashed and sorted. */
export function wordDigest(text: string): Uint32Array {
  const hashes = new Set<number>();
  forEachWordHash(text, (hash) => hashes.add(hash));
  return Uint32Array.from(hashes).sort();
}

/** Whether the text a digest was made of contains every word of `name` (maybe: hashes can collide). */
export function mayContain(digest: Uint32Array, name: string): boolean {
  let all = true;
  forEachWordHash(name, (hash) => {
    let low = 0;
    let high = digest.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (digest[mid] === hash) return;
      if (digest[mid] < hash) low = mid + 1;
      else high = mid - 1;
    }
    all = false;
  });
  return all;
}

/** The `schema.table.column` keys of a snapshot: every name a reference can resolve to. */
function nameKeys(snapshot: SchemaSnapshot | undefined): Set<string> {
  const keys = new Set<string>();
  if (!snapshot) return keys;
  for (const schema of snapshot.schemas) keys.add(JSON.stringify([schema.name]));
  for (const relation of snapshot.relations) {
    keys.add(JSON.stringify([relation.schema, relation.name]));
    for (const column of relation.columns) keys.add(JSON.stringify([relation.schema, relation.name, column.name]));
  }
  return keys;
}

/** Name key → whether it resolves only through the previous snapshot (gone), as `resolveName` reads them. */
function resolvable(current: SchemaSnapshot, previous: SchemaSnapshot | undefined): Map<string, boolean> {
  const keys = new Map<string, boolean>();
  for (const key of nameKeys(previous)) keys.set(key, true);
  for (const key of nameKeys(current)) keys.set(key, false);
  return keys;
}

/**
 * The names whose meaning differs between two (current, previous) snapshot pairs, or undefined
 * when everything may differ (another dialect, search path, database or name-case rule).
 */
export function changedNames(
  before: { snapshot: SchemaSnapshot; previous?: SchemaSnapshot },
  after: { snapshot: SchemaSnapshot; previous?: SchemaSnapshot },
): Set<string> | undefined {
  const facts = (s: SchemaSnapshot) =>
    JSON.stringify([s.dialect, s.server.database, s.server.searchPath, s.server.lowerCaseTableNames, s.server.sqlMode]);
  if (facts(before.snapshot) !== facts(after.snapshot)) return undefined;
  const old = resolvable(before.snapshot, before.previous);
  const now = resolvable(after.snapshot, after.previous);
  const names = new Set<string>();
  for (const [keys, other] of [
    [old, now],
    [now, old],
  ])
    for (const [key, gone] of keys) {
      if (other.get(key) === gone) continue;
      const parts = JSON.parse(key) as string[];
      names.add(parts[parts.length - 1]);
    }
  return names;
}
