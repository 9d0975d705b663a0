/**
 * Differential test of SQL → SQLAlchemy Core migrations on the real PostgreSQL and MariaDB:
 * 1,000 seeded random statements per dialect (nested arithmetic and boolean precedence, NULL,
 * IN/NOT IN, LIKE with escapes, CASE, COALESCE, aggregates, joins, subqueries, LIMIT/OFFSET,
 * INSERT/UPDATE/DELETE; literals of every kind; `%s` and `%(name)s` parameters with Python values)
 * run as the user's DB-API call before and after migration. Each migration is refused or equivalent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Dialect } from '../../server/src/schema/snapshot';
import { createPythonFixture, type PythonFixture } from '../support/pythonFixture';
import { describeSummary, runSqlAlchemyDifferential } from '../support/sqlalchemyDifferential';

const SEED = 20;
const COUNT = 1000;

for (const dialect of ['postgres', 'mysql'] as Dialect[]) {
  describe(`random statements → SQLAlchemy Core on the real ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let fixture: PythonFixture;
    before(async () => {
      fixture = await createPythonFixture(dialect);
    });
    after(() => fixture?.database.drop());

    test(`${COUNT} statements (seed ${SEED}): every migration is refused or gives the user's code the same`, async (t) => {
      const summary = await runSqlAlchemyDifferential(
        dialect,
        fixture.database.name,
        fixture.schemaModule,
        SEED,
        COUNT,
      );
      for (const line of describeSummary(dialect, summary)) t.diagnostic(line);
      const shown = summary.wrong
        .slice(0, 5)
        .map((w) => `${w.why}\n  ${w.sql}\n  ${w.code ?? ''}\n  sent: ${w.sent ?? ''}`)
        .join('\n\n');
      assert.equal(summary.wrong.length, 0, `WRONG migrations:\n${shown}`);
      // A generator that refused nearly everything would pass vacuously.
      assert.ok(summary.migrated >= COUNT / 2, `only ${summary.migrated} of ${COUNT} statements were migrated`);
    });
  });
}
