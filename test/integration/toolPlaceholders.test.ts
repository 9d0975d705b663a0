import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { analyzeRegions } from '../../server/src/embedded/analyzeRegions';
import { extractEmbedded } from '../../server/src/embedded/extract';
import type { Dialect, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import type { Finding } from '../../server/src/sql/findings';
import { liveCheck } from '../../server/src/sql/liveCheck/liveCheck';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

/**
 * SQL as people write it for their tools (pgtyped, sqlc, SQLAlchemy `text()`, Knex named bindings,
 * psql variables, DB-API): each statement is valid once its placeholders are bound — the database
 * proves it by PREPAREing the hand-bound form — so the analysis, in a `.sql` file and inside code,
 * and the live check on the same database must call none of it an error.
 */

const SCHEMA = `
  CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL, name VARCHAR(80), pages INT);
  CREATE TABLE books (id INT PRIMARY KEY, title VARCHAR(80) NOT NULL, author_id INT, pages INT);
`;

interface Case {
  tool: string;
  /** As the tool's users write it. */
  written: string;
  /** The same statement with the dialect's own markers, written by hand. */
  bound: string;
}

const POSTGRES: Case[] = [
  {
    tool: 'pgtyped :id!',
    written: 'SELECT * FROM users WHERE id = :id!',
    bound: 'SELECT * FROM users WHERE id = $1',
  },
  {
    tool: 'pgtyped :x::int',
    written: 'SELECT * FROM users WHERE pages = :pages::int',
    bound: 'SELECT * FROM users WHERE pages = $1::int',
  },
  { tool: 'pgtyped $id', written: 'SELECT * FROM users WHERE id = $id', bound: 'SELECT * FROM users WHERE id = $1' },
  {
    tool: 'pgtyped $x!',
    written: 'SELECT author_id FROM books GROUP BY author_id HAVING count(*) > $minCount!',
    bound: 'SELECT author_id FROM books GROUP BY author_id HAVING count(*) > $1',
  },
  {
    tool: 'pgtyped VALUES :rows',
    written: 'INSERT INTO books (id, title) VALUES :rows',
    bound: 'INSERT INTO books (id, title) VALUES ($1, $2)',
  },
  {
    tool: 'pgtyped IN :ids',
    written: 'SELECT * FROM users WHERE id IN :ids',
    bound: 'SELECT * FROM users WHERE id IN ($1)',
  },
  {
    tool: 'pgtyped IN $$ids',
    written: 'SELECT * FROM users WHERE id IN $$ids AND name = $name',
    bound: 'SELECT * FROM users WHERE id IN ($1) AND name = $2',
  },
  {
    tool: 'pgtyped $$rows(a, b)',
    written: 'INSERT INTO books (id, title) VALUES $$books(id, title)',
    bound: 'INSERT INTO books (id, title) VALUES ($1, $2)',
  },
  {
    tool: 'pgtyped $row(a, b)',
    written: 'INSERT INTO books (id, title) VALUES $book(id, title)',
    bound: 'INSERT INTO books (id, title) VALUES ($1, $2)',
  },
  {
    tool: 'sqlc.arg / sqlc.narg',
    written: "SELECT * FROM users WHERE email = sqlc.arg(email) AND name = sqlc.narg('display_name')",
    bound: 'SELECT * FROM users WHERE email = $1 AND name = $2',
  },
  {
    tool: 'sqlc @name',
    written: 'UPDATE users SET name = @display_name WHERE id = ANY(@ids::int[])',
    bound: 'UPDATE users SET name = $1 WHERE id = ANY($2::int[])',
  },
  {
    tool: 'SQLAlchemy text() / Knex named',
    written: 'SELECT id FROM users WHERE email = :email AND pages > :min_pages',
    bound: 'SELECT id FROM users WHERE email = $1 AND pages > $2',
  },
  {
    tool: "psql :'var'",
    written: "SELECT id FROM users WHERE email = :'email'",
    bound: 'SELECT id FROM users WHERE email = $1',
  },
  {
    tool: 'DB-API %(name)s',
    written: 'SELECT id FROM users WHERE email = %(email)s AND id = %(id)s',
    bound: 'SELECT id FROM users WHERE email = $1 AND id = $2',
  },
];

const MYSQL: Case[] = [
  { tool: 'named :id', written: 'SELECT * FROM users WHERE id = :id', bound: 'SELECT * FROM users WHERE id = ?' },
  {
    tool: 'sqlc.arg',
    written: 'SELECT * FROM users WHERE email = sqlc.arg(email)',
    bound: 'SELECT * FROM users WHERE email = ?',
  },
  {
    tool: 'sqlc.slice',
    written: 'SELECT * FROM users WHERE id IN (sqlc.slice(ids))',
    bound: 'SELECT * FROM users WHERE id IN (?)',
  },
  {
    tool: 'pgtyped-style VALUES :rows',
    written: 'INSERT INTO books (id, title) VALUES :rows',
    bound: 'INSERT INTO books (id, title) VALUES (?, ?)',
  },
  {
    tool: 'PyMySQL %s / %(name)s',
    written: 'SELECT * FROM users WHERE id = %s AND name = %(name)s',
    bound: 'SELECT * FROM users WHERE id = ? AND name = ?',
  },
];

const blocking = (findings: Finding[]): string[] =>
  findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}: ${f.message}`);

function connection(driver: 'postgres' | 'mysql', database: string) {
  const server =
    driver === 'postgres' ? pgServer : { host: mysqlServer.host, port: mysqlServer.port, user: mysqlServer.user };
  const parsed = parseConnection({ name: 'tools', driver, ...server, database }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  return parsed.connection;
}

for (const dialect of ['postgres', 'mysql'] as Dialect[]) {
  const cases = dialect === 'postgres' ? POSTGRES : MYSQL;
  describe(`tool placeholders on ${dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let driver: PostgresDriver | MysqlDriver;
    let snapshot: SchemaSnapshot;

    before(async () => {
      database = dialect === 'postgres' ? await createPostgresDatabase(SCHEMA) : await createMysqlDatabase(SCHEMA);
      const settings = connection(dialect === 'postgres' ? 'postgres' : 'mysql', database.name);
      const password = (): Promise<string | undefined> => Promise.resolve(mysqlServer.password || undefined);
      driver = dialect === 'postgres' ? new PostgresDriver(settings, password) : new MysqlDriver(settings, password);
      snapshot = (await driver.discover()).snapshot;
    });
    after(async () => {
      await driver?.close();
      await database?.drop();
    });

    test('the database accepts every statement once its placeholders are bound by hand', async () => {
      for (const [i, c] of cases.entries()) {
        if (dialect === 'postgres') {
          await database.admin(`PREPARE tool_${i} AS ${c.bound}`);
          await database.admin(`DEALLOCATE tool_${i}`);
        } else {
          await database.admin(`PREPARE tool_${i} FROM '${c.bound.replaceAll("'", "''")}'`);
          await database.admin(`DEALLOCATE PREPARE tool_${i}`);
        }
      }
    });

    test('as written, no statement gets an error in a .sql file, and the live check agrees', async () => {
      for (const c of cases) {
        const analysis = await analyzeSql(c.written, { dialect, snapshot });
        assert.deepEqual(blocking(analysis.findings), [], `${c.tool}: ${c.written}`);
        assert.equal(analysis.statements[0].checked, true, `${c.tool} is checked, not skipped`);
        const live = await liveCheck(c.written, analysis, dialect, driver);
        assert.equal(live.stoppedBecause, undefined, c.tool);
        assert.deepEqual(blocking(live.findings), [], `${c.tool} live: ${c.written}`);
      }
    });

    test('inside code, no statement gets an error either', async () => {
      for (const c of cases) {
        const [fileName, text] = c.written.includes('%')
          ? ['repo.py', `cur.execute("${c.written}", params)\n`]
          : ['repo.ts', `export const q = await sql\`${c.written}\`;\n`];
        const { regions } = await extractEmbedded(fileName, text, { dialect, snapshot });
        assert.equal(regions.length, 1, `${c.tool}: found as SQL`);
        assert.deepEqual(blocking(await analyzeRegions(regions, { snapshot })), [], `${c.tool}: ${text}`);
      }
    });

    test('a wrong name beside a tool placeholder is still reported, on its own characters', async () => {
      const text =
        dialect === 'postgres'
          ? 'SELECT titel FROM books WHERE id = :id! AND author_id = sqlc.arg(author)'
          : 'SELECT titel FROM books WHERE id = :id AND author_id = sqlc.arg(author)';
      const analysis = await analyzeSql(text, { dialect, snapshot });
      assert.deepEqual(
        analysis.findings.map((f) => [f.code, text.slice(f.start, f.end)]),
        [['unknown-column', 'titel']],
      );
      const after = 'SELECT id FROM books WHERE author_id = sqlc.arg(author) AND titel = :title';
      const late = await analyzeSql(after, { dialect, snapshot });
      assert.deepEqual(
        late.findings.map((f) => [f.code, after.slice(f.start, f.end)]),
        [['unknown-column', 'titel']],
      );
    });

    if (dialect === 'postgres')
      test("the database's own objection after a placeholder lands on the characters it names", async () => {
        const text = "SELECT id FROM users WHERE email = :email AND lower(id) = 'x'";
        const analysis = await analyzeSql(text, { dialect, snapshot });
        assert.deepEqual(blocking(analysis.findings), []);
        const live = await liveCheck(text, analysis, dialect, driver);
        assert.equal(live.findings.length, 1, JSON.stringify(live.findings));
        assert.equal(text.slice(live.findings[0].start, live.findings[0].start + 5), 'lower');
      });
  });
}

describe('placeholders that cannot be bound as values', () => {
  test("Knex's identifier binding :name: is not checked, never a syntax error", async () => {
    const sqlFile = await analyzeSql('SELECT :column: FROM users WHERE id = :id', { dialect: 'postgres' });
    assert.deepEqual(
      sqlFile.findings.map((f) => [f.code, f.severity]),
      [['not-checked', 'information']],
    );
    const text = "await knex.raw('SELECT :column: FROM users WHERE id = :id', { column, id });\n";
    const { regions } = await extractEmbedded('a.ts', text, { dialect: 'postgres' });
    const findings = await analyzeRegions(regions);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['not-checked', 'information']],
    );
    assert.match(findings[0].message, /identifiers are bound at run time/);
  });

  test('a row expansion without a column list is not checked, with the reason', async () => {
    const result = await analyzeSql('INSERT INTO books VALUES :rows', { dialect: 'postgres' });
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.message]),
      [['not-checked', "Not checked: the row expansion :rows needs the INSERT's column list."]],
    );
  });
});
