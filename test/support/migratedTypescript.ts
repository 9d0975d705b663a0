/**
 * TypeScript application files migrated by the product and type-checked as the user's project
 * checks them: each statement is a function that passes its SQL and typed arguments to the
 * driver's `pool.query`; the planner migrates the file to Kysely or Knex, and the compiler checks
 * it against the generated schema module (`Kysely<DB>`). Errors are counted per statement.
 */
import { planFileMigration } from '../../server/src/migrate/planMigration';
import type { Dialect } from '../../server/src/schema/snapshot';
import { typeErrors } from './typescriptCheck';

export interface TypedStatement {
  sql: string;
  /** The values the call passes; each argument is declared with its value's TypeScript type. */
  params: readonly unknown[];
}

export interface TypecheckCounts {
  statements: number;
  migrated: number;
  /** Migrated statements whose function the compiler rejects, with the first error of each. */
  failing: Map<string, string>;
}

/** The module the migrated file imports its builder from: typed by the schema module only. */
const INSTANCE_MODULE: Record<'kysely' | 'knex', string> = {
  kysely:
    "import type { Kysely } from 'kysely';\nimport type { DB } from './schema';\nexport declare const db: Kysely<DB>;\n",
  knex: "import type { Knex } from 'knex';\nexport declare const knex: Knex;\n",
};

const POOL: Record<Dialect, string> = {
  postgres: "import type { Pool } from 'pg';\ndeclare const pool: Pool;\n",
  mysql: "import type { Pool } from 'mysql2/promise';\ndeclare const pool: Pool;\n",
};

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return `(${[...new Set(value.map(typeOf))].join(' | ') || 'never'})[]`;
  return typeof value;
}

/** One exported function per statement, each on its own line so that the planner sees one call each. */
export function applicationFile(statements: readonly TypedStatement[], dialect: Dialect): string {
  const functions = statements.map(({ sql, params }, index) => {
    const parameters = params.map((value, position) => `p${position}: ${typeOf(value)}`).join(', ');
    const values = params.length > 0 ? `, [${params.map((_, position) => `p${position}`).join(', ')}]` : '';
    return `export async function q${index}(${parameters}) {\n  return pool.query(${JSON.stringify(sql)}${values});\n}\n`;
  });
  return [POOL[dialect], ...functions].join('\n');
}

/** Migrates the application file of `statements` to `target` and type-checks it against `schemaModule`. */
export async function typecheckMigrated(
  statements: readonly TypedStatement[],
  dialect: Dialect,
  target: 'kysely' | 'knex',
  schemaModule: string,
): Promise<TypecheckCounts & { migratedText: string; check(schema: string): string[] }> {
  const text = applicationFile(statements, dialect);
  const instance = target === 'kysely' ? 'db' : 'knex';
  const plan = await planFileMigration({
    file: 'queries.ts',
    fileName: '/project/queries.ts',
    text,
    dialect,
    target,
    instance,
    instanceImport: { module: './database', name: instance },
  });
  const migratedText = [...plan.edits]
    .sort((a, b) => b.start - a.start)
    .reduce((current, edit) => current.slice(0, edit.start) + edit.newText + current.slice(edit.end), text);
  const check = (schema: string) =>
    typeErrors({ 'schema.ts': schema, 'database.ts': INSTANCE_MODULE[target], 'queries.ts': migratedText });
  return {
    statements: statements.length,
    migrated: plan.converted,
    failing: failingFunctions(migratedText, check(schemaModule)),
    migratedText,
    check,
  };
}

/** The function each `queries.ts(line,column)` error falls in, with its first error; other files' errors as they are. */
export function failingFunctions(text: string, errors: string[]): Map<string, string> {
  const starts: { line: number; name: string }[] = [];
  text.split('\n').forEach((line, index) => {
    const name = /^export async function (q\d+)\(/.exec(line)?.[1];
    if (name) starts.push({ line: index + 1, name });
  });
  const failing = new Map<string, string>();
  for (const error of errors) {
    const line = Number(/^queries\.ts\((\d+),/.exec(error)?.[1] ?? 0);
    const name = starts.filter((start) => start.line <= line).at(-1)?.name ?? error.split('(')[0];
    if (!failing.has(name)) failing.set(name, error.split('\n')[0]);
  }
  return failing;
}
