/**
 * Measurement (not a test): the oracle corpora's statements wrapped in TypeScript and Python
 * query calls, checked by the built `live-schema check` against the same database; counts the
 * error findings on statements the database accepts (false errors) and on those it rejects.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createMysqlDatabase, createPostgresDatabase, mysqlServer, pgServer } from './support/databases';
import { databaseVerdicts, loadCorpus, oracleSchema } from './fixtures/sql/mysql/oracle';

const CLI = path.resolve('server/out/cli.js');

interface Item { text: string; accepted: boolean }

function wrap(items: Item[], dir: string): { ts: string; py: string; tsLines: number[]; pyLines: number[] } {
  const ts: string[] = ["import { pool } from './db';", ''];
  const py: string[] = ['def run(cur):'];
  const tsLines: number[] = [];
  const pyLines: number[] = [];
  for (const item of items) {
    const text = item.text.replace(/;\s*$/, '');
    tsLines.push(ts.length + 1);
    ts.push(`await pool.query(\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\`);`);
    pyLines.push(py.length + 1);
    py.push(`    cur.execute("""${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}""")`);
  }
  writeFileSync(path.join(dir, 'queries.ts'), ts.join('\n') + '\n');
  writeFileSync(path.join(dir, 'queries.py'), py.join('\n') + '\n');
  return { ts: 'queries.ts', py: 'queries.py', tsLines, pyLines };
}

function check(dir: string, url: string, live: boolean) {
  let out = '';
  try {
    out = execFileSync(process.execPath, [CLI, 'check', '.', '--url', url, '--format', 'json', ...(live ? [] : ['--config', path.join(dir, 'off.json')])], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  }
  return JSON.parse(out) as { findings: { file: string; line: number; code: string; severity: string; message: string }[] };
}

function count(items: Item[], layout: ReturnType<typeof wrap>, report: ReturnType<typeof check>) {
  const result = { statements: items.length, accepted: 0, rejected: 0, falseErrors: 0, falseErrorSamples: [] as string[], rejectedFound: 0 };
  for (const [file, lines] of [[layout.ts, layout.tsLines], [layout.py, layout.pyLines]] as const) {
    items.forEach((item, i) => {
      const first = lines[i];
      const last = (lines[i + 1] ?? Infinity) - 1;
      const errors = report.findings.filter((f) => f.file === file && f.line >= first && f.line <= last && f.severity === 'error');
      if (item.accepted) {
        result.accepted++;
        if (errors.length) { result.falseErrors++; if (result.falseErrorSamples.length < 8) result.falseErrorSamples.push(`${file}: ${item.text.slice(0, 120)} → ${errors[0].code}: ${errors[0].message.slice(0, 160)}`); }
      } else {
        result.rejected++;
        if (errors.length) result.rejectedFound++;
      }
    });
  }
  return result;
}

async function postgres() {
  const fixture = (n: string) => readFileSync(`test/fixtures/sql/postgres/${n}`, 'utf8');
  const db = await createPostgresDatabase(fixture('schema.sql'));
  const client = new pg.Client({ ...pgServer, database: db.name });
  await client.connect();
  const items: Item[] = [];
  for (const line of [...fixture('valid.txt').split('\n'), ...fixture('mistakes.txt').split('\n')]) {
    if (line.trim() === '' || line.startsWith('--')) continue;
    await client.query('BEGIN');
    let accepted = true;
    try { await client.query(line); } catch { accepted = false; }
    await client.query('ROLLBACK');
    items.push({ text: line, accepted });
  }
  await client.end();
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-oracle-code-pg-'));
  writeFileSync(path.join(dir, 'off.json'), JSON.stringify({ liveSchema: { validation: { liveCheck: false } } }));
  const layout = wrap(items, dir);
  const url = `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`;
  for (const live of [true, false]) console.log('PostgreSQL', live ? 'live' : 'offline', JSON.stringify(count(items, layout, check(dir, url, live)), null, 1));
  rmSync(dir, { recursive: true, force: true });
  await db.drop();
}

async function mariadb() {
  const main = await createMysqlDatabase();
  const audit = await createMysqlDatabase();
  const names = { main: main.name, audit: audit.name };
  await main.admin(oracleSchema(names));
  const corpus = loadCorpus(names);
  const verdicts = await databaseVerdicts(corpus, names);
  const items = corpus.map((s, i) => ({ text: s.text, accepted: verdicts[i].accepted }));
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-oracle-code-my-'));
  writeFileSync(path.join(dir, 'off.json'), JSON.stringify({ liveSchema: { validation: { liveCheck: false } } }));
  const layout = wrap(items, dir);
  const url = `mysql://${mysqlServer.user}@${mysqlServer.host}:${mysqlServer.port}/${main.name}`;
  for (const live of [true, false]) console.log('MariaDB', live ? 'live' : 'offline', JSON.stringify(count(items, layout, check(dir, url, live)), null, 1));
  rmSync(dir, { recursive: true, force: true });
  await main.drop();
  await audit.drop();
}

await postgres();
await mariadb();
