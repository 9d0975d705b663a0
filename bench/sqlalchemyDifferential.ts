/**
 * The SQLAlchemy Core differential run at a larger size than `npm test` runs it: seeded random
 * statements per dialect, each run as the user's DB-API call before and after migration on the
 * real PostgreSQL and MariaDB. Prints generated / migrated / refused (by reason) / WRONG counts.
 */
import type { Dialect } from '../server/src/schema/snapshot';
import { createPythonFixture } from '../test/support/pythonFixture';
import { describeSummary, runSqlAlchemyDifferential } from '../test/support/sqlalchemyDifferential';

const COUNT = 5000;
const SEED = 2026;

export async function benchSqlAlchemyDifferential(): Promise<void> {
  for (const dialect of ['postgres', 'mysql'] as Dialect[]) {
    const fixture = await createPythonFixture(dialect);
    try {
      const started = performance.now();
      const summary = await runSqlAlchemyDifferential(
        dialect,
        fixture.database.name,
        fixture.schemaModule,
        SEED,
        COUNT,
      );
      for (const line of describeSummary(dialect, summary)) process.stdout.write(`${line}\n`);
      process.stdout.write(`  (seed ${SEED}, ${Math.round(performance.now() - started)} ms)\n`);
      for (const wrong of summary.wrong.slice(0, 3)) process.stdout.write(`  WRONG: ${wrong.why}\n    ${wrong.sql}\n`);
    } finally {
      await fixture.database.drop();
    }
  }
}
