import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The shipped bin, as users run it (`npm run build` makes it; `npm test` builds first). */
export const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `live-schema <args>` as a process in `cwd`, the way a user or CI does. The test runner's
 * own NODE_OPTIONS (its loaders) are not passed on; `timeout` kills a run that hangs.
 */
export function runCli(cwd: string, args: string[], options: { timeout?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, timeout: options.timeout, maxBuffer: 64 * 1048576, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
