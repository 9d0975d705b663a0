import { z } from 'zod';
import { expandEnv, redact, WHOLE_ENV_REFERENCE, type Expansion } from './envReferences';
import { isLoopbackHost, USER_CONFIG, type ConfigTrust } from './trust';

/**
 * The one validated shape of a connection, whatever front end supplied it (VS Code settings,
 * the CLI's config file). Passwords are not part of it: they come from a `PasswordProvider`.
 */

export const DRIVERS = ['postgres', 'mysql', 'pglite', 'snapshot'] as const;
export type DriverName = (typeof DRIVERS)[number];

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface ConnectionSettings {
  name: string;
  driver: DriverName;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Schemas to discover; empty means every non-system schema (PG) or just `database` (MySQL). */
  schemas: string[];
  ssl: SslMode;
  /** Globs of the workspace files this connection checks. */
  files: string[];
  /** pglite: globs of the DDL and migration files the embedded schema is built from, in apply order. */
  schemaFiles: string[];
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** snapshot: the exported schema file (setting `path`), relative to the workspace folder. */
  snapshotPath?: string;
  /**
   * PGPASSWORD, LIVE_SCHEMA_PASSWORD and ~/.pgpass may be sent: the target came from the user
   * (their settings, a flag, a whole URL from their environment) or is on their allow-list.
   */
  environmentSecrets?: true;
}

export const DEFAULT_SCHEMA_FILES = ['schema.sql', 'db/**/*.sql', 'migrations/**/*.sql'];

/** Where `live-schema snapshot` writes and `driver: "snapshot"` reads by default. */
export const DEFAULT_SNAPSHOT_PATH = '.live-schema/schema.json';

/** A problem with one settings value, already phrased for the user. */
export interface SettingsError {
  /** Full key, e.g. `liveSchema.connections[1].port`. */
  key: string;
  message: string;
}

export interface ParsedConnections {
  connections: ConnectionSettings[];
  errors: SettingsError[];
}

const DEFAULT_PORTS: Record<DriverName, number> = { postgres: 5432, mysql: 3306, pglite: 0, snapshot: 0 };

/** Passwords found in a `${env:…}` URL: held beside the settings object, never serialised with it. */
const urlPasswords = new WeakMap<ConnectionSettings, string>();

/** The password carried by the connection's environment-supplied URL, if it had one. */
export function passwordFromUrl(settings: ConnectionSettings): string | undefined {
  return urlPasswords.get(settings);
}

const describe = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : Array.isArray(value)
      ? 'a list'
      : value !== null && typeof value === 'object'
        ? 'an object'
        : String(value);

const text = z.string({ error: (i) => `expected a string, got ${describe(i.input)}` });
const rawConnection = z.strictObject(
  {
    name: text.min(1, 'must not be empty').optional(),
    driver: z
      .enum(DRIVERS, { error: (i) => `expected one of ${DRIVERS.join(', ')}, got ${describe(i.input)}` })
      .optional(),
    url: text.optional(),
    host: text.optional(),
    port: z
      .union([z.number(), text])
      .transform((v, ctx) => {
        const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > 65535) {
          ctx.addIssue({ code: 'custom', message: `expected a number 1–65535, got ${describe(v)}` });
          return z.NEVER;
        }
        return n;
      })
      .optional(),
    database: text.optional(),
    user: text.optional(),
    schemas: z.array(text, { error: (i) => `expected a list of schema names, got ${describe(i.input)}` }).optional(),
    ssl: z
      .union([z.boolean(), z.enum(['disable', 'require', 'verify-full'])], {
        error: (i) => `expected true, false, "disable", "require" or "verify-full", got ${describe(i.input)}`,
      })
      .optional(),
    files: z.array(text, { error: (i) => `expected a list of globs, got ${describe(i.input)}` }).optional(),
    schemaFiles: z.array(text, { error: (i) => `expected a list of globs, got ${describe(i.input)}` }).optional(),
    path: text.min(1, 'must not be empty').optional(),
    connectTimeoutMs: z
      .number({ error: (i) => `expected milliseconds, got ${describe(i.input)}` })
      .int()
      .min(100)
      .max(600_000)
      .optional(),
    statementTimeoutMs: z
      .number({ error: (i) => `expected milliseconds, got ${describe(i.input)}` })
      .int()
      .min(100)
      .max(600_000)
      .optional(),
    password: z
      .never({ error: 'passwords are not read from settings: use the Set Password command or an environment variable' })
      .optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `unknown setting ${i.keys.map((k) => `"${k}"`).join(', ')}`
        : `expected an object, got ${describe(i.input)}`,
  },
);

/**
 * Validates `liveSchema.connections`. Each bad connection is reported with the key and the reason
 * and left out; the good ones are returned, so one typo never disables the rest.
 */
export function parseConnections(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  keyPrefix = 'liveSchema.connections',
  trust: ConfigTrust = USER_CONFIG,
): ParsedConnections {
  if (raw === undefined || raw === null) return { connections: [], errors: [] };
  if (!Array.isArray(raw))
    return {
      connections: [],
      errors: [{ key: keyPrefix, message: `expected a list of connections, got ${describe(raw)}` }],
    };
  const connections: ConnectionSettings[] = [];
  const errors: SettingsError[] = [];
  const expansions: Expansion[] = [];
  raw.forEach((entry: unknown, index) => {
    const key = `${keyPrefix}[${index}]`;
    const result = parseExpanded(entry, env, key, trust, expansions);
    if ('errors' in result) errors.push(...result.errors);
    else if (connections.some((c) => c.name === result.connection.name))
      errors.push({ key: `${key}.name`, message: `another connection is already named "${result.connection.name}"` });
    else connections.push(result.connection);
  });
  // A message echoes what it refused; what came from the environment may be a secret.
  return { connections, errors: errors.map((e) => ({ key: e.key, message: redact(e.message, expansions) })) };
}

export function parseConnection(
  entry: unknown,
  env: NodeJS.ProcessEnv,
  key: string,
  trust: ConfigTrust = USER_CONFIG,
): { connection: ConnectionSettings } | { errors: SettingsError[] } {
  const expansions: Expansion[] = [];
  const result = parseExpanded(entry, env, key, trust, expansions);
  if ('connection' in result) return result;
  return { errors: result.errors.map((e) => ({ key: e.key, message: redact(e.message, expansions) })) };
}

function parseExpanded(
  entry: unknown,
  env: NodeJS.ProcessEnv,
  key: string,
  trust: ConfigTrust,
  expansions: Expansion[],
): { connection: ConnectionSettings } | { errors: SettingsError[] } {
  const expanded = expandEnv(entry, { env, trust, expansions }, key);
  if ('errors' in expanded) return expanded;
  const parsed = rawConnection.safeParse(expanded.value);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        key: [key, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))]
          .join('')
          .replace('.[', '['),
        message: issue.message,
      })),
    };
  }
  const given = parsed.data;
  const fromUrl = given.url === undefined ? undefined : parseUrl(given.url, `${key}.url`);
  if (fromUrl && 'error' in fromUrl) return { errors: [fromUrl.error] };
  if (fromUrl?.password !== undefined && !rawUrlUsesEnv(entry)) {
    return {
      errors: [
        {
          key: `${key}.url`,
          message:
            'the URL contains a password; put the URL in an environment variable (`${env:DATABASE_URL}`) or use the Set Password command',
        },
      ],
    };
  }
  const overridden = (['host', 'port', 'user', 'database'] as const).filter(
    (k) => given[k] !== undefined && given[k] !== fromUrl?.[k],
  );
  if (fromUrl?.password !== undefined && overridden.length > 0) {
    return {
      errors: [
        {
          key: `${key}.${overridden[0]}`,
          message: `the URL's password is sent only to the URL's own host, port, user and database; remove "${overridden[0]}" or change the URL`,
        },
      ],
    };
  }
  const driver = given.driver ?? fromUrl?.driver ?? 'postgres';
  if (fromUrl?.driver && given.driver && fromUrl.driver !== given.driver) {
    return {
      errors: [
        { key: `${key}.driver`, message: `"${given.driver}" does not match the URL's scheme (${fromUrl.driver})` },
      ],
    };
  }
  if (given.path !== undefined && driver !== 'snapshot') {
    return {
      errors: [{ key: `${key}.path`, message: `"path" is the snapshot file of driver "snapshot", not of "${driver}"` }],
    };
  }
  const user = given.user ?? fromUrl?.user ?? env.PGUSER ?? env.USER ?? 'postgres';
  const database = given.database ?? fromUrl?.database ?? (driver === 'postgres' ? user : '');
  if (driver === 'mysql' && database === '' && (given.schemas ?? []).length === 0) {
    return {
      errors: [
        { key: `${key}.database`, message: 'a MySQL/MariaDB connection needs a database (or a list of schemas)' },
      ],
    };
  }
  const host = given.host ?? fromUrl?.host ?? 'localhost';
  const port = given.port ?? fromUrl?.port ?? DEFAULT_PORTS[driver];
  // Off the machine, a password must never cross the network in clear text: TLS unless told otherwise.
  const ssl =
    given.ssl === true
      ? 'verify-full'
      : given.ssl === false
        ? 'disable'
        : (given.ssl ?? fromUrl?.ssl ?? (isLoopbackHost(host) ? 'disable' : 'require'));
  const target = `${user}@${host}:${port}/${database || (given.schemas?.[0] ?? '')}`;
  const userChoseTarget =
    trust.origin === 'user' || (rawUrlUsesEnv(entry) && overridden.length === 0) || trust.passwordTargets.has(target);
  const connection: ConnectionSettings = {
    name:
      given.name ??
      (driver === 'snapshot'
        ? `snapshot:${given.path ?? DEFAULT_SNAPSHOT_PATH}`
        : `${driver}:${database || 'embedded'}`),
    driver,
    host,
    port,
    database: database || (given.schemas?.[0] ?? ''),
    user,
    schemas: given.schemas ?? fromUrl?.schemas ?? [],
    ssl,
    files: given.files ?? ['**/*'],
    schemaFiles: given.schemaFiles ?? DEFAULT_SCHEMA_FILES,
    connectTimeoutMs: given.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: given.statementTimeoutMs ?? 15_000,
    ...(driver === 'snapshot' ? { snapshotPath: given.path ?? DEFAULT_SNAPSHOT_PATH } : {}),
    ...(userChoseTarget && (driver === 'postgres' || driver === 'mysql') ? { environmentSecrets: true as const } : {}),
  };
  if (fromUrl?.password !== undefined) urlPasswords.set(connection, fromUrl.password);
  return { connection };
}

/** A stable identity for caching: everything that selects the schema (and, for file sources, the project folder), nothing secret. */
export function connectionKey(c: ConnectionSettings, root = ''): string {
  // File-based sources are relative to their project folder: two projects must never share a key.
  const where =
    c.driver === 'pglite'
      ? `${root ? `${root}:` : ''}${c.schemaFiles.join(',')}`
      : c.driver === 'snapshot'
        ? `${root ? `${root}:` : ''}${c.snapshotPath ?? DEFAULT_SNAPSHOT_PATH}`
        : `${c.user}@${c.host}:${c.port}/${c.database}`;
  return `${c.driver}://${where}?schemas=${[...c.schemas].sort().join(',')}`;
}

function rawUrlUsesEnv(entry: unknown): boolean {
  const url = (entry as { url?: unknown }).url;
  return typeof url === 'string' && WHOLE_ENV_REFERENCE.test(url);
}

interface UrlParts {
  driver: DriverName;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: SslMode;
  schemas?: string[];
}

const SCHEMES: Record<string, DriverName> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** Reads a `DATABASE_URL`-style URL: `postgres://user@host:5432/db?sslmode=require&schema=app`. */
function parseUrl(raw: string, key: string): UrlParts | { error: SettingsError } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: { key, message: 'expected a URL like postgres://user@host:5432/database' } };
  }
  const driver = SCHEMES[url.protocol.replace(/:$/, '')];
  if (!driver)
    return { error: { key, message: `unsupported URL scheme "${url.protocol}"; use postgres:// or mysql://` } };
  const sslmode = url.searchParams.get('sslmode') ?? url.searchParams.get('ssl-mode');
  const ssl: SslMode | undefined =
    sslmode === null
      ? undefined
      : /^(verify-full|verify-ca|verify_identity)$/i.test(sslmode)
        ? 'verify-full'
        : /^(disable|disabled|false)$/i.test(sslmode)
          ? 'disable'
          : 'require';
  const schemas = url.searchParams.get('schema') ?? url.searchParams.get('search_path');
  return {
    driver,
    host: url.hostname ? decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') : undefined,
    port: url.port ? Number(url.port) : undefined,
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    ssl,
    schemas: schemas
      ? schemas
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  };
}
