/**
 * Runs Knex code the generator produced, as a user's module would hold it, with the real `knex`
 * package in a transaction that is rolled back: the builder's side of the Knex equivalence tests
 * (PostgreSQL and MySQL alike). Also the corpus loop both Knex tests share.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import type { Knex } from 'knex';
import ts from 'typescript';
import type { Dialect } from '../../server/src/schema/snapshot';
import { convertSqlToKnex } from '../../server/src/migrate/knex/generateKnex';
import type { Case } from '../fixtures/migrate/postgresCorpus';
import { outcome, returnsRows, shape, type ModuleLoader, type Outcome, type Row } from './migrationEquivalence';

/** Converts `entry` with `$n`/`?` standing for `params[n - 1]` and the instance called `knex`. */
export function convertCase(entry: Case, dialect: Dialect) {
  const parameters = (entry.params ?? []).map((_, index) => `params[${index}]`);
  return convertSqlToKnex(entry.sql, { dialect, parameters, valuesOnly: false, instance: 'knex' });
}

/** Rows of `knex.raw` results: pg gives `{ rows }`, mysql2 gives `[rows, fields]`. */
function rawRows(result: unknown): Row[] {
  return Array.isArray(result) ? (result[0] as Row[]) : (result as { rows: Row[] }).rows;
}

/** Runs the generated builder for `entry` and its check in one transaction, rolled back afterwards. */
export async function runKnexBuilder(
  db: Knex,
  loader: ModuleLoader,
  code: string,
  entry: Case,
): Promise<Outcome & { compiled: string }> {
  const build = await loader.load<(knex: Knex, params: unknown[]) => Knex.QueryBuilder>(
    `import type { Knex } from 'knex';\n\nexport default (knex: Knex, params: unknown[]) =>\n  ${code.replace(/\n/g, '\n  ')};\n`,
  );
  const trx = await db.transaction();
  try {
    const builder = build(trx, entry.params ?? []);
    const compiled = builder.toSQL().toNative().sql;
    const rows = (await builder) as unknown;
    const state = entry.check ? rawRows(await trx.raw(entry.check)) : [];
    const hasRows = returnsRows(entry.sql) || /^\s*with\b/i.test(entry.sql);
    return { compiled, ...outcome(entry, hasRows ? (rows as Row[]) : [], state) };
  } finally {
    await trx.rollback();
  }
}

/**
 * `shape` without ASC, which Knex writes on every ORDER BY item; an INSERT's tokens are compared
 * as a sorted list, since Knex sorts the inserted columns by name.
 */
export function knexShape(sql: string): string {
  const tokens = shape(sql)
    .split(' ')
    .filter((token) => token !== 'asc');
  return (tokens[0] === 'insert' ? tokens.sort() : tokens).join(' ');
}

/**
 * TypeScript's errors for generated code placed in a user's module (`(knex: Knex) => code`),
 * checked against the `knex` package's own typings: a migration must not break the build.
 */
export function knexTypeErrors(snippets: string[]): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'ls-knex-types-'));
  try {
    const file = join(directory, 'generated.ts');
    const queries = snippets.map((code, index) => `export const query${index} = (knex: Knex) =>\n  ${code};`);
    // The host expressions keep the types they have in the user's code: `any` stands for all of them.
    const header = ["import type { Knex } from 'knex';", 'declare const params: any[];'];
    writeFileSync(file, [...header, ...queries].join('\n\n'));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      paths: { knex: [resolve('node_modules/knex/types/index.d.ts')] },
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const line = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? 0;
      const source = diagnostic.file?.text.split('\n')[line] ?? '';
      return `${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} — ${source.trim()}`;
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export interface CorpusExpectations {
  /** Statements Knex cannot express, with the reason the refusal must give. */
  refused: Record<string, RegExp>;
  /** Statements Knex writes differently (flipped, expanded, columns sorted): compared by rows only. */
  spelledDifferently: Set<string>;
}

/**
 * Every statement of `corpus` is either refused with the expected reason or converted into code that
 * returns the same rows and leaves the same table state as the original, and compiles to the same
 * statement shape unless listed as spelled differently; all the converted code type-checks.
 * Returns the converted and refused counts.
 */
export async function checkCorpus(
  t: TestContext,
  corpus: Case[],
  dialect: Dialect,
  expectations: CorpusExpectations,
  run: {
    original(entry: Case): Promise<Outcome>;
    builder(code: string, entry: Case): ReturnType<typeof runKnexBuilder>;
  },
): Promise<{ converted: number; refused: number }> {
  const sqls = new Set(corpus.map((entry) => entry.sql));
  const stale = [...Object.keys(expectations.refused), ...expectations.spelledDifferently].filter(
    (sql) => !sqls.has(sql),
  );
  assert.deepEqual(stale, [], 'expectations name statements the corpus no longer has');
  let refused = 0;
  const generated: string[] = [];
  for (const entry of corpus) {
    await t.test(entry.sql, async (st) => {
      const conversion = await convertCase(entry, dialect);
      const reason = expectations.refused[entry.sql];
      if (reason) {
        assert.ok(
          'refused' in conversion,
          `converted instead of refused:\n${'code' in conversion ? conversion.code : ''}`,
        );
        assert.match(conversion.refused, reason);
        st.diagnostic(`refused: ${conversion.refused}`);
        refused++;
        return;
      }
      assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
      const expected = await run.original(entry);
      const actual = await run.builder(conversion.code, entry);
      assert.deepEqual(
        actual.rows,
        expected.rows,
        `rows differ for:\n${conversion.code}\ncompiled: ${actual.compiled}`,
      );
      assert.deepEqual(actual.state, expected.state, `table state differs for:\n${conversion.code}`);
      if (!expectations.spelledDifferently.has(entry.sql))
        assert.equal(knexShape(actual.compiled), knexShape(entry.sql), `compiled SQL: ${actual.compiled}`);
      generated.push(conversion.code);
    });
  }
  await t.test('the generated code type-checks against the knex typings', () => {
    assert.deepEqual(knexTypeErrors(generated), []);
  });
  return { converted: generated.length, refused };
}
