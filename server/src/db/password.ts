import { passwordFromUrl, type ConnectionSettings } from '../config/connectionSettings';
import { isLoopbackHost } from '../config/trust';
import type { PasswordProvider } from './driver';

/**
 * The password a driver may send: the one in the connection's environment URL or the front end's
 * (SecretStorage, LIVE_SCHEMA_PASSWORD); `undefined` lets `pg` read PGPASSWORD and ~/.pgpass itself;
 * `null` means none may be sent. Secrets never travel in clear text off the machine, and the
 * environment's only to a target the user chose (`environmentSecrets`).
 */
export async function passwordToSend(
  s: ConnectionSettings,
  provider: PasswordProvider,
): Promise<string | null | undefined> {
  if (s.ssl === 'disable' && !isLoopbackHost(s.host)) return null;
  const given = passwordFromUrl(s) ?? (await provider(s));
  if (given !== undefined) return given;
  return s.environmentSecrets ? undefined : null;
}

/**
 * The CLI's and MCP server's passwords: LIVE_SCHEMA_PASSWORD, only for a connection whose target
 * the user chose; never one read from a configuration file.
 */
export function environmentPasswords(env: NodeJS.ProcessEnv): PasswordProvider {
  return (s) => Promise.resolve(s.environmentSecrets ? env.LIVE_SCHEMA_PASSWORD : undefined);
}

/** What to do about a refused login, given which passwords this connection may be sent. */
export function passwordAdvice(s: ConnectionSettings, environmentPassword: string): string {
  if (s.ssl === 'disable' && !isLoopbackHost(s.host))
    return `No password is sent without TLS to ${s.host}: set "ssl" to "require" or "verify-full".`;
  if (!s.environmentSecrets)
    return `Set the password with "Live Schema: Set Password". ${environmentPassword} is not sent to a server the project's configuration names: use --url, your user settings or LIVE_SCHEMA_PASSWORD_TARGETS (SECURITY.md).`;
  return `Set the password with "Live Schema: Set Password" or ${environmentPassword}.`;
}
