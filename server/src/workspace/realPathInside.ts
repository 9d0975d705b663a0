import { realpathSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * A path the repository steered outside the workspace (through `..`, an absolute path or a
 * symbolic link). The message names the path as given, never anything read from it.
 */
export class OutsideWorkspaceError extends Error {
  override name = 'OutsideWorkspaceError';

  constructor(
    target: string,
    /** Why, without the path: "lies outside the workspace (after following symbolic links)". */
    readonly reason: string,
  ) {
    super(`${target} ${reason}; refused`);
  }
}

/**
 * The real path of `target` (absolute, or relative to `root`) after every symbolic link, when it
 * lies inside the real path of `root`; throws `OutsideWorkspaceError` otherwise. A path that does
 * not exist yet is resolved through its deepest existing ancestor, so a file about to be written
 * under a symlinked folder is refused before the folder is created. Read and write the returned
 * path, not `target`: a repository may hold links anywhere, `.live-schema` included.
 */
export async function realPathInside(root: string, target: string): Promise<string> {
  // A root that does not exist yet (a rollback in an empty folder) resolves like any other path.
  const realRoot = await realPathOfDeepestAncestor(path.resolve(root), root);
  const wanted = path.resolve(root, target);
  const real = await realPathOfDeepestAncestor(wanted, target);
  if (within(realRoot, real)) return real;
  throw outside(target);
}

/** `realPathInside` for a file that exists, for synchronous callers (reading the config file). */
export function existingRealPathInsideSync(root: string, file: string): string {
  const real = realpathSync(path.resolve(root, file));
  if (within(realpathSync(root), real)) return real;
  throw outside(file);
}

function within(realRoot: string, real: string): boolean {
  const relative = path.relative(realRoot, real);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function outside(target: string): OutsideWorkspaceError {
  return new OutsideWorkspaceError(target, 'lies outside the workspace (after following symbolic links)');
}

/** `fs.realpath` of the deepest ancestor of `absolute` that exists, with the missing rest appended. */
async function realPathOfDeepestAncestor(absolute: string, shown: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A link whose target is missing would be followed by a later write: where it points is not ours to create.
    if (await isSymbolicLink(current))
      throw new OutsideWorkspaceError(shown, 'passes through a symbolic link that points nowhere');
    const parent = path.dirname(current);
    if (parent === current) return absolute;
    missing.unshift(path.basename(current));
    current = parent;
  }
}

async function isSymbolicLink(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}
