/**
 * Runs Kysely code the generator produced, as a user's module would hold it, with the real
 * `kysely` package on one connection in a transaction that is rolled back: the builder's side of
 * the equivalence tests (PostgreSQL and MySQL alike).
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { ImportNeed } from '../../server/src/migrate/builderTarget';
import type { Case } from '../fixtures/migrate/postgresCorpus';
import { outcome, returnsRows, type ModuleLoader, type Outcome, type Row } from './migrationEquivalence';

export type Builder = { execute(): Promise<Row[]>; compile(): CompiledQuery };

/** `import { name } from 'module'` lines for what the generated code needs. */
export function importLines(imports: ImportNeed[]): string {
  return imports.map((need) => `import { ${need.name} } from '${need.module}';\n`).join('');
}

/** Wraps the generated code in a TypeScript module (its imports, then `(db, params) => code`) and imports it. */
export function loadKyselyBuilder(
  loader: ModuleLoader,
  conversion: { code: string; imports: ImportNeed[] },
): Promise<(db: Kysely<unknown>, params: unknown[]) => Builder> {
  const indented = conversion.code.replace(/\n/g, '\n  ');
  return loader.load(
    `import type { Kysely } from 'kysely';\n${importLines(conversion.imports)}\n` +
      `export default (db: Kysely<any>, params: unknown[]) =>\n  ${indented};\n`,
  );
}

/**
 * Runs the generated builder for `entry` and its check on one connection, rolled back afterwards.
 * The builder is compiled and the compiled query run by the driver, as a migrated call site does
 * (Kysely's own `execute()` on MySQL would drop RETURNING rows: its MySQL adapter does not read them).
 */
export async function runKyselyBuilder(
  db: Kysely<unknown>,
  loader: ModuleLoader,
  conversion: { code: string; imports: ImportNeed[] },
  entry: Case,
): Promise<Outcome & { compiled: string }> {
  const build = await loadKyselyBuilder(loader, conversion);
  return db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    try {
      const builder = build(connection, entry.params ?? []);
      const compiled = builder.compile();
      const { rows } = await connection.executeQuery<Row>(compiled);
      const state = entry.check ? (await sql.raw<Row>(entry.check).execute(connection)).rows : [];
      return { compiled: compiled.sql, ...outcome(entry, returnsRows(entry.sql) ? rows : [], state) };
    } finally {
      await sql`rollback`.execute(connection);
    }
  });
}
