/**
 * How every front end words what a discovery warned about (a schema file the embedded build
 * skipped or did not apply, a schema missing on the server): the driver's message, which already
 * names the file and line. The CLI prints one `warning:` line each; the editor logs the same lines
 * and shows the first as a notice.
 */
import type { DiscoveryWarning } from '../db/driver';

/** One warning as a line, as the CLI prints it on stderr. */
export function describeDiscoveryWarning(warning: DiscoveryWarning): string {
  return `warning: ${warning.message}`;
}

/** The one notice an editor shows for a discovery's warnings: the first, and how many more are in the log. */
export function discoveryWarningsNotice(connection: string, warnings: readonly DiscoveryWarning[]): string | undefined {
  const [first] = warnings;
  if (!first) return undefined;
  const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more; see the output)` : '';
  return `Live Schema (${connection}): ${first.message}${more}`;
}
