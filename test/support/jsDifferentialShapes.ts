/**
 * Seeded statements in the call shapes applications write around them, run as the user's file
 * runs them: a host file (`async function run(client, params) { … }`) passes the SQL through a
 * `const` read once, or a driver config object (node-postgres `{ text, values }`, mysql2
 * `{ sql, values }`, shorthand or inline), to its own driver method. The planner migrates the
 * file; the original and the migrated function are each evaluated (`.ts` with its types stripped)
 * and called with the real driver connection, and what they return is compared.
 */
import { sql as kyselySql, type Kysely } from 'kysely';
import type { Knex } from 'knex';
import ts from 'typescript';
import { planFileMigration } from '../../server/src/migrate/planMigration';
import type { DriverMethod, HostLanguage, JsTarget, Runner, Verdict } from './jsDifferential';
import type { GeneratedStatement } from './sqlGenerator/jsStatements';

export const CALL_SHAPES = ['const', 'config', 'inline config'] as const;
export type CallShape = (typeof CALL_SHAPES)[number];

/** The host file of `statement` in `shape`, calling `method` (`client.query`, `connection.execute`, …). */
export function hostFile(
  statement: GeneratedStatement,
  shape: CallShape,
  method: DriverMethod,
  language: HostLanguage,
  dialect: Runner['dialect'],
): string {
  const [driver, call] = method.split('.');
  const text = JSON.stringify(statement.sql);
  const values = `[${statement.hostValues.map((_, index) => `params[${index}]`).join(', ')}]`;
  const key = dialect === 'postgres' ? 'text' : 'sql';
  const signature = language === 'typescript' ? `${driver}: any, params: unknown[]` : `${driver}, params`;
  const body =
    shape === 'const'
      ? [`const query = ${text};`, `return ${driver}.${call}(query, ${values});`]
      : shape === 'config'
        ? [`const ${key} = ${text};`, `const values = ${values};`, `return ${driver}.${call}({ ${key}, values });`]
        : [`return ${driver}.${call}({ ${key}: ${text}, values: ${values} });`];
  return [`async function run(${signature}) {`, ...body.map((line) => `  ${line}`), '}', ''].join('\n');
}

/** The host file's `run`, evaluated as the user's module would run it, with the builder instances in scope. */
function evaluate(
  source: string,
  language: HostLanguage,
  instances: { kysely: Kysely<unknown>; knex: Knex },
): (driver: unknown, params: unknown[]) => Promise<unknown> {
  // The migration imports `sql` from kysely where it uses it: here it is in scope already.
  const withoutImports = source.replace(/^import \{ sql \} from 'kysely';\n/m, '');
  const javascript =
    language === 'javascript' ? withoutImports : ts.transpile(withoutImports, { target: ts.ScriptTarget.ES2022 });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the user's migrated file is the point
  const define = new Function('db', 'knex', 'sql', `${javascript}\nreturn run;`) as (
    ...args: unknown[]
  ) => (driver: unknown, params: unknown[]) => Promise<unknown>;
  return define(instances.kysely, instances.knex, kyselySql);
}

/** Runs the original host file: what the user's code receives before any migration. */
export function runHostFile(
  source: string,
  language: HostLanguage,
  statement: GeneratedStatement,
  runner: Runner,
  instances: { kysely: Kysely<unknown>; knex: Knex },
) {
  const run = evaluate(source, language, instances);
  return runner.runCall((driver) => run(driver, statement.hostValues), statement.check, statement.ordered);
}

/** Migrates the host file for `target` and compares what its call returns with `original`. */
export async function checkHostedStatement(
  statement: GeneratedStatement,
  source: string,
  target: JsTarget,
  language: HostLanguage,
  runner: Runner,
  instances: { kysely: Kysely<unknown>; knex: Knex },
  original: Awaited<ReturnType<Runner['runCall']>>,
): Promise<Verdict> {
  const extension = language === 'javascript' ? 'js' : 'ts';
  const plan = await planFileMigration({
    file: `host.${extension}`,
    fileName: `/project/host.${extension}`,
    text: source,
    dialect: runner.dialect,
    target,
    instance: target === 'kysely' ? 'db' : 'knex',
  });
  if (plan.converted === 0) return { outcome: 'refused', reason: plan.refusals[0]?.reason ?? 'no call found' };
  const migrated = [...plan.edits]
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.newText + text.slice(edit.end), source);
  let result: Awaited<ReturnType<Runner['runCall']>>;
  try {
    result = await runHostFile(migrated, language, statement, runner, instances);
  } catch (error) {
    return { outcome: 'wrong', detail: `the migrated file throws: ${(error as Error).message}\n${migrated}` };
  }
  if ('error' in original) {
    return 'error' in result
      ? { outcome: 'original fails' }
      : { outcome: 'wrong', detail: `the original fails (${original.error}), the migration does not\n${migrated}` };
  }
  const expected = JSON.stringify(original);
  const actual = JSON.stringify(result);
  if (expected === actual) return { outcome: 'equivalent' };
  return { outcome: 'wrong', detail: `${migrated}\nexpected ${expected}\nactual   ${actual}` };
}
