/**
 * SQL → Kysely equivalence on the real PostgreSQL: every corpus statement is converted, the
 * generated builder code is executed with the real `kysely` package, and its rows (and, for data
 * changes, the table afterwards) must equal the original statement's, each in a rolled-back
 * transaction on a fresh seeded database. Unsupported constructs must be refused with a reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { extractEmbedded } from '../../server/src/embedded/extract';
import { convertRegionToKysely } from '../../server/src/migrate/kysely/convertRegion';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import { postgresCorpus as corpus } from '../fixtures/migrate/postgresCorpus';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

const refusals: { construct: string; sql: string; reason: RegExp }[] = [
  { construct: 'window function', sql: 'select id, row_number() over (order by id) from orders', reason: /window/i },
  { construct: 'CTE', sql: 'with paid as (select * from orders) select id from paid', reason: /WITH/ },
  {
    construct: 'op ANY (subquery)',
    sql: 'select id from orders where total > any (select total from orders)',
    reason: /ANY/,
  },
  { construct: 'subquery in FROM', sql: 'select x.id from (select id from orders) x', reason: /subquer/i },
  { construct: 'vendor cast', sql: 'select id::text from orders', reason: /cast/i },
  {
    construct: 'typed literal',
    sql: "select id from orders where placed_on > date '2024-01-01'",
    reason: /cast|typed/i,
  },
  { construct: 'DISTINCT ON', sql: 'select distinct on (status) id from orders', reason: /DISTINCT ON/ },
  { construct: 'unmapped function', sql: 'select md5(name) from customers', reason: /md5.*not mapped/ },
  { construct: 'UNION', sql: 'select id from orders union select id from customers', reason: /UNION/ },
  { construct: 'row locking', sql: 'select id from orders for update', reason: /FOR UPDATE/ },
  { construct: 'JOIN USING', sql: 'select * from orders join order_items using (id)', reason: /USING/ },
  { construct: 'NATURAL JOIN', sql: 'select * from orders natural join customers', reason: /NATURAL/ },
  { construct: 'aggregate FILTER', sql: 'select count(*) filter (where total > 1) from orders', reason: /FILTER/ },
  { construct: 'INSERT … SELECT', sql: 'insert into audit_log (entity) select status from orders', reason: /SELECT/ },
  { construct: 'UPDATE … FROM', sql: 'update orders set note = c.name from customers c', reason: /FROM/ },
  { construct: 'DELETE … USING', sql: 'delete from orders using customers c where c.id = 1', reason: /USING/ },
  { construct: 'several statements', sql: 'select 1; select 2', reason: /one statement/ },
  { construct: 'DDL', sql: 'create table t (id int)', reason: /CreateStmt|only SELECT/ },
  { construct: 'parameter without host expression', sql: 'select id from orders where id = $2', reason: /\$2/ },
  { construct: 'syntax error', sql: 'select from where', reason: /does not parse/ },
  { construct: 'LIMIT ALL', sql: 'select id from orders limit all', reason: /LIMIT/ },
  { construct: 'name Kysely cannot spell', sql: 'select "Display Name" from "AppUsers"', reason: /Display Name/ },
  { construct: 'SET (a, b) = (…)', sql: 'update orders set (status, note) = (1, 2)', reason: /SET \(a, b\)/ },
];

/** SQL strings in application code; `values` are the host variables in scope when they run. */
const hostFile = `
const byTotal = await pool.query(\`select id, total from orders where total > \${minTotal} order by id\`);
const byCustomer = await pool.query('select id from orders where customer_id = ' + id + ' order by id');
const byPlaceholders = await pool.query('select id from orders where status = $1 and total > $2 order by id', [status, minTotal]);
const insideLiteral = await pool.query(\`select id from customers where name like '%\${term}%'\`);
const splicedColumn = await pool.query(\`select \${column} from orders\`);
const splicedOrder = await pool.query(\`select id from orders order by \${column}\`);
let extended = 'select id from orders where id = 1';
if (minTotal) extended += ' and total > 3';
const byExtended = await pool.query(extended);
const splicedWhere = await pool.query(\`select id from orders where \${column}\`);
`;
const hostValues = { minTotal: 100, id: 3, status: 'paid', term: 'li', column: 'status' };
const regionOutcomes: Record<string, RegExp | 'converted'> = {
  'select id, total from orders where total > $1 order by id': 'converted',
  'select id from orders where customer_id = $1 order by id': 'converted',
  'select id from orders where status = $1 and total > $2 order by id': 'converted',
  "select id from customers where name like '%%'": /inside a SQL string literal/,
  'select $1 from orders': /stands where SQL text/,
  'select id from orders order by $1': /stands where SQL text/,
  'select id from orders where id = 1': /extended elsewhere/,
  'select id from orders where $1': /stands where SQL text/,
};

type Row = Record<string, unknown>;
type Builder = { execute(): Promise<Row[]>; compile(): { sql: string } };

let moduleDirectory: string | undefined;
let moduleCount = 0;

/** Writes `source` into a fresh TypeScript module and imports it. */
async function importModule<T>(source: string): Promise<T> {
  moduleDirectory ??= mkdtempSync(join(tmpdir(), 'ls-kysely-'));
  const file = join(moduleDirectory, `query${++moduleCount}.ts`);
  writeFileSync(file, source);
  return ((await import(pathToFileURL(file).href)) as { default: T }).default;
}

/** Wraps the generated code in a TypeScript module, as a user's file would hold it, and imports it. */
async function loadGenerated(code: string): Promise<(db: Kysely<unknown>, params: unknown[]) => Builder> {
  const indented = code.replace(/\n/g, '\n  ');
  return importModule(
    `import type { Kysely } from 'kysely';\n\nexport default (db: Kysely<any>, params: unknown[]) =>\n  ${indented};\n`,
  );
}

/** Rows in a comparable form; sorted when the statement leaves the order open. */
function comparable(rows: Row[], ordered: boolean): string[] {
  const lines = rows.map((row) =>
    JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
  );
  return ordered ? lines : lines.sort();
}

/** SQL reduced to its tokens: quoting, parentheses, AS, constants and placeholders erased. */
function shape(text: string): string {
  const tokens =
    text.toLowerCase().match(/'(?:[^']|'')*'|"[^"]*"|\$\d+|\d+(?:\.\d+)?|[a-z_][a-z0-9_]*|<>|<=|>=|!=|\|\||\S/g) ?? [];
  return tokens
    .map((token) => {
      if (/^'|^\$|^\d|^(true|false|null)$/.test(token)) return '?';
      return token.startsWith('"') ? token.slice(1, -1) : token.replace('!=', '<>');
    })
    .filter((token) => !['(', ')', 'as', 'inner', 'outer', ';'].includes(token))
    .join(' ');
}

describe('SQL → Kysely on the real PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<unknown>;

  before(async () => {
    database = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
    pool = new pg.Pool({ ...pgServer, database: database.name, max: 2 });
    db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  });

  after(async () => {
    await db?.destroy().catch(() => undefined);
    await database?.drop();
    if (moduleDirectory) rmSync(moduleDirectory, { recursive: true, force: true });
  });

  /** Runs `work` in a transaction on one connection and rolls it back whatever happens. */
  async function rolledBack<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      return await work(client);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  test(`${corpus.length} statements: the generated Kysely code returns the same rows`, async (t) => {
    assert.ok(corpus.length >= 60);
    t.diagnostic(
      `corpus size: ${corpus.length} statements (${corpus.filter((c) => c.check).length} also compare the table afterwards)`,
    );
    for (const entry of corpus) {
      await t.test(entry.sql, async () => {
        const params = entry.params ?? [];
        const conversion = await generateKysely(entry.sql, { parameters: params.map((_, i) => `params[${i}]`) });
        assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
        const ordered = /\border by\b/i.test(entry.sql);

        const expected = await rolledBack(async (client) => {
          const rows = (await client.query(entry.sql, params)).rows as Row[];
          const state = entry.check ? ((await client.query(entry.check)).rows as Row[]) : [];
          return { rows: comparable(rows, ordered), state: comparable(state, true) };
        });

        const actual = await db.connection().execute(async (connection) => {
          await sql`begin`.execute(connection);
          try {
            const builder = (await loadGenerated(conversion.code))(connection, params);
            const compiled = builder.compile().sql;
            const returnsRows = /^\s*select\b|\breturning\b/i.test(entry.sql);
            const rows = returnsRows ? await builder.execute() : (await builder.execute(), []);
            const state = entry.check ? (await sql.raw(entry.check).execute(connection)).rows : [];
            return { compiled, rows: comparable(rows, ordered), state: comparable(state as Row[], true) };
          } finally {
            await sql`rollback`.execute(connection);
          }
        });

        assert.deepEqual(
          actual.rows,
          expected.rows,
          `rows differ for:\n${conversion.code}\ncompiled: ${actual.compiled}`,
        );
        assert.deepEqual(actual.state, expected.state, `table state differs for:\n${conversion.code}`);
        if (entry.sameShape !== false) {
          assert.equal(shape(actual.compiled), shape(entry.sql), `compiled SQL: ${actual.compiled}`);
        }
      });
    }
  });

  test('SQL strings in code: interpolations become builder arguments, spliced SQL text is refused', async (t) => {
    const { regions } = await extractEmbedded('orders.ts', hostFile, { dialect: 'postgres' });
    assert.deepEqual(regions.map((region) => region.text).sort(), Object.keys(regionOutcomes).sort());
    const scope = `{ ${Object.keys(hostValues).join(', ')} }: typeof values`;
    const declare = `const values = ${JSON.stringify(hostValues)};\n`;
    for (const region of regions) {
      const expected = regionOutcomes[region.text];
      const call = /\[([^\]]*)\]\);$/m.exec(hostFile.slice(region.hostEnd).split('\n')[0]);
      const placeholderValues = call ? call[1].split(',').map((value) => value.trim()) : [];
      const conversion = await convertRegionToKysely(region, hostFile, { placeholderValues });
      if (expected !== 'converted') {
        assert.ok('refused' in conversion, `converted instead of refused: ${region.text}`);
        assert.match(conversion.refused, expected);
        t.diagnostic(`refused ${region.text}: ${conversion.refused}`);
        continue;
      }
      assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
      // The original as the application runs it: the host expression builds the text, the call passes the values.
      const hostSql = hostFile.slice(region.hostStart, region.hostEnd);
      const original = await importModule<(v: typeof hostValues) => { text: string; values: unknown[] }>(
        `${declare}export default (${scope}) => ({ text: ${hostSql}, values: [${placeholderValues.join(', ')}] });\n`,
      );
      const { text, values } = original(hostValues);
      const expectedRows = await rolledBack(async (client) => (await client.query(text, values)).rows as Row[]);
      const build = await importModule<(db: Kysely<unknown>, v: typeof hostValues) => Builder>(
        `import type { Kysely } from 'kysely';\n${declare}export default (db: Kysely<any>, ${scope}) =>\n  ${conversion.code};\n`,
      );
      const actualRows = await build(db, hostValues).execute();
      assert.ok(expectedRows.length > 0);
      assert.deepEqual(actualRows, expectedRows, conversion.code);
    }
  });

  test('unsupported constructs are refused with the reason', async (t) => {
    for (const { construct, sql: text, reason } of refusals) {
      await t.test(construct, async () => {
        const conversion = await generateKysely(text, { parameters: ['params[0]'] });
        assert.ok(
          'refused' in conversion,
          `converted instead of refused:\n${'code' in conversion ? conversion.code : ''}`,
        );
        assert.match(conversion.refused, reason);
        t.diagnostic(`refused ${construct}: ${conversion.refused}`);
      });
    }
  });
});
