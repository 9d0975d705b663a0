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

/** What the index keeps per file. */
export interface FileIndex {
  language: IndexedLanguage;
  references: IndexedReference[];
  dependencies: IndexedDependency[];
  /** Why the file or part of it was not read, in words for the user. */
  notes: string[];
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
  let positions: TextPositions | undefined;
  const rangeOf = (start: number, end: number): TextRange => (positions ??= new TextPositions(text)).range(start, end);
  const references: IndexedReference[] = [];
  const add = (start: number, end: number, element: ElementRef, origin: ReferenceOrigin): void => {
    references.push({ start, end, range: rangeOf(start, end), element, origin });
  };
  if (language === 'sql') {
    for (const r of referencesInSql(text, context.snapshot)) add(r.start, r.end, r.element, 'sql-file');
    return { language, references, dependencies: [], notes: [] };
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
  return {
    language,
    references: distinct(references),
    dependencies: extraction.dependencies.map((d) => ({ ...d, range: rangeOf(d.start, d.end) })),
    notes: extraction.notes,
  };
}

function dependencyElement(element: SchemaElementRef): ElementRef {
  return element.column === undefined
    ? { kind: 'relation', schema: element.schema, table: element.table }
    : { kind: 'column', schema: element.schema, table: element.table, column: element.column };
}

/** In text order, each range and element once. */
function distinct(references: IndexedReference[]): IndexedReference[] {
  const seen = new Set<string>();
  return references
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .filter((r) => {
      const key = `${r.start}:${r.end}:${elementKey(r.element)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
