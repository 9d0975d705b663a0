import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A real VS Code for the e2e suite: code-server installed outside the project (installCodeServer.sh,
 * recipe in shared/e2e.md), run with a fresh user-data and extensions dir, nothing written to $HOME.
 */

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export interface CodeServerRun {
  url: string;
  userData: string;
  logs: string;
  stop(): void;
}

/** Installs code-server once (about 80 s) and returns its binary; later calls return at once. */
export function installCodeServer(): string {
  const script = path.join(import.meta.dirname, 'installCodeServer.sh');
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').at(-1)!;
}

/** Environment that keeps code-server and Chromium out of $HOME. */
export function isolatedEnv(run: string, prefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(run, `${prefix}-config`),
    XDG_DATA_HOME: path.join(run, `${prefix}-data`),
    XDG_CACHE_HOME: path.join(run, `${prefix}-cache`),
  };
}

/** Installs the .vsix into a fresh extensions dir of `run`. */
export function installExtension(bin: string, run: string, vsix: string): void {
  execFileSync(
    bin,
    [
      '--user-data-dir',
      path.join(run, 'user-data'),
      '--extensions-dir',
      path.join(run, 'extensions'),
      '--install-extension',
      vsix,
    ],
    { env: isolatedEnv(run, 'xdg'), stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** Starts code-server on `port` with the workspace open and resolves once /healthz answers. */
export async function startCodeServer(
  bin: string,
  run: string,
  workspace: string,
  port: number,
): Promise<CodeServerRun> {
  const userData = path.join(run, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
    }),
  );
  const child: ChildProcess = spawn(
    bin,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      path.join(run, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    {
      // Its own process group: one kill reaches the extension host and the language server too.
      detached: true,
      stdio: [
        'ignore',
        openSync(path.join(run, 'code-server.log'), 'w'),
        openSync(path.join(run, 'code-server.err'), 'w'),
      ],
      env: isolatedEnv(run, 'xdg'),
    },
  );
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      gone = true;
      reject(new Error(`code-server exited with ${code}; see ${run}/code-server.err`));
    }),
  );
  const healthy = (async () => {
    while (!gone) {
      if (
        await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await Promise.race([healthy, exited]);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, userData, logs: path.join(userData, 'logs'), stop };
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: npm run test:prerequisites installs it`);
}
