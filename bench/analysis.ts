/**
 * SQL analysis throughput against its floor: statements per second through `analyzeSql` (split,
 * parse, translate, resolve against a snapshot) vs libpg-query's raw parse of the same
 * statements; then the time and peak memory to check a generated 60,000-line file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule, parseSync } from 'libpg-query';
import { parseConnection } from '../server/src/config/connectionSettings';
import { PgliteDriver } from '../server/src/db/pglite/pgliteDriver';
import type { SchemaSnapshot } from '../server/src/schema/snapshot';
import { analyzeSql } from '../server/src/sql/analyze';
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
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
