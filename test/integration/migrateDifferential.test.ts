/**
 * Differential test of the Kysely and Knex migrations on the real PostgreSQL and MariaDB: seeded
 * random statements over the fixture schema (test/support/sqlGenerator/jsStatements.ts), each run
 * as a JavaScript application runs it and then as its migration runs it (test/support/jsDifferential.ts;
 * most through a host file that passes the SQL in a `const` or a driver config object, jsDifferentialShapes.ts).
 * Every statement is either refused or equivalent: no WRONG migration.
 * `DIFFERENTIAL_STATEMENTS` (default 1000 per dialect) sets the size; `npm run bench` runs a larger one.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { runDifferential, type DifferentialCounts } from '../support/jsDifferentialRun';
import { mysqlRunner, postgresRunner } from '../support/jsDifferential';

const statements = Number(process.env.DIFFERENTIAL_STATEMENTS ?? 1000);

function report(counts: DifferentialCounts): string {
  return Object.entries(counts)
    .map(([key, value]) => {
      const reasons = Object.entries(value.refusedBy)
        .sort(([, a], [, b]) => b - a)
        .map(([reason, count]) => `    ${count} × ${reason}`)
        .join('\n');
      const shapes = Object.entries(value.migratedByShape)
        .map(([shape, count]) => `${shape} ${count}`)
        .join(', ');
      return `${key}: generated ${value.generated}, migrated ${value.migrated} (${shapes}), refused ${value.refused}, original fails ${value.originalFails}, WRONG ${value.wrong.length}\n${reasons}`;
    })
    .join('\n');
}

function assertNoWrong(counts: DifferentialCounts): void {
  // For investigating: every WRONG migration with its code, compiled SQL and both results.
  if (process.env.DIFFERENTIAL_DUMP)
    appendFileSync(
      process.env.DIFFERENTIAL_DUMP,
      Object.values(counts)
        .flatMap((value) => value.wrong)
        .join('\n\n'),
    );
  const wrong = Object.entries(counts).flatMap(([key, value]) => value.wrong.slice(0, 3).map((w) => `${key}: ${w}`));
  assert.deepEqual(wrong, [], 'WRONG migrations');
  for (const value of Object.values(counts)) assert.ok(value.generated >= statements);
}

describe('seeded differential: Kysely and Knex migrations are refused or equivalent', () => {
  let postgres: TestDatabase;
  let mariadb: TestDatabase;
  before(async () => {
    postgres = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
    mariadb = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8'));
  });
  after(async () => {
    await postgres?.drop();
    await mariadb?.drop();
  });

  test(`PostgreSQL, ${statements} statements through client.query`, async (t) => {
    const pool = new pg.Pool({ ...pgServer, database: postgres.name, max: 1 });
    const client = await pool.connect();
    try {
      const counts = await runDifferential('postgres', postgresRunner(client), statements, 20261207);
      t.diagnostic(report(counts));
      assertNoWrong(counts);
    } finally {
      client.release();
      await pool.end();
    }
  });

  test(`MariaDB, ${statements} statements through connection.query and connection.execute`, async (t) => {
    const pool = mysql.createPool({ ...mysqlServer, database: mariadb.name, connectionLimit: 1 });
    const connection = await pool.getConnection();
    try {
      const counts = await runDifferential('mysql', mysqlRunner(connection), statements, 20261207);
      t.diagnostic(report(counts));
      assertNoWrong(counts);
    } finally {
      connection.release();
      await pool.end();
    }
  });
});
