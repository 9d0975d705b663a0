import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionSettings } from '../config/connectionSettings';
import { parseSettings, type LiveSchemaSettings } from '../config/settings';
import { trustFromEnvironment } from '../config/trust';
import { describeSettingsErrors } from '../engine/settingsErrors';
import { describeJsonSyntaxError } from '../text/jsonSyntaxError';
import { existingRealPathInsideSync } from '../workspace/realPathInside';

/** The CLI's configuration file: the same shape as VS Code's `liveSchema` settings section. */
export const DEFAULT_CONFIG_FILES = ['live-schema.json', '.live-schema/config.json'];

/** A configuration problem: the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Reads `--config FILE` (or the first default file that exists under `cwd`) and validates it like
 * editor settings. A missing default file is fine (no connections); a bad one is a `UsageError`
 * naming the file and every bad key.
 */
export function loadCliConfig(
  configPath: string | undefined,
  cwd = process.cwd(),
): { settings: LiveSchemaSettings; file: string | null } {
  const file = configPath
    ? path.resolve(cwd, configPath)
    : DEFAULT_CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
  if (!file) return { settings: parseSettings(undefined).settings, file: null };
  let raw: unknown;
  let text = '';
  try {
    // `--config` is the user's word; a default file is the repository's, and may link anywhere.
    text = readFileSync(configPath ? file : existingRealPathInsideSync(cwd, file), 'utf8');
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${file}: ${error instanceof SyntaxError ? describeJsonSyntaxError(error, text) : (error as Error).message}`,
    );
  }
  const section = raw !== null && typeof raw === 'object' && 'liveSchema' in raw ? raw.liveSchema : raw;
  // The file is the project's: it never chooses where the user's environment goes.
  const { settings, errors } = parseSettings(section, process.env, trustFromEnvironment('repository', process.env));
  if (errors.length > 0) throw new UsageError(describeSettingsErrors(errors, file));
  return { settings, file };
}

/** The connection named by `--connection`, or the only one configured. */
export function pickConnection(settings: LiveSchemaSettings, name: string | undefined): ConnectionSettings | undefined {
  if (name !== undefined) {
    const found = settings.connections.find((c) => c.name === name);
    if (!found)
      throw new UsageError(
        `no connection named "${name}" (configured: ${settings.connections.map((c) => c.name).join(', ') || 'none'})`,
      );
    return found;
  }
  if (settings.connections.length > 1)
    throw new UsageError(
      `several connections are configured; choose one with --connection (${settings.connections.map((c) => c.name).join(', ')})`,
    );
  return settings.connections[0];
}
