/**
 * Runs Kysely code the generator produced, as a user's module would hold it, with the real
 * `kysely` package on one connection in a transaction that is rolled back: the builder's side of
 * the equivalence tests (PostgreSQL and MySQL alike).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { extractEmbedded } from '../../server/src/embedded/extract';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import { regionStatement } from '../../server/src/migrate/regionStatement';
import type { Dialect } from '../../server/src/schema/snapshot';
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

export interface RegionCheck {
  dialect: Dialect;
  /** TypeScript whose query calls hold SQL strings; values are taken from `hostValues`. */
  hostFile: string;
  /** Each region's SQL → 'converted', or the refusal reason it must get. */
  regionOutcomes: Record<string, RegExp | 'converted'>;
  hostValues: Record<string, unknown>;
  loader: ModuleLoader;
  db: Kysely<unknown>;
  /** Runs the SQL text and values the original host code builds, on the real database. */
  runOriginal(text: string, values: unknown[]): Promise<Row[]>;
}

/**
 * SQL strings in code: each region is converted (interpolations and the call's placeholder values
 * become builder arguments) or refused with the expected reason; a converted one must return the
 * rows the original host expression and values return.
 */
export async function checkRegionConversions(t: TestContext, check: RegionCheck): Promise<void> {
  const { hostFile, hostValues, loader } = check;
  const { regions } = await extractEmbedded('orders.ts', hostFile, { dialect: check.dialect });
  assert.deepEqual(regions.map((region) => region.text).sort(), Object.keys(check.regionOutcomes).sort());
  const scope = `{ ${Object.keys(hostValues).join(', ')} }: typeof values`;
  const declare = `const values = ${JSON.stringify(hostValues)};\n`;
  for (const region of regions) {
    const expected = check.regionOutcomes[region.text];
    const call = /\[([^\]]*)\]\);$/m.exec(hostFile.slice(region.hostEnd).split('\n')[0]);
    const placeholderValues = call ? call[1].split(',').map((value) => value.trim()) : [];
    const passed =
      placeholderValues.length > 0 ? { kind: 'positional' as const, elements: placeholderValues } : undefined;
    const statement = regionStatement(region, hostFile, passed);
    const conversion =
      'refused' in statement ? statement : await generateKysely(statement.sql, { ...statement, instance: 'db' });
    if (expected !== 'converted') {
      assert.ok('refused' in conversion, `converted instead of refused: ${region.text}`);
      assert.match(conversion.refused, expected);
      t.diagnostic(`refused ${region.text}: ${conversion.refused}`);
      continue;
    }
    assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
    // The original as the application runs it: the host expression builds the text, the call passes the values.
    const hostSql = hostFile.slice(region.hostStart, region.hostEnd);
    const original = await loader.load<(v: typeof hostValues) => { text: string; values: unknown[] }>(
      `${declare}export default (${scope}) => ({ text: ${hostSql}, values: [${placeholderValues.join(', ')}] });\n`,
    );
    const { text, values } = original(hostValues);
    const expectedRows = await check.runOriginal(text, values);
    const build = await loader.load<(db: Kysely<unknown>, v: typeof hostValues) => Builder>(
      `import type { Kysely } from 'kysely';\n${importLines(conversion.imports)}${declare}` +
        `export default (db: Kysely<any>, ${scope}) =>\n  ${conversion.code};\n`,
    );
    const actualRows = await build(check.db, hostValues).execute();
    assert.ok(expectedRows.length > 0);
    assert.deepEqual(actualRows, expectedRows, conversion.code);
  }
}
