/**
 * SQL analysis throughput against its floor: statements per second through `analyzeSql` (split,
 * parse, translate, resolve against a snapshot) vs libpg-query's raw parse of the same
 * statements, on the test corpus and on a file of many similar valid statements; then the time
 * and peak memory to check a generated 60,000-line file, and a 50 MB file in a process of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule, parseSync } from 'libpg-query';
import { parseConnection } from '../server/src/config/connectionSettings';
import { PgliteDriver } from '../server/src/db/pglite/pgliteDriver';
import type { SchemaSnapshot } from '../server/src/schema/snapshot';
import { analyzeSql } from '../server/src/sql/analyze';
import { splitStatements } from '../server/src/sql/splitStatements';
import { fmt, report } from './measure';

const fixtures = fileURLToPath(new URL('../test/fixtures/sql/postgres/', import.meta.url));

async function embeddedSnapshot(): Promise<SchemaSnapshot> {
  const parsed = parseConnection({ name: 'bench', driver: 'pglite', schemaFiles: ['schema.sql'] }, {}, 'bench');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const driver = new PgliteDriver(parsed.connection, fixtures);
  try {
    return (await driver.discover()).snapshot;
  } finally {
    await driver.close();
  }
}

export async function benchAnalysis(): Promise<void> {
  await loadModule();
  const snapshot = await embeddedSnapshot();
  const corpus = ['valid.txt', 'mistakes.txt']
    .flatMap((f) => readFileSync(path.join(fixtures, f), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '');
  const statements = Array.from({ length: 20 }, () => corpus).flat();

  // Warm both paths so the JIT and the WASM module are measured hot.
  for (const s of corpus) {
    try {
      parseSync(s);
    } catch {
      // syntax errors are part of the corpus
    }
  }
  await analyzeSql(corpus.join(';\n'), { dialect: 'postgres', snapshot });

  // Alternating rounds, medians: the machine is shared, single runs swing by 2×. Each statement
  // is analysed on its own, as the parser parses it (joined, a corpus mistake such as an
  // unterminated quote would swallow the statements after it).
  const raw: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < 7; round++) {
    let started = performance.now();
    for (const s of statements) {
      try {
        parseSync(s);
      } catch {
        // syntax errors are part of the corpus
      }
    }
    raw.push(statements.length / ((performance.now() - started) / 1000));
    started = performance.now();
    for (const s of statements) await analyzeSql(s, { dialect: 'postgres', snapshot });
    ours.push(statements.length / ((performance.now() - started) / 1000));
  }
  const rawPerSecond = median(raw);
  const oursPerSecond = median(ours);
  report(`raw libpg-query parse (${fmt(statements.length)} statements)`, `${fmt(rawPerSecond)} stmt/s`);
  report('analyzeSql (split, parse, resolve)', `${fmt(oursPerSecond)} stmt/s`);
  report('ratio to the parser floor', `${fmt((oursPerSecond / rawPerSecond) * 100, 1)} %`, 'goal ≥ 50 %');
  await similarStatements(corpus.slice(0, 123), snapshot);

  // A 60,000-line file: statements laid out over three lines each.
  const valid = corpus.slice(0, 120).map((s) => s.replace(/ from /i, '\n  from ').replace(/ where /i, '\n  where '));
  const lines: string[] = [];
  for (let i = 0; lines.length < 60_000; i++) lines.push(...`${valid[i % valid.length]};`.split('\n'));
  const file = lines.slice(0, 60_000).join('\n');
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  const checked = await analyzeSql(file, { dialect: 'postgres', snapshot });
  const seconds = (performance.now() - started) / 1000;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1048576;
  const afterMb = process.memoryUsage.rss() / 1048576;
  report('60,000-line file', `${fmt(seconds, 2)} s`, 'goal < 3 s');
  report('  statements / findings', `${fmt(checked.statements.length)} / ${fmt(checked.findings.length)}`);
  // The process also holds the PGlite that built the snapshot; the growth is what checking cost.
  report(
    '  RSS before → after checking',
    `${fmt(rssBefore / 1048576)} → ${fmt(afterMb)} MB`,
    `process peak ${fmt(peakMb)} MB`,
  );
  hugeFile(snapshot);
}

/**
 * The realistic large file: thousands of similar valid statements, checked as one file, against
 * the raw parse of the same statements one by one.
 */
async function similarStatements(valid: string[], snapshot: SchemaSnapshot): Promise<void> {
  const statements = Array.from({ length: 10_000 }, (_, i) => valid[i % valid.length].replace(/\b1\b/, String(i)));
  const file = statements.join(';\n');
  const raw: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < 5; round++) {
    let started = performance.now();
    for (const s of statements) parseSync(s);
    raw.push(statements.length / ((performance.now() - started) / 1000));
    started = performance.now();
    await analyzeSql(file, { dialect: 'postgres', snapshot });
    ours.push(statements.length / ((performance.now() - started) / 1000));
  }
  report('10,000 similar valid statements, one file', `${fmt(median(ours))} stmt/s`);
  report('  ratio to the parser floor', `${fmt((median(ours) / median(raw)) * 100, 1)} %`, 'goal ≥ 50 %');
}

/**
 * A 50 MB file (one statement in ten a mistake) checked with the defaults the language server and
 * the CLI use, in a child process so that its peak RSS is the analysis's, not this process's.
 */
function hugeFile(snapshot: SchemaSnapshot): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-bench-'));
  try {
    const snapshotFile = path.join(dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const child = `import(${JSON.stringify(fileURLToPath(import.meta.url))}).then((m) => m.checkHugeFile(process.argv[1]))`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, snapshotFile], {
      encoding: 'utf8',
    });
    const figures = JSON.parse(out) as Record<string, number>;
    report('50 MB file (default time budget)', `${fmt(figures.seconds, 1)} s`);
    report(
      '  statements analysed / not checked',
      `${fmt(figures.analysed)} / ${fmt(figures.statements - figures.analysed)}`,
    );
    report('  findings kept / left out by the cap', `${fmt(figures.kept)} / ${fmt(figures.omitted)}`);
    report(
      '  RSS with the text loaded → peak',
      `${fmt(figures.rssBeforeMb)} → ${fmt(figures.peakMb)} MB`,
      'goal: a few hundred MB',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child side of `hugeFile`: prints its figures as JSON. */
export async function checkHugeFile(snapshotFile: string): Promise<void> {
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as SchemaSnapshot;
  const read = (f: string): string[] =>
    readFileSync(path.join(fixtures, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  const valid = read('valid.txt');
  // Unterminated quotes would swallow the rest of the file.
  const mistakes = read('mistakes.txt').filter((l) => (l.match(/'/g) ?? []).length % 2 === 0 && !l.includes('$$'));
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 50 * 1_048_576; i++) {
    const statement = `${i % 10 === 0 ? mistakes[i % mistakes.length] : valid[i % valid.length]};\n`;
    parts.push(statement);
    size += statement.length;
  }
  const text = parts.join('');
  parts.length = 0;
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  const result = await analyzeSql(text, { dialect: 'postgres', snapshot });
  const seconds = (performance.now() - started) / 1000;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1_048_576;
  // When the time budget runs out, the last result stands for all statements from there on.
  const last = result.statements[result.statements.length - 1];
  const analysed = result.statements.length - (last && !last.checked ? 1 : 0);
  process.stdout.write(
    JSON.stringify({
      seconds,
      statements: splitStatements(text, 'postgres').length,
      analysed,
      kept: result.findings.length,
      omitted: result.omitted?.findings ?? 0,
      rssBeforeMb: rssBefore / 1_048_576,
      peakMb,
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
