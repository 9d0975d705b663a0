import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { PgliteDriver } from '../db/pglite/pgliteDriver';
import { analyzeRegions } from '../embedded/analyzeRegions';
import { extractEmbedded } from '../embedded/extract';
import type { SchemaSnapshot } from '../schema/snapshot';
import { analyzeSql } from '../sql/analyze';
import { formatSnapshot } from './printSchema';
import { formatText, lineStarts, type FileResult, type ReportedFinding } from './report';
import { embeddedConnection } from '../engine/defaultConnection';
import { describeDiscoveryWarning } from '../engine/discoveryWarnings';

/**
 * `live-schema demo [dir]`: the embedded default end to end. Builds the project's schema in PGlite
 * from its DDL and migration files (no server needed), prints what discovery found, then checks
 * the project's `.sql` files and the SQL inside its TypeScript, JavaScript and Python files.
 */
export async function runDemo(args: string[]): Promise<number> {
  const root = path.resolve(args[0] ?? 'examples/shop');
  const driver = new PgliteDriver(embeddedConnection(), root);
  const shown = path.relative(process.cwd(), root) || '.';
  try {
    process.stdout.write(`Building the embedded schema from ${shown} …\n`);
    const result = await driver.discover();
    for (const warning of result.warnings) process.stdout.write(`${describeDiscoveryWarning(warning)}\n`);
    const { snapshot } = result;
    process.stdout.write(
      `Discovered ${snapshot.schemas.length} schemas, ${snapshot.relations.length} tables and views, ` +
        `${snapshot.relations.reduce((n, r) => n + r.columns.length, 0)} columns with ${result.queryCount} catalog queries in ${Math.round(result.durationMs)} ms.\n\n`,
    );
    process.stdout.write(`${formatSnapshot(snapshot)}\n\n`);
    const results = await checkProject(root, snapshot);
    process.stdout.write(`Checking ${shown} against that schema …\n${formatText(results)}`);
    return 0;
  } finally {
    await driver.close();
  }
}

/** Every `.sql` file outside the schema folders, and every TS/JS/Python file, with its findings. */
async function checkProject(root: string, snapshot: SchemaSnapshot): Promise<FileResult[]> {
  const files = await glob(['**/*.sql', '**/*.{ts,tsx,js,jsx,mjs,cjs,py}'], {
    cwd: root,
    ignore: ['**/node_modules/**', 'schema.sql', 'db/**', 'migrations/**'],
  });
  files.sort();
  const results: FileResult[] = [];
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    let findings: ReportedFinding[];
    if (file.endsWith('.sql')) {
      findings = (await analyzeSql(text, { dialect: snapshot.dialect, snapshot })).findings;
    } else {
      const extraction = await extractEmbedded(file, text, { dialect: snapshot.dialect, snapshot });
      findings = [...(await analyzeRegions(extraction.regions, { snapshot })), ...extraction.dependencies];
      findings.sort((a, b) => a.start - b.start);
    }
    results.push({ file: path.join(path.relative(process.cwd(), root), file), lines: lineStarts(text), findings });
  }
  return results;
}
