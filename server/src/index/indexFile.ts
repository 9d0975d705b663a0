/**
 * Indexing one file: the schema elements it names and its static dependencies, with host
 * offsets and line/character positions. `.sql` files are read statement by statement; in code,
 * each static or templated SQL string is read the same way and mapped back to the host text.
 */
import { extractEmbedded } from '../embedded/extract';
import type { PythonParserLocation } from '../embedded/pythonParser';
import { toHostRange } from '../embedded/region';
import type { SchemaElementRef } from '../embedded/schemaNames';
import type { EmbeddedSettings } from '../embedded/settings';
import type { StaticDependency } from '../embedded/staticReferences';
import type { SchemaSnapshot } from '../schema/snapshot';
import { elementKey, referencesInSql, type ElementRef } from '../sql/editing/references';
import { TextPositions, type TextRange } from '../text/textPositions';
import { wordDigest } from './changedNames';
import { indexedLanguageOf, type IndexedLanguage } from './workspaceFilter';

/** Where a reference stands: SQL in a `.sql` file, SQL in a string in code, or a name literal in code. */
export type ReferenceOrigin = 'sql-file' | 'embedded-sql' | 'code-literal';

/** One place in a file that names a schema element. */
export interface IndexedReference {
  /** UTF-16 offsets of the identifier (or the literal's text) in the file. */
  start: number;
  end: number;
  range: TextRange;
  element: ElementRef;
  origin: ReferenceOrigin;
}

/** A static dependency of a file with its position. */
export interface IndexedDependency extends StaticDependency {
  range: TextRange;
}

/**
 * What the index keeps per file. References are columns of typed arrays rather than an object
 * each: a 1 MB file names some 100,000 places, and an object with its range per place cost the
 * language server about 100 MB (issue 22). Ranges are computed on request from `lineStarts`.
 */
export interface FileIndex {
  language: IndexedLanguage;
  /** The elements the file names, each once; `elementIds` point into it. */
  elements: ElementRef[];
  /** Per reference, in text order: host UTF-16 offsets, element and origin (`ORIGINS` index). */
  starts: Uint32Array;
  ends: Uint32Array;
  elementIds: Uint32Array;
  origins: Uint8Array;
  /** The offset each line of the text starts at. */
  lineStarts: Uint32Array;
  dependencies: IndexedDependency[];
  /** Why the file or part of it was not read, in words for the user. */
  notes: string[];
}

const ORIGINS: readonly ReferenceOrigin[] = ['sql-file', 'embedded-sql', 'code-literal'];

/** The file's references whose element is one of `elementIds` (all when omitted), in text order. */
export function fileReferences(entry: FileIndex, elementIds?: ReadonlySet<number>): IndexedReference[] {
  const positions = new TextPositions(entry.lineStarts);
  const references: IndexedReference[] = [];
  for (let i = 0; i < entry.starts.length; i++) {
    const id = entry.elementIds[i];
    if (elementIds && !elementIds.has(id)) continue;
    const start = entry.starts[i];
    const end = entry.ends[i];
    references.push({
      start,
      end,
      range: positions.range(start, end),
      element: entry.elements[id],
      origin: ORIGINS[entry.origins[i]],
    });
  }
  return references;
}

/** What one file is resolved against. */
export interface IndexContext {
  snapshot: SchemaSnapshot;
  previousSnapshot?: SchemaSnapshot;
  embedded: EmbeddedSettings;
  python?: PythonParserLocation;
}

/** What indexing a file's text gives: its entry and the digest of its words, or why it is skipped. */
export type IndexedText = { entry: FileIndex; digest: Uint32Array } | string;

/**
 * Indexes a file's text and digests its words: the one step the workspace index runs per file, on
 * its own thread or in a worker thread alike. Never throws.
 */
export async function indexText(file: string, text: string, context: IndexContext): Promise<IndexedText> {
  try {
    return { entry: await indexFile(file, text, context), digest: wordDigest(text) };
  } catch (error) {
    return `Skipped: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Indexes a file's text. Never throws: what cannot be read becomes a note. */
export async function indexFile(file: string, text: string, context: IndexContext): Promise<FileIndex> {
  const language = indexedLanguageOf(file) ?? 'sql';
  const found: FoundReference[] = [];
  const add = (start: number, end: number, element: ElementRef, origin: ReferenceOrigin): void => {
    found.push({ start, end, element, origin });
  };
  if (language === 'sql') {
    for (const r of referencesInSql(text, context.snapshot)) add(r.start, r.end, r.element, 'sql-file');
    return compact(language, text, found, [], []);
  }
  const extraction = await extractEmbedded(file, text, {
    dialect: context.snapshot.dialect,
    snapshot: context.snapshot,
    previousSnapshot: context.previousSnapshot,
    settings: context.embedded,
    python: context.python,
  });
  for (const region of extraction.regions) {
    // Dynamic SQL is text built at run time: what it names is not certain.
    if (region.certainty === 'dynamic') continue;
    for (const r of referencesInSql(region.text, context.snapshot)) {
      const host = toHostRange(region, r.start, r.end);
      add(host.start, host.end, r.element, 'embedded-sql');
    }
  }
  for (const dependency of extraction.dependencies) {
    if (dependency.code === 'sql-template') continue; // its names are the region's references above
    add(dependency.start, dependency.end, dependencyElement(dependency.element), 'code-literal');
  }
  return compact(language, text, found, extraction.dependencies, extraction.notes);
}

type FoundReference = Omit<IndexedReference, 'range'>;

/** The file's entry: references in text order, each range and element once, as typed arrays. */
function compact(
  language: IndexedLanguage,
  text: string,
  found: FoundReference[],
  dependencies: StaticDependency[],
  notes: string[],
): FileIndex {
  const positions = new TextPositions(text);
  const elements: ElementRef[] = [];
  const idOf = new Map<string, number>();
  const seen = new Set<string>();
  const kept: { reference: FoundReference; id: number }[] = [];
  found.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const reference of found) {
    const key = elementKey(reference.element);
    const seenKey = `${reference.start}:${reference.end}:${key}`;
    if (seen.has(seenKey)) continue;
    seen.add(seenKey);
    let id = idOf.get(key);
    if (id === undefined) {
      id = elements.length;
      idOf.set(key, id);
      elements.push(reference.element);
    }
    kept.push({ reference, id });
  }
  return {
    language,
    elements,
    starts: Uint32Array.from(kept, (k) => k.reference.start),
    ends: Uint32Array.from(kept, (k) => k.reference.end),
    elementIds: Uint32Array.from(kept, (k) => k.id),
    origins: Uint8Array.from(kept, (k) => ORIGINS.indexOf(k.reference.origin)),
    lineStarts: positions.lineStarts(),
    dependencies: dependencies.map((d) => ({ ...d, range: positions.range(d.start, d.end) })),
    notes,
  };
}

function dependencyElement(element: SchemaElementRef): ElementRef {
  return element.column === undefined
    ? { kind: 'relation', schema: element.schema, table: element.table }
    : { kind: 'column', schema: element.schema, table: element.table, column: element.column };
}
