import { readFile, stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { OutsideWorkspaceError, realPathInside } from '../../workspace/realPathInside';
import type { DiscoveryWarning } from '../driver';
import { upScript } from './upScript';

/** A schema file read and checked, ready to apply. */
export interface SchemaFile {
  /** Path relative to the project root, with forward slashes, as shown to the user. */
  path: string;
  /** What a migration tool would run to migrate up (`upScript`), on the file's own lines. */
  text: string;
}

export interface SchemaFileSet {
  files: SchemaFile[];
  /** Files found but not applied (binary, not UTF-8, too large), each with the reason. */
  skipped: DiscoveryWarning[];
}

/** Larger files are not DDL a person wrote; applying them would stall the embedded database. */
export const MAX_SCHEMA_FILE_BYTES = 20 * 1024 * 1024;

/** Down, undo and rollback scripts undo what the up scripts did: never apply them. */
const REVERSE_MIGRATION = /(^|[._\-/])(down|undo|rollback|revert)([._\-/]|$)|(^|\/)U\d[^/]*__[^/]*$/i;

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Finds the project's DDL files in the order migration tools apply them: the globs in the order
 * given (so `schema.sql` comes before `migrations/**`), and within one glob by path with numbers
 * compared as numbers (`V2__` before `V10__`, `2024…_a` before `2025…_b`). A file matched by
 * several globs is applied once, at its first match.
 */
export async function findSchemaFiles(root: string, globs: readonly string[]): Promise<SchemaFileSet> {
  const seen = new Set<string>();
  const ordered: string[] = [];
  for (const pattern of globs) {
    const matches = await glob(pattern, {
      cwd: root,
      onlyFiles: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
      expandDirectories: false,
    });
    matches.sort((a, b) => naturalOrder.compare(a, b));
    for (const match of matches) {
      if (seen.has(match) || REVERSE_MIGRATION.test(match.replace(/\.sql$/i, ''))) continue;
      seen.add(match);
      ordered.push(match);
    }
  }
  const files: SchemaFile[] = [];
  const skipped: DiscoveryWarning[] = [];
  for (const relative of ordered) {
    let absolute: string;
    try {
      absolute = await realPathInside(root, relative);
    } catch (error) {
      if (!(error instanceof OutsideWorkspaceError)) throw error;
      // A glob with `..` or a symlink may reach any file: it is never read, so nothing of it is quoted.
      skipped.push({ file: relative, message: `${relative}: skipped, it ${error.reason}` });
      continue;
    }
    const size = (await stat(absolute)).size;
    if (size > MAX_SCHEMA_FILE_BYTES) {
      skipped.push({
        file: relative,
        message: `${relative}: skipped, ${(size / 1048576).toFixed(1)} MB is larger than the ${MAX_SCHEMA_FILE_BYTES / 1048576} MB limit for schema files`,
      });
      continue;
    }
    const text = decodeText(await readFile(absolute));
    if (text === undefined) {
      skipped.push({ file: relative, message: `${relative}: skipped, not a UTF-8 text file` });
      continue;
    }
    files.push({ path: relative, text: upScript(text) });
  }
  return { files, skipped };
}

/** UTF-8 text without a byte-order mark, or undefined for binary data (NUL bytes, invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** 1-based line and column of a 0-based character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
