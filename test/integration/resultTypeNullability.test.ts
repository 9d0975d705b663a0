/**
 * Nullability of result columns through joins and aggregates, judged by what the drivers really
 * return: each statement runs on the real server (in a transaction that is rolled back) over data
 * where every column that can be NULL is NULL in some row, and each describer — PostgreSQL's
 * Parse/Describe, the offline describer over the discovered snapshot, MariaDB's COM_STMT_PREPARE —
 * must never call a column NOT NULL that came back NULL, and must say NOT NULL wherever the data
 * shows it, except where a case names that describer as conservative (and why).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import type { StatementDescriber } from '../../server/src/db/driver';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { OfflineDescriber } from '../../server/src/resultTypes/offlineDescribe';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

const SCHEMA = `
CREATE TABLE authors (id integer PRIMARY KEY, name varchar(40) NOT NULL, bio text);
CREATE TABLE books (id integer PRIMARY KEY, author_id integer, title varchar(80) NOT NULL, pages integer NOT NULL);
INSERT INTO authors VALUES (1, 'Ada', NULL), (2, 'Bo', 'poet');
INSERT INTO books VALUES (10, 1, 'Notes', 100), (11, NULL, 'Orphan', 50);`;

type Describer = 'postgres' | 'offline' | 'mariadb';

interface Case {
  sql: string;
  /** Servers that take the statement (MariaDB has no FULL JOIN). */
  on?: ('postgres' | 'mariadb')[];
  /** Describers that may say "nullable" where the data shows NOT NULL, with the reason. */
  conservative?: Partial<Record<Describer, string>>;
  /** The offline describer does not describe this shape (it says nothing rather than guess). */
  notOffline?: true;
}

const CASES: Case[] = [
  { sql: 'SELECT a.name, b.title FROM authors a JOIN books b ON b.author_id = a.id' },
  { sql: 'SELECT a.name, a.bio, b.title FROM authors a LEFT JOIN books b ON b.author_id = a.id' },
  { sql: 'SELECT a.name, b.title, b.pages FROM authors a RIGHT JOIN books b ON b.author_id = a.id' },
  { sql: 'SELECT a.name, b.title FROM authors a FULL JOIN books b ON b.author_id = a.id', on: ['postgres'] },
  { sql: 'SELECT a.*, b.* FROM authors a LEFT OUTER JOIN books b ON b.author_id = a.id' },
  { sql: 'SELECT * FROM books b LEFT JOIN authors a ON a.id = b.author_id' },
  {
    sql: 'SELECT a.name, b.title, c.name AS co FROM authors a LEFT JOIN books b ON b.author_id = a.id JOIN authors c ON c.id = a.id',
  },
  {
    sql: 'SELECT a.name, b.title FROM authors a LEFT JOIN (books b JOIN authors c ON c.id = b.author_id) ON b.author_id = a.id',
    conservative: {
      postgres: 'authors is read on both sides; the row description does not say which use a column came from',
    },
  },
  {
    sql: 'SELECT a.name, n.name AS next_name FROM authors a LEFT JOIN authors n ON n.id = a.id + 1',
    conservative: { postgres: 'the row description names the table, not which of its two uses a column came from' },
  },
  {
    sql: 'SELECT a.name, t.title FROM authors a LEFT JOIN (SELECT author_id, title FROM books) t ON t.author_id = a.id',
    notOffline: true,
  },
  {
    sql: 'SELECT count(*) AS n, count(bio) AS with_bio, max(id) AS top, min(name) AS first, sum(id) AS total FROM authors WHERE id < 0',
  },
  {
    sql: 'SELECT author_id, count(*) AS n, max(pages) AS most FROM books GROUP BY author_id',
    conservative: {
      postgres: 'an aggregate has no table origin in the row description',
      mariadb: 'MariaDB flags MAX() as nullable even within a group',
    },
  },
  { sql: 'SELECT a.id, count(b.id) AS books FROM authors a LEFT JOIN books b ON b.author_id = a.id GROUP BY a.id' },
];

/** Per output column: whether some row returned NULL in it. */
async function nullsSeen(server: 'postgres' | 'mariadb', database: string, sql: string): Promise<boolean[]> {
  let rows: unknown[][];
  if (server === 'postgres') {
    const client = new pg.Client({ ...pgServer, database });
    await client.connect();
    try {
      await client.query('BEGIN');
      rows = (await client.query({ text: sql, rowMode: 'array' })).rows as unknown[][];
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  } else {
    const connection = await mysql.createConnection({ ...mysqlServer, database, rowsAsArray: true });
    try {
      await connection.query('START TRANSACTION');
      rows = (await connection.query(sql))[0] as unknown[][];
    } finally {
      await connection.query('ROLLBACK');
      await connection.end();
    }
  }
  assert.ok(rows.length > 0, `${sql} returned no rows`);
  return rows[0].map((_, i) => rows.some((row) => row[i] === null));
}

function connectionSettings(driver: 'postgres' | 'mysql', database: string) {
  const server =
    driver === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  const parsed = parseConnection({ name: 'nulls', driver, ...server, database }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

const noPassword = (): Promise<string | undefined> => Promise.resolve(mysqlServer.password || undefined);

describe('result nullability through joins and aggregates, against what the drivers return', () => {
  let pgDb: TestDatabase;
  let myDb: TestDatabase;
  let postgres: PostgresDriver;
  let mariadb: MysqlDriver;
  let offline: OfflineDescriber;

  before(async () => {
    pgDb = await createPostgresDatabase(SCHEMA);
    myDb = await createMysqlDatabase(SCHEMA);
    postgres = new PostgresDriver(connectionSettings('postgres', pgDb.name), noPassword);
    mariadb = new MysqlDriver(connectionSettings('mysql', myDb.name), noPassword);
    offline = new OfflineDescriber((await postgres.discover()).snapshot);
  });

  after(async () => {
    await postgres?.close();
    await mariadb?.close();
    await pgDb?.drop();
    await myDb?.drop();
  });

  const describers: { name: Describer; server: 'postgres' | 'mariadb'; get(): StatementDescriber }[] = [
    { name: 'postgres', server: 'postgres', get: () => postgres },
    { name: 'offline', server: 'postgres', get: () => offline },
    { name: 'mariadb', server: 'mariadb', get: () => mariadb },
  ];

  for (const d of describers)
    test(`${d.name}: never NOT NULL where the driver returned NULL, NOT NULL wherever the data shows it`, async (t) => {
      const wrong: string[] = [];
      let described = 0;
      for (const c of CASES) {
        if (c.on && !c.on.includes(d.server)) continue;
        if (d.name === 'offline' && c.notOffline) {
          await assert.rejects(offline.describe(c.sql), `the offline describer guessed: ${c.sql}`);
          continue;
        }
        const seen = await nullsSeen(d.server, d.name === 'mariadb' ? myDb.name : pgDb.name, c.sql);
        const { columns } = await d.get().describe(c.sql);
        described++;
        assert.equal(columns.length, seen.length, c.sql);
        columns.forEach((column, i) => {
          if (!column.nullable && seen[i]) wrong.push(`${c.sql}: ${column.name} described NOT NULL, returned NULL`);
          if (column.nullable && !seen[i] && !c.conservative?.[d.name])
            wrong.push(`${c.sql}: ${column.name} described nullable, never NULL`);
        });
      }
      t.diagnostic(`${described} statements described`);
      assert.deepEqual(wrong, []);
    });
});
