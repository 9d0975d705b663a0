/**
 * Where snapshots persist between runs, chosen once for the editor and MCP: the folder the user
 * (or the editor's storage) gives, else the user's cache folder, per project when there is one.
 * Never inside the repository: a cache there could be written by whoever writes the repository.
 */
import path from 'node:path';
import { projectCacheDirectory, userCacheDirectory } from '../schema/cacheLocation';

export interface CacheDirectoryChoice {
  /** A folder given by the front end (`initializationOptions.cacheDir`, `--cache-dir`); anything but a non-empty string is ignored. */
  given?: unknown;
  /** The project a single-folder front end serves (MCP); a given relative folder is resolved against it. */
  project?: string;
}

/** The cache folder for this run. */
export async function cacheDirectory({ given, project }: CacheDirectoryChoice): Promise<string> {
  if (typeof given === 'string' && given.length > 0) return project ? path.resolve(project, given) : given;
  return project ? projectCacheDirectory(project) : userCacheDirectory();
}
