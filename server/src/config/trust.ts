import { z } from 'zod';
import { TRUST_ANNOTATION_KEY, type TrustAnnotation } from '../protocol/trustAnnotation';

/**
 * Where configuration came from, and what the user (never the repository) allowed it to use.
 * A repository's `live-schema.json` and `.vscode/settings.json` may be written by an attacker, so
 * they never choose where a secret from the user's environment goes. The policy is in SECURITY.md.
 */
export interface ConfigTrust {
  /** `user`: the user's own settings or command-line flags. `repository`: a file in the project. */
  origin: 'user' | 'repository';
  /** Variables repository config may expand with `${env:VAR}` (LIVE_SCHEMA_ALLOW_ENV, `liveSchema.allowEnv`). */
  allowEnv: ReadonlySet<string>;
  /**
   * `user@host:port/database` targets a repository-configured connection may send an environment
   * secret to (LIVE_SCHEMA_PASSWORD_TARGETS): PGPASSWORD, LIVE_SCHEMA_PASSWORD, ~/.pgpass.
   */
  passwordTargets: ReadonlySet<string>;
  /** False in VS Code's Restricted Mode: nothing the workspace configures may connect anywhere. */
  workspaceTrusted: boolean;
}

/** Configuration the user wrote (flags, user settings, the built-in embedded connection). */
export const USER_CONFIG: ConfigTrust = {
  origin: 'user',
  allowEnv: new Set(),
  passwordTargets: new Set(),
  workspaceTrusted: true,
};

export const ALLOW_ENV_VARIABLE = 'LIVE_SCHEMA_ALLOW_ENV';
export const PASSWORD_TARGETS_VARIABLE = 'LIVE_SCHEMA_PASSWORD_TARGETS';

const listOf = (value: string | undefined): Set<string> =>
  new Set(
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** The trust of configuration read by the CLI or MCP server: the allow-lists come from the environment. */
export function trustFromEnvironment(origin: ConfigTrust['origin'], env: NodeJS.ProcessEnv): ConfigTrust {
  return {
    origin,
    allowEnv: listOf(env[ALLOW_ENV_VARIABLE]),
    passwordTargets: listOf(env[PASSWORD_TARGETS_VARIABLE]),
    workspaceTrusted: true,
  };
}

const annotation: z.ZodType<TrustAnnotation> = z.object({
  connections: z.enum(['user', 'repository']),
  allowEnv: z.array(z.string()).max(1_000),
  workspaceTrusted: z.boolean(),
});

/**
 * The trust of settings the language server received. Without the VS Code client's annotation
 * (another editor, a broken value) the settings are treated as the repository's: the safe side.
 */
export function trustOfSettings(raw: unknown, env: NodeJS.ProcessEnv): ConfigTrust {
  const fromEnv = trustFromEnvironment('repository', env);
  const given =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[TRUST_ANNOTATION_KEY] : undefined;
  const parsed = annotation.safeParse(given);
  if (!parsed.success) return fromEnv;
  return {
    origin: parsed.data.connections,
    allowEnv: new Set([...fromEnv.allowEnv, ...parsed.data.allowEnv]),
    passwordTargets: fromEnv.passwordTargets,
    workspaceTrusted: parsed.data.workspaceTrusted,
  };
}

/** Loopback names and addresses and Unix sockets (a path): traffic to them never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (
    h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h.startsWith('/')
  );
}
