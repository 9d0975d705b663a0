/**
 * The files `live-schema check` reads, and reading them within bounds. A repository is untrusted
 * input: a 700 MB dump, a FIFO or `/dev/zero` named on the command line must not stop the run or
 * grow without end, so each is skipped with a note and the other files are still checked.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { WorkspaceFilter } from '../index/workspaceFilter';
import { describeSize } from '../engine/checkFile';
import { UsageError } from './config';

/** A note about the run itself (a file skipped): always reported, never cut by a finding cap. */
export interface RunNote {
  file: string;
  message: string;
}

/** Files over this size are skipped unless `--max-file-size-mb` says otherwise. */
export const DEFAULT_MAX_FILE_SIZE_MB = 64;

/** A file to check; `named` files were given on the command line (read as SQL unless a host language). */
export interface SourceFile {
  file: string;
  named: boolean;
}

/**
 * The `.sql`, TS/JS and Python files under each folder (without `node_modules`, VCS folders and
 * what `.gitignore` leaves out), and each named file. A missing path is a usage error.
 */
export async function listSourceFiles(paths: string[], cwd: string, root: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const p of paths) {
    const full = path.resolve(cwd, p);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`${p}: no such file or folder`);
    if (!info.isDirectory()) {
      files.push({ file: full, named: true });
      continue;
    }
    const inside = !path.relative(root, full).startsWith('..');
    const filter = new WorkspaceFilter({ root: inside ? root : full });
    for (const file of await filter.files(full)) files.push({ file, named: false });
  }
  return files;
}

/**
 * Reads a file as UTF-8 (invalid bytes become U+FFFD, which the analysis reports as "not checked"
 * where it occurs), or says why it was skipped: not a regular file, or over `maxBytes`. The size
 * is read from the open handle and the read stops past the limit, so a file that grows meanwhile
 * cannot make the run hold more than the limit either.
 */
export async function readBounded(file: string, maxBytes: number): Promise<{ text: string } | { skipped: string }> {
  // A FIFO would block `open` until a writer appears: judge the kind before opening.
  const before = await stat(file);
  if (!before.isFile()) return { skipped: `skipped: not a regular file (${kindOf(before)})` };
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { skipped: `skipped: not a regular file (${kindOf(info)})` };
    if (info.size > maxBytes) return { skipped: tooLarge(info.size, maxBytes) };
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return { skipped: tooLarge(length, maxBytes, true) };
    }
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(buffer.subarray(0, length)) };
  } finally {
    await handle.close();
  }
}

/** `grew`: the file grew past the limit while it was read, so its size is unknown. */
function tooLarge(size: number, maxBytes: number, grew = false): string {
  const shown = grew ? `more than ${describeSize(maxBytes)}` : describeSize(size);
  return `skipped: ${shown}, over the ${describeSize(maxBytes)} limit (--max-file-size-mb)`;
}

function kindOf(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'a folder';
}
