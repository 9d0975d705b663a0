import { fileURLToPath } from 'node:url';
import { extractEmbedded, hostLanguageOf, type EmbeddedExtraction } from '../embedded/extract';
import type { EmbeddedSettings } from '../embedded/settings';
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';

/** The file name `embedded/` judges a document by (its extension decides the host language). */
export function documentFileName(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Whether a document is TypeScript, JavaScript or Python that may hold SQL. */
export function isHostDocument(uri: string): boolean {
  return hostLanguageOf(documentFileName(uri)) !== undefined;
}

interface Entry {
  version: number;
  snapshot: SchemaSnapshot | undefined;
  settings: EmbeddedSettings;
  extraction: Promise<EmbeddedExtraction>;
}

/**
 * The SQL regions of open host documents, extracted once per document version (and schema), so
 * diagnostics, completion and hover on the same version share one parse.
 */
export class EmbeddedDocuments {
  private readonly entries = new Map<string, Entry>();

  extraction(
    uri: string,
    version: number,
    text: string,
    options: { dialect: Dialect; snapshot: SchemaSnapshot | undefined; settings: EmbeddedSettings },
  ): Promise<EmbeddedExtraction> {
    const entry = this.entries.get(uri);
    if (
      entry &&
      entry.version === version &&
      entry.snapshot === options.snapshot &&
      entry.settings === options.settings
    ) {
      return entry.extraction;
    }
    const extraction = extractEmbedded(documentFileName(uri), text, options);
    this.entries.set(uri, { version, snapshot: options.snapshot, settings: options.settings, extraction });
    return extraction;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }
}
