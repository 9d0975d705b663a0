/**
 * Settings for finding SQL and static references in code (`liveSchema.embedded.*`), validated with
 * zod. Every key has a default, so `{}` is a complete configuration.
 */
import { z } from 'zod';

export const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Calls whose first argument is a statement. An entry matches the callee's last name (`query`
 * matches `pool.query` and `query`) or its dotted tail (`sql.raw` matches `kysely.sql.raw`).
 */
export const DEFAULT_QUERY_CALLS = {
  javascript: [
    'query', // pg, mysql2, Sequelize, TypeORM
    'execute', // mysql2
    'raw', // Knex
    'sql.raw', // Kysely
    'unsafe', // postgres.js
    '$queryRawUnsafe', // Prisma
    '$executeRawUnsafe',
  ],
  python: [
    'execute', // DB-API cursors (psycopg, PyMySQL), SQLAlchemy sessions and connections
    'executemany',
    'mogrify',
    'text', // SQLAlchemy
    'exec_driver_sql',
    'raw', // Django Manager.raw
    'read_sql', // pandas
    'read_sql_query',
  ],
};

/** Calls whose first argument is a clause, not a statement (Knex's `…Raw` helpers): found, not checked. */
export const DEFAULT_FRAGMENT_CALLS = {
  javascript: [
    'whereRaw',
    'orWhereRaw',
    'andWhereRaw',
    'havingRaw',
    'orHavingRaw',
    'orderByRaw',
    'groupByRaw',
    'joinRaw',
    'fromRaw',
    'onRaw',
    'literal', // Sequelize
  ],
  python: [],
};

/**
 * Calls whose string arguments are messages for people (logging, alerts, translations): never SQL
 * and never schema names, even when they read "select … from …".
 */
export const DEFAULT_MESSAGE_CALLS = [
  'log',
  'debug',
  'info',
  'warn',
  'warning',
  'error',
  'trace',
  'fatal',
  'critical',
  'exception',
  'alert',
  'confirm',
  'print',
  't',
  'gettext',
  '_',
];

/** Template tags that send their template as a statement with the interpolations as bound values. */
export const DEFAULT_SQL_TAGS = ['sql', 'SQL', '$queryRaw', '$executeRaw', 'Prisma.sql'];

const severity = z.enum(SEVERITIES);
const names = z.array(z.string().min(1));
const perLanguage = (defaults: { javascript: string[]; python: string[] }) =>
  z
    .object({ javascript: names.default(defaults.javascript), python: names.default(defaults.python) })
    .default(defaults);

export const embeddedSettingsSchema = z.object({
  queryCalls: perLanguage(DEFAULT_QUERY_CALLS),
  fragmentCalls: perLanguage(DEFAULT_FRAGMENT_CALLS),
  sqlTags: names.default(DEFAULT_SQL_TAGS),
  messageCalls: names.default(DEFAULT_MESSAGE_CALLS),
  /** Treat literals that read unmistakably as a statement as SQL, even outside a known call. */
  detectStatements: z.boolean().default(true),
  severities: z
    .object({
      'hardcoded-table': severity.default('information'),
      'hardcoded-column': severity.default('information'),
      'static-mapping': severity.default('information'),
      'sql-template': severity.default('information'),
      /** An SQL template built by interpolating or concatenating non-constant values: injection risk. */
      'sql-template-interpolated': severity.default('warning'),
      /** "Not checked: dynamic SQL". */
      'dynamic-sql': severity.default('information'),
    })
    .default({
      'hardcoded-table': 'information',
      'hardcoded-column': 'information',
      'static-mapping': 'information',
      'sql-template': 'information',
      'sql-template-interpolated': 'warning',
      'dynamic-sql': 'information',
    }),
  /** Names never reported as static dependencies: `users`, `public.users`, `users.email` (case-insensitive). */
  ignoredNames: names.default([]),
  /** Larger files are skipped with a note. */
  maxFileBytes: z.number().int().positive().default(2_000_000),
});

export type EmbeddedSettings = z.infer<typeof embeddedSettingsSchema>;

/** The defaults, as a complete settings object. */
export const DEFAULT_EMBEDDED_SETTINGS: EmbeddedSettings = embeddedSettingsSchema.parse({});

/**
 * Validates user settings. Bad values are reported by key and replaced by their defaults, so one
 * typo never switches the feature off.
 */
export function parseEmbeddedSettings(input: unknown): { settings: EmbeddedSettings; errors: string[] } {
  const parsed = embeddedSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return { settings: parsed.data, errors: [] };
  const errors = parsed.error.issues.map((issue) => `liveSchema.embedded.${issue.path.join('.')}: ${issue.message}`);
  const cleaned = structuredClone(input) as Record<string, unknown>;
  for (const issue of parsed.error.issues) removePath(cleaned, issue.path);
  const retry = embeddedSettingsSchema.safeParse(cleaned);
  return { settings: retry.success ? retry.data : DEFAULT_EMBEDDED_SETTINGS, errors };
}

function removePath(target: unknown, path: PropertyKey[]): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[path[i]];
  }
  const last = path[path.length - 1];
  if (typeof node !== 'object' || node === null || last === undefined) return;
  // An array element can't be dropped without shifting; drop the whole array instead.
  if (Array.isArray(node) && path.length >= 2) {
    removePath(target, path.slice(0, -1));
    return;
  }
  delete (node as Record<PropertyKey, unknown>)[last];
}
