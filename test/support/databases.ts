import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Real databases for integration tests. Each call creates a database named `ls_test_<unique>` on the
 * servers README's "Testing" section describes (overridable with PGHOST/PGPORT/PGUSER and MYSQL_HOST/MYSQL_PORT/
 * MYSQL_USER/MYSQL_PASSWORD) and returns a `drop` that removes it. A missing server throws: tests fail, never skip.
 */

export const pgServer = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};

export const mysqlServer = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
  password: process.env.MYSQL_PASSWORD ?? '',
};

export function uniqueDatabaseName(): string {
  return `ls_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  /** Runs SQL as the admin user (not read-only): fixtures, DDL changes, killing sessions. */
  admin(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** Creates a fresh PostgreSQL database, optionally loading `ddl` into it. */
export async function createPostgresDatabase(ddl?: string): Promise<TestDatabase> {
  const name = uniqueDatabaseName();
  const root = new pg.Client({ ...pgServer, database: 'postgres', connectionTimeoutMillis: 5_000 });
  await root.connect().catch((error: Error) => {
    throw new Error(
      `PostgreSQL is not reachable at ${pgServer.host}:${pgServer.port} (${error.message}); npm run test:prerequisites starts it (README, "Testing")`,
    );
  });
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
  const admin = new pg.Client({ ...pgServer, database: name });
  await admin.connect();
  admin.on('error', () => undefined);
  if (ddl) await admin.query(ddl);
  return {
    name,
    admin: async (sql, params) => (await admin.query(sql, params)).rows as Record<string, unknown>[],
    drop: async () => {
      await admin.end().catch(() => undefined);
      const dropper = new pg.Client({ ...pgServer, database: 'postgres' });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** Creates a fresh MariaDB/MySQL database (a schema), optionally loading `ddl` (multiple statements allowed). */
export async function createMysqlDatabase(ddl?: string): Promise<TestDatabase> {
  const name = uniqueDatabaseName();
  const admin = await mysql
    .createConnection({ ...mysqlServer, multipleStatements: true, connectTimeout: 5_000 })
    .catch((error: Error) => {
      throw new Error(
        `MariaDB is not reachable at ${mysqlServer.host}:${mysqlServer.port} (${error.message}); npm run test:prerequisites starts it (README, "Testing")`,
      );
    });
  admin.on('error', () => undefined);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.query(`USE \`${name}\``);
  if (ddl) await admin.query(ddl);
  return {
    name,
    admin: async (sql, params) => {
      const [rows] = await admin.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}
