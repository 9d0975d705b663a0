import { z } from 'zod';
import { DEFAULT_EMBEDDED_SETTINGS, parseEmbeddedSettings, type EmbeddedSettings } from '../embedded/settings';
import { parseConnections, type ConnectionSettings, type SettingsError } from './connectionSettings';
import { USER_CONFIG, type ConfigTrust } from './trust';

/**
 * Every `liveSchema.*` setting, validated key by key: a bad value is reported with its key and
 * replaced by its default, so one typo never switches the rest off.
 */

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
export type SeverityOverride = SeverityName | 'off';

export interface LiveSchemaSettings {
  connections: ConnectionSettings[];
  validation: {
    enable: boolean;
    /** Per finding code: a different severity, or `off`. */
    severity: Record<string, SeverityOverride>;
    /** Names (`table`, `schema.table`, `table.column`) never reported as unknown. */
    ignoredNames: string[];
    /** PREPARE statements on the live database to catch what offline analysis cannot. */
    liveCheck: boolean;
    /** Larger documents are checked only on demand. */
    maxFileSizeKb: number;
    debounceMs: number;
  };
  /** SQL in TypeScript, JavaScript and Python: query calls, tags, severities of static dependencies. */
  embedded: EmbeddedSettings;
  cache: {
    /** How long a snapshot is trusted before a fingerprint check. */
    ttlSeconds: number;
    /** How often the fingerprint is polled for schema changes; 0 turns polling off. */
    pollIntervalSeconds: number;
  };
  search: {
    /** Business term → names or words it stands for (`revenue` → `total_cents`), for schema search. */
    synonyms: Record<string, string[]>;
  };
  migrations: {
    /** The builder TypeScript/JavaScript migrates to; `auto` picks it from package.json (Python: SQLAlchemy Core). */
    target: 'auto' | 'kysely' | 'knex';
    /** The expression holding the builder in migrated code; empty: `db` for Kysely, `knex` for Knex. */
    builderInstance: string;
    /** The module the instance is imported from when a migrated file does not bind it yet; empty: no import. */
    builderImport: string;
    /** Where Generate Schema Module writes, relative to the workspace folder. */
    typescriptSchemaModule: string;
    pythonSchemaModule: string;
    /** Rewrite the schema modules that exist whenever the schema changes. */
    regenerateSchemaModule: boolean;
  };
}

export const DEFAULT_SETTINGS: LiveSchemaSettings = {
  connections: [],
  validation: { enable: true, severity: {}, ignoredNames: [], liveCheck: false, maxFileSizeKb: 2048, debounceMs: 150 },
  embedded: DEFAULT_EMBEDDED_SETTINGS,
  cache: { ttlSeconds: 300, pollIntervalSeconds: 30 },
  search: { synonyms: {} },
  migrations: {
    target: 'auto',
    builderInstance: '',
    builderImport: '',
    typescriptSchemaModule: 'src/db/schema.ts',
    pythonSchemaModule: 'db_schema.py',
    regenerateSchemaModule: false,
  },
};

const shown = (v: unknown) =>
  typeof v === 'string'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? 'a list'
      : v !== null && typeof v === 'object'
        ? 'an object'
        : String(v);

const fields = {
  'validation.enable': z.boolean({ error: (i) => `expected true or false, got ${shown(i.input)}` }),
  'validation.severity': z.record(
    z.string(),
    z.enum(['error', 'warning', 'information', 'hint', 'off'], {
      error: (i) => `expected "error", "warning", "information", "hint" or "off", got ${shown(i.input)}`,
    }),
    { error: (i) => `expected an object of finding code → severity, got ${shown(i.input)}` },
  ),
  'validation.ignoredNames': z.array(z.string(), { error: (i) => `expected a list of names, got ${shown(i.input)}` }),
  'validation.liveCheck': z.boolean({ error: (i) => `expected true or false, got ${shown(i.input)}` }),
  'validation.maxFileSizeKb': z
    .number({ error: (i) => `expected a number of kilobytes, got ${shown(i.input)}` })
    .int()
    .min(1)
    .max(1_048_576),
  'validation.debounceMs': z
    .number({ error: (i) => `expected milliseconds, got ${shown(i.input)}` })
    .int()
    .min(0)
    .max(10_000),
  'cache.ttlSeconds': z
    .number({ error: (i) => `expected seconds, got ${shown(i.input)}` })
    .int()
    .min(0)
    .max(86_400),
  'cache.pollIntervalSeconds': z
    .number({ error: (i) => `expected seconds, got ${shown(i.input)}` })
    .int()
    .min(0)
    .max(86_400),
  'search.synonyms': z.record(
    z.string(),
    z.array(z.string().trim().min(1, { error: 'expected a non-empty name or word' }), {
      error: (i) => `expected a list of names or words, got ${shown(i.input)}`,
    }),
    { error: (i) => `expected an object of term → list of names or words, got ${shown(i.input)}` },
  ),
  'migrations.target': z.enum(['auto', 'kysely', 'knex'], {
    error: (i) => `expected "auto", "kysely" or "knex", got ${shown(i.input)}`,
  }),
  'migrations.builderInstance': z
    .string({ error: (i) => `expected an expression such as "db", got ${shown(i.input)}` })
    .regex(/^$|^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, {
      error: 'expected a name or a dotted name such as "db" or "this.db"',
    }),
  'migrations.builderImport': z.string({ error: (i) => `expected a module specifier, got ${shown(i.input)}` }),
  'migrations.typescriptSchemaModule': relativeModulePath(/\.(ts|mts|js|mjs)$/, '.ts or .js'),
  'migrations.pythonSchemaModule': relativeModulePath(/^[\w/]+\.py$/, '.py (letters, digits and _ only)'),
  'migrations.regenerateSchemaModule': z.boolean({ error: (i) => `expected true or false, got ${shown(i.input)}` }),
} as const;

/** A path inside the workspace folder with the given file kind. */
function relativeModulePath(kind: RegExp, described: string) {
  return z
    .string({ error: (i) => `expected a path, got ${shown(i.input)}` })
    .refine((p) => kind.test(p) && !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
      error: `expected a path inside the workspace folder ending in ${described}`,
    });
}

/** Reads the `liveSchema` section as the editor sends it (nested objects or dotted keys). */
export function parseSettings(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  trust: ConfigTrust = USER_CONFIG,
): { settings: LiveSchemaSettings; errors: SettingsError[] } {
  const errors: SettingsError[] = [];
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (raw === undefined || raw === null) return { settings, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings, errors: [{ key: 'liveSchema', message: `expected an object, got ${shown(raw)}` }] };
  }
  const section = raw as Record<string, unknown>;
  const parsedConnections = parseConnections(section.connections, env, 'liveSchema.connections', trust);
  settings.connections = parsedConnections.connections;
  errors.push(...parsedConnections.errors);

  if (section.embedded !== undefined) {
    const embedded = parseEmbeddedSettings(section.embedded);
    settings.embedded = embedded.settings;
    for (const error of embedded.errors) {
      const colon = error.indexOf(': ');
      errors.push({ key: error.slice(0, colon), message: error.slice(colon + 2) });
    }
  }

  for (const [path, schema] of Object.entries(fields)) {
    const value = lookup(section, path);
    if (value === undefined) continue;
    const result = schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
      errors.push({ key: `liveSchema.${path}${where}`, message: issue?.message ?? 'invalid value' });
      continue;
    }
    const [group, key] = path.split('.') as ['validation' | 'cache' | 'search' | 'migrations', string];
    (settings[group] as Record<string, unknown>)[key] = result.data;
  }
  return { settings, errors };
}

function lookup(section: Record<string, unknown>, path: string): unknown {
  if (path in section) return section[path];
  const [group, key] = path.split('.') as [string, string];
  const nested = section[group];
  return nested !== null && typeof nested === 'object' && !Array.isArray(nested)
    ? (nested as Record<string, unknown>)[key]
    : undefined;
}
