/**
 * Planning migrations: a TypeScript file and a Python file with one query call per statement of
 * the PostgreSQL equivalence corpus (93 calls each), migrated whole to Kysely, Knex and SQLAlchemy
 * Core, and the plan behind one "Migrate to …" code action. The floor is extracting the file's
 * SQL regions alone (what every diagnostic pass already does): the ratio says what converting and
 * rewriting add. Goal: a code action answers well inside a keystroke (< 50 ms).
 */
import { extractEmbedded } from '../server/src/embedded/extract';
import type { BuilderTarget } from '../server/src/migrate/builderTarget';
import { planFileMigration } from '../server/src/migrate/planMigration';
import { postgresCorpus } from '../test/fixtures/migrate/postgresCorpus';
import { fmt, medianMs, report } from './measure';

function typescriptHost(): string {
  const functions = postgresCorpus.map((entry, i) => {
    const values = (entry.params ?? []).map((_, p) => `p${p}`);
    const args = values.length > 0 ? `, [${values.join(', ')}]` : '';
    return [
      `export async function query${i}(${values.map((v) => `${v}: unknown`).join(', ')}) {`,
      `  const { rows } = await pool.query(${JSON.stringify(entry.sql)}${args});`,
      '  return rows;',
      '}',
    ].join('\n');
  });
  return `import { pool } from './pool';\n\n${functions.join('\n\n')}\n`;
}

function pythonHost(): string {
  const functions = postgresCorpus.map((entry, i) => {
    const values = (entry.params ?? []).map((_, p) => `p${p}`);
    const sql = entry.sql.replace(/\$\d+/g, '%s').replace(/%(?!s)/g, '%%');
    const args = values.length > 0 ? `, (${values.join(', ')},)` : '';
    return [
      `def query${i}(cur${values.map((v) => `, ${v}`).join('')}):`,
      `    cur.execute(${JSON.stringify(sql)}${args})`,
      '    return cur.fetchall()',
    ].join('\n');
  });
  return `${functions.join('\n\n\n')}\n`;
}

export async function benchMigrations(): Promise<void> {
  const files = { typescript: typescriptHost(), python: pythonHost() };
  process.stdout.write(`\nMigration planning, ${postgresCorpus.length} query calls per file (PostgreSQL corpus)\n`);
  // The Python grammar and libpg-query load once per process, before the clock starts, as in a server.
  await extractEmbedded('warm.py', 'x = 1\n', { dialect: 'postgres' });
  await planFileMigration({
    file: 'warm.ts',
    fileName: '/bench/warm.ts',
    text: "async function f() { await pool.query('select 1'); }\n",
    dialect: 'postgres',
    target: 'kysely',
    instance: 'db',
  });

  const targets: [BuilderTarget, 'typescript' | 'python', string][] = [
    ['kysely', 'typescript', 'db'],
    ['knex', 'typescript', 'knex'],
    ['sqlalchemy', 'python', 'db_schema'],
  ];
  for (const [target, language, instance] of targets) {
    const text = files[language];
    const fileName = `/bench/queries.${language === 'python' ? 'py' : 'ts'}`;
    const request = { file: 'queries', fileName, text, dialect: 'postgres' as const, target, instance };
    await planFileMigration(request); // warm: the first run of a file compiles the code paths it takes
    const floor = await medianMs(5, () => extractEmbedded(fileName, text, { dialect: 'postgres' }));
    let converted = 0;
    let refused = 0;
    const whole = await medianMs(5, async () => {
      const plan = await planFileMigration(request);
      converted = plan.converted;
      refused = plan.refusals.length;
    });
    const at = text.indexOf('select', Math.floor(text.length / 2));
    const one = await medianMs(9, () => planFileMigration({ ...request, at }));
    report(
      `${target}: whole file`,
      `${fmt(whole, 1)} ms`,
      `${fmt(whole / floor, 1)}× extraction (${fmt(floor, 1)} ms)`,
    );
    report(`${target}: per query call`, `${fmt(whole / postgresCorpus.length, 2)} ms`);
    report(`${target}: converted / refused`, `${converted} / ${refused}`);
    report(`${target}: one code action (plan at the cursor)`, `${fmt(one, 1)} ms`, 'goal < 50 ms');
  }
}
