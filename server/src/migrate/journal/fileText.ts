import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutsideWorkspaceError, realPathInside } from '../../workspace/realPathInside';
import { JournalError } from './entry';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The real path of a file the journal names (relative to `root`), to read and write
 * instead of the name: a journal entry, like a symlinked folder, may come from the repository and
 * must not steer a rollback outside the project.
 */
export async function projectFile(root: string, file: string): Promise<string> {
  try {
    return await realPathInside(root, path.join(...file.split('/')));
  } catch (error) {
    if (error instanceof OutsideWorkspaceError) throw new JournalError(error.message, { cause: error });
    throw error;
  }
}

/**
 * A source file's text, or undefined when it does not exist. Only valid UTF-8 is accepted (with
 * any BOM kept), so that writing the text back reproduces the other bytes exactly.
 */
export async function readSourceText(file: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new JournalError(`${file} is not UTF-8 text; migrations and rollbacks only edit UTF-8 files`);
  }
}

/** Replaces a source file atomically (temporary file + rename), keeping its permissions. */
export async function writeSourceText(file: string, text: string): Promise<void> {
  const { mode } = await stat(file);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
