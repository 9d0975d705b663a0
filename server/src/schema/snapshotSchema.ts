import { z } from 'zod';
import { SNAPSHOT_FORMAT_VERSION, type SchemaSnapshot } from './snapshot';

/**
 * The zod schema of `SchemaSnapshot`, for everything read back from disk (the cache, a
 * committed `.live-schema/schema.json`): a hand-edited or damaged file is refused with the path
 * of the first bad value, never half-read. Objects are strict so a misspelt key is reported
 * instead of silently ignored.
 */

const text = z.string();
const nullableText = z.string().nullable();
const names = z.array(z.string());

const referentialAction = z.enum(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

const column = z.strictObject({
  name: text,
  position: z.number().int().min(1),
  type: text,
  nullable: z.boolean(),
  default: nullableText,
  comment: nullableText,
  generated: z.enum(['identity', 'always']).optional(),
});

const keyConstraint = z.strictObject({ name: text, columns: names });

const foreignKey = z.strictObject({
  name: text,
  columns: names,
  referencedSchema: text,
  referencedTable: text,
  referencedColumns: names,
  onUpdate: referentialAction,
  onDelete: referentialAction,
});

const index = z.strictObject({
  name: text,
  columns: z.array(z.string().nullable()),
  unique: z.boolean(),
  primary: z.boolean(),
  method: nullableText,
  definition: nullableText,
});

const relation = z.strictObject({
  schema: text,
  name: text,
  kind: z.enum(['table', 'partitioned-table', 'view', 'materialized-view', 'foreign-table', 'sequence']),
  comment: nullableText,
  columns: z.array(column),
  primaryKey: keyConstraint.nullable(),
  uniqueConstraints: z.array(keyConstraint),
  foreignKeys: z.array(foreignKey),
  indexes: z.array(index),
  viewDefinition: nullableText,
});

const serverFacts = z.strictObject({
  product: z.enum(['postgres', 'pglite', 'mysql', 'mariadb']),
  version: text,
  database: text,
  searchPath: names.optional(),
  includedSchemas: names.optional(),
  lowerCaseTableNames: z.number().int().optional(),
  sqlMode: text.optional(),
  udfs: names.optional(),
});

/** Validates a whole snapshot of the current format version. */
export const schemaSnapshotSchema = z.strictObject({
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  dialect: z.enum(['postgres', 'mysql']),
  server: serverFacts,
  schemas: z.array(z.strictObject({ name: text, comment: nullableText })),
  relations: z.array(relation),
  enums: z.array(z.strictObject({ schema: text, name: text, values: names })),
  domains: z.array(
    z.strictObject({
      schema: text,
      name: text,
      baseType: text,
      nullable: z.boolean(),
      default: nullableText,
      checks: names,
    }),
  ),
  routines: z.array(
    z.strictObject({ schema: text, name: text, kind: z.enum(['function', 'procedure', 'aggregate', 'window']) }),
  ),
  uncertain: z.strictObject({ names: z.record(z.string(), text), everything: text.optional() }).optional(),
});

// Fails to compile when `SchemaSnapshot` and the schema above drift apart, in either direction.
type Parsed = z.infer<typeof schemaSnapshotSchema>;
const sameShape: [Parsed] extends [SchemaSnapshot] ? ([SchemaSnapshot] extends [Parsed] ? true : false) : false = true;
void sameShape;

/**
 * Checks a parsed JSON value. The error names the first problem as
 * `relations[3].columns[0].nullable: expected boolean, got "yes"`.
 */
export function validateSnapshot(value: unknown): { snapshot: SchemaSnapshot } | { error: string } {
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { error: `expected a Live Schema snapshot object, got ${describeValue(value)}` };
  if (typeof version !== 'number')
    return { error: 'formatVersion: missing; this is not a Live Schema snapshot (or it was cut short)' };
  if (version !== SNAPSHOT_FORMAT_VERSION)
    return {
      error: `formatVersion: the file has format version ${version}, this Live Schema reads version ${SNAPSHOT_FORMAT_VERSION}; export the snapshot again`,
    };
  const result = schemaSnapshotSchema.safeParse(value, { reportInput: true });
  if (result.success) return { snapshot: result.data };
  const issues = result.error.issues;
  const issue = issues[0];
  // A misspelt key shows up as "missing x" plus "unknown key y" on the same object: say both.
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const parent = formatPath(issue.path.slice(0, -1));
    const typo = issues.find((i) => i.code === 'unrecognized_keys' && formatPath(i.path) === parent);
    if (typo && typo.code === 'unrecognized_keys')
      return {
        error: `${parent}: unknown key ${typo.keys.map((k) => `"${k}"`).join(', ')} (expected "${String(issue.path.at(-1))}")`,
      };
  }
  return { error: `${formatPath(issue.path)}: ${describeIssue(issue)}` };
}

function formatPath(path: readonly PropertyKey[]): string {
  const joined = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return joined.replace(/^\./, '') || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  // Functions and symbols cannot come out of JSON; what is left stringifies.
  return JSON.stringify(value) ?? typeof value;
}
