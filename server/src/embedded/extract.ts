/**
 * The one entry point of `embedded/`: a host file in, its SQL regions, static dependencies and
 * notes out. It never throws; what it cannot read becomes a note.
 */
import type { Dialect, SchemaSnapshot } from '../schema/snapshot';
import { TextPositions } from '../text/textPositions';
import { judgeScan } from './buildRegion';
import { scanJavaScript } from './hostJavaScript';
import { loadJavaScriptParser } from './parseJavaScript';
import { scanPython } from './hostPython';
import type { HostScan } from './hostScan';
import { pythonParser, type PythonParserLocation } from './pythonParser';
import type { SqlRegion } from './region';
import { nameIndexFor } from './schemaNames';
import { DEFAULT_EMBEDDED_SETTINGS, type EmbeddedSettings } from './settings';
import { findStaticDependencies, type StaticDependency } from './staticReferences';

export type HostLanguage = 'javascript' | 'typescript' | 'python';

const EXTENSIONS: Record<string, HostLanguage> = {
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.py': 'python',
  '.pyi': 'python',
};

/** The host language of a file name, or undefined for files `embedded/` does not read. */
export function hostLanguageOf(fileName: string): HostLanguage | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[fileName.slice(dot).toLowerCase()];
}

export interface ExtractOptions {
  /** The dialect of the connection that applies to the file: decides parameter markers and quoting. */
  dialect: Dialect;
  /** Static dependencies are looked up here; without a snapshot only regions are found. */
  snapshot?: SchemaSnapshot;
  /** Names that existed before the last schema change still count (and are marked gone). */
  previousSnapshot?: SchemaSnapshot;
  settings?: EmbeddedSettings;
  python?: PythonParserLocation;
}

export interface EmbeddedExtraction {
  language: HostLanguage | undefined;
  regions: SqlRegion[];
  dependencies: StaticDependency[];
  /** Why part or all of the file was not read, in words for the user. */
  notes: string[];
}

const BINARY_SNIFF_LENGTH = 8000;

/** Finds the SQL regions and static dependencies of one host file. */
export async function extractEmbedded(
  fileName: string,
  text: string,
  options: ExtractOptions,
): Promise<EmbeddedExtraction> {
  const language = hostLanguageOf(fileName);
  const empty = (note?: string): EmbeddedExtraction => ({
    language,
    regions: [],
    dependencies: [],
    notes: note ? [note] : [],
  });
  if (!language) return empty();
  const settings = options.settings ?? DEFAULT_EMBEDDED_SETTINGS;
  if (text.length > settings.maxFileBytes) {
    return empty(
      `Skipped: the file is larger than ${settings.maxFileBytes.toLocaleString('en-US')} bytes (liveSchema.embedded.maxFileBytes).`,
    );
  }
  if (text.slice(0, BINARY_SNIFF_LENGTH).includes('\0')) return empty('Skipped: the file looks binary.');
  try {
    if (language !== 'python') await loadJavaScriptParser();
    const scan: HostScan =
      language === 'python'
        ? scanPython(await pythonParser(options.python), text, settings)
        : scanJavaScript(fileName, text, settings);
    return { language, ...analyseScan(text, scan, options, settings) };
  } catch (error) {
    return empty(`Could not read SQL from this file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function analyseScan(
  text: string,
  scan: HostScan,
  options: ExtractOptions,
  settings: EmbeddedSettings,
): Omit<EmbeddedExtraction, 'language'> {
  const { regions, literals } = judgeScan(scan, options.dialect, settings);
  const dependencies = findStaticDependencies({
    literals,
    mappings: scan.mappings,
    regions,
    current: options.snapshot && nameIndexFor(options.snapshot),
    previous: options.previousSnapshot && nameIndexFor(options.previousSnapshot),
    settings,
  });
  const lines = new TextPositions(text);
  const suppressed = (offset: number): boolean =>
    scan.suppressedLines.size > 0 && scan.suppressedLines.has(lines.lineAt(offset));
  return {
    regions: regions.map((region) => ({ ...region, suppressed: suppressed(region.hostStart) })),
    dependencies: dependencies.filter((d) => !suppressed(d.start)),
    notes: scan.notes,
  };
}
