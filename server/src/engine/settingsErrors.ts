/**
 * How every front end words a settings problem: the key, then what is wrong with it
 * (`liveSchema.cache.ttlSeconds: expected a number …`), prefixed by where the settings came from.
 * The CLI and MCP read the same configuration file and print these lines; the editor logs them
 * and shows the first as a notice.
 */
import type { SettingsError } from '../config/connectionSettings';

/** One problem as a line: `where: key: message`, or `key: message` when the place goes without saying. */
export function describeSettingsError(error: SettingsError, where?: string): string {
  return `${where ? `${where}: ` : ''}${error.key}: ${error.message}`;
}

/** Every problem, one line each. */
export function describeSettingsErrors(errors: readonly SettingsError[], where?: string): string {
  return errors.map((error) => describeSettingsError(error, where)).join('\n');
}

/** The one notice an editor shows for a set of problems: the first, and how many more are in the log. */
export function settingsErrorsNotice(errors: readonly SettingsError[]): string | undefined {
  const [first] = errors;
  if (!first) return undefined;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see the output)` : '';
  return `Live Schema: ${describeSettingsError(first)}${more}`;
}
