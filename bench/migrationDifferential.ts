/**
 * The seeded differential run of the Kysely and Knex migrations at a larger size than `npm test`
 * (test/integration/migrateDifferential.test.ts): per target and dialect, statements generated,
 * migrated, refused by reason, and WRONG ones. Needs the PostgreSQL and MariaDB of shared/services.md.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMysqlDatabase, createPostgresDatabase, mysqlServer, pgServer } from '../test/support/databases';
import { mysqlRunner, postgresRunner } from '../test/support/jsDifferential';
import { runDifferential, type DifferentialCounts } from '../test/support/jsDifferentialRun';

function print(counts: DifferentialCounts): void {
  for (const [key, value] of Object.entries(counts)) {
    process.stdout.write(
      `${key}: generated ${value.generated}, migrated ${value.migrated} (${Object.entries(value.migratedByShape)
        .map(([shape, count]) => `${shape} ${count}`)
        .join(', ')}), refused ${value.refused}, WRONG ${value.wrong.length}\n`,
    );
    for (const [reason, count] of Object.entries(value.refusedBy).sort(([, a], [, b]) => b - a))
      process.stdout.write(`    ${count} × ${reason}\n`);
    for (const wrong of value.wrong.slice(0, 5)) process.stdout.write(`  WRONG ${wrong}\n`);
  }
}

export async function benchMigrationDifferential(statements = 5000): Promise<void> {
  const postgres = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
  const pool = new pg.Pool({ ...pgServer, database: postgres.name, max: 1 });
  const client = await pool.connect();
  try {
    print(await runDifferential('postgres', postgresRunner(client), statements, 7));
  } finally {
    client.release();
    await pool.end();
    await postgres.drop();
  }
  const mariadb = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8'));
  const mysqlPool = mysql.createPool({ ...mysqlServer, database: mariadb.name, connectionLimit: 1 });
  const connection = await mysqlPool.getConnection();
  try {
    print(await runDifferential('mysql', mysqlRunner(connection), statements, 7));
  } finally {
    connection.release();
    await mysqlPool.end();
    await mariadb.drop();
  }
}
