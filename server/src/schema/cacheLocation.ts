import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The user's cache folder for Live Schema: `$XDG_CACHE_HOME/live-schema`, else `~/.cache/live-schema`. */
export function userCacheDirectory(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG spec ignores a relative value: it would put the cache wherever the process happens to run.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'live-schema');
}

/**
 * A project's snapshot cache outside the project, keyed by its real path: a cache inside the
 * repository could be written by whoever writes the repository, and would be served as fresh.
 */
export async function projectCacheDirectory(root: string): Promise<string> {
  const key = createHash('sha256')
    .update(await realpath(root))
    .digest('hex')
    .slice(0, 16);
  return path.join(userCacheDirectory(), 'projects', key);
}
