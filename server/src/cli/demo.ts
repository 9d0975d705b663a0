import path from 'node:path';
import { parseConnection } from '../config/connectionSettings';
import { PgliteDriver } from '../db/pglite/pgliteDriver';
import { formatSnapshot } from './printSchema';

/**
 * `live-schema demo [dir]`: the embedded default end to end. Builds the project's schema in PGlite
 * from its DDL and migration files (no server needed) and prints what discovery found.
 */
export async function runDemo(args: string[]): Promise<number> {
  const root = path.resolve(args[0] ?? 'examples/shop');
  const parsed = parseConnection({ name: 'embedded', driver: 'pglite' }, process.env, 'demo');
  if ('errors' in parsed) throw new Error(parsed.errors.map((e) => `${e.key}: ${e.message}`).join('\n'));
  const driver = new PgliteDriver(parsed.connection, root);
  try {
    process.stdout.write(`Building the embedded schema from ${path.relative(process.cwd(), root) || '.'} …\n`);
    const result = await driver.discover();
    for (const warning of result.warnings) process.stdout.write(`warning: ${warning.message}\n`);
    const { snapshot } = result;
    process.stdout.write(
      `Discovered ${snapshot.schemas.length} schemas, ${snapshot.relations.length} tables and views, ` +
        `${snapshot.relations.reduce((n, r) => n + r.columns.length, 0)} columns with ${result.queryCount} catalog queries in ${Math.round(result.durationMs)} ms.\n\n`,
    );
    process.stdout.write(`${formatSnapshot(snapshot)}\n`);
    return 0;
  } finally {
    await driver.close();
  }
}
