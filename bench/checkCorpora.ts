/**
 * `node --import tsx bench/checkCorpora.ts` (after `npm run build`): the false errors of the
 * built `live-schema check` on the oracle corpora. Every statement the database itself accepts
 * (PostgreSQL: PREPARE; MariaDB: `databaseVerdicts`) is written as a `.sql` statement, as a
 * TypeScript `db.query('…')` and as a Python `cur.execute("…")`, and the CLI checks the folder
 * against the same database; any error finding is a false error. Prints the figures, asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseVerdicts, loadCorpus, oracleSchema } from '../test/fixtures/sql/mysql/oracle';
import { createMysqlDatabase, createPostgresDatabase, mysqlServer, pgServer } from '../test/support/databases';

const CLI = path.resolve(import.meta.dirname, '../server/out/cli.js');

/** Writes the accepted statements in the three host forms and runs the CLI; returns error findings per form. */
function falseErrors(statements: string[], url: string, dialect: 'postgres' | 'mysql') {
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-corpora-'));
  try {
    writeFileSync(path.join(dir, 'corpus.sql'), statements.map((s) => `${s.replace(/;\s*$/, '')};`).join('\n'));
    const quoted = (s: string) => JSON.stringify(s.replace(/;\s*$/, ''));
    // In code only what sits in a double-quoted literal of every host unchanged (no escapes, no `${`).
    const plain = statements.filter((s) => !/["\\\n`$]/.test(s));
    writeFileSync(
      path.join(dir, 'corpus.ts'),
      plain.map((s, i) => `export const q${i} = (db: any) => db.query(${quoted(s)});`).join('\n'),
    );
    writeFileSync(
      path.join(dir, 'corpus.py'),
      plain.map((s, i) => `def q${i}(cur):\n    cur.execute(${quoted(s)})\n`).join('\n'),
    );
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, [CLI, 'check', '.', '--url', url, '--format', 'json'], {
        cwd: dir,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, LIVE_SCHEMA_PASSWORD: dialect === 'mysql' ? mysqlServer.password : '' },
      }).toString();
    } catch (error) {
      stdout = (error as { stdout: Buffer }).stdout.toString();
    }
    const report = JSON.parse(stdout) as {
      findings: { file: string; severity: string; code: string; message: string }[];
    };
    const errors = report.findings.filter((f) => f.severity === 'error');
    return { sql: statements.length, code: plain.length, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres() {
  const fixture = (name: string) =>
    readFileSync(new URL(`../test/fixtures/sql/postgres/${name}`, import.meta.url), 'utf8');
  const corpus = ['valid.txt', 'mistakes.txt', 'typesAndFunctions.txt']
    .flatMap((name) => fixture(name).split('\n'))
    .filter((line) => line.trim() !== '' && !line.startsWith('--'));
  const db = await createPostgresDatabase(fixture('schema.sql'));
  const client = new pg.Client({ ...pgServer, database: db.name });
  await client.connect();
  const accepted: string[] = [];
  try {
    for (const statement of corpus) {
      await client.query('BEGIN');
      try {
        const preparable = /^\s*(select|insert|update|delete|with|values)\b/i.test(statement);
        await client.query(preparable ? `PREPARE oracle_stmt AS ${statement}` : statement);
        accepted.push(statement);
      } catch {
        // Rejected by PostgreSQL: not part of the false-error count.
      } finally {
        await client.query('ROLLBACK');
        await client.query('DEALLOCATE ALL');
      }
    }
    const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
    return { corpus: corpus.length, ...falseErrors(accepted, url, 'postgres') };
  } finally {
    await client.end();
    await db.drop();
  }
}

async function mariadb() {
  const audit = await createMysqlDatabase();
  const main = await createMysqlDatabase();
  const names = { main: main.name, audit: audit.name };
  try {
    await main.admin(oracleSchema(names));
    const corpus = loadCorpus(names);
    const verdicts = await databaseVerdicts(corpus, names);
    const accepted = corpus.filter((_, i) => verdicts[i]?.accepted).map((s) => s.text);
    const url = `mysql://${mysqlServer.user}@${mysqlServer.host}:${mysqlServer.port}/${main.name}`;
    return { corpus: corpus.length, ...falseErrors(accepted, url, 'mysql') };
  } finally {
    await main.drop();
    await audit.drop();
  }
}

for (const [name, measure] of [
  ['PostgreSQL', postgres],
  ['MariaDB', mariadb],
] as const) {
  const r = await measure();
  console.log(
    `${name}: ${r.corpus} corpus statements, ${r.sql} accepted by the database; checked as .sql (${r.sql}) and in TypeScript and Python (${r.code} each): ${r.errors.length} false errors`,
  );
  for (const e of r.errors) console.log(`  ${e.file}: ${e.code} ${e.message}`);
}
