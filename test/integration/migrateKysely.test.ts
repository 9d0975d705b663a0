/**
 * SQL → Kysely equivalence on the real PostgreSQL: every corpus statement is converted, the
 * generated builder code is executed with the real `kysely` package, and its rows (and, for data
 * changes, the table afterwards) must equal the original statement's, each in a rolled-back
 * transaction on a fresh seeded database. Unsupported constructs must be refused with a reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { GenerateOptions } from '../../server/src/migrate/builderTarget';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import { postgresCorpus, type Case } from '../fixtures/migrate/postgresCorpus';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { checkRegionConversions, runKyselyBuilder } from '../support/kyselyEquivalence';
import { ModuleLoader, runOriginalPostgres, shape, type Row } from '../support/migrationEquivalence';
import { REFUSAL } from '../../server/src/migrate/query/refusals';
import { reason } from '../support/refusalReason';

/**
 * Beyond the shared corpus: subqueries in FROM, INSERT … SELECT, and what was refused without need
 * (issue 20, item 6): SUBSTRING, TRIM, EXTRACT and REPLACE, names with spaces, UPDATE … FROM and
 * DELETE … USING.
 */
const corpus: Case[] = [
  ...postgresCorpus,
  {
    sql: 'select t.status, t.n from (select status, count(*) as n from orders group by status) as t where t.n > 1 order by t.status',
  },
  {
    sql: 'select c.name, t.spent from customers c left join (select customer_id, sum(total) as spent from orders group by customer_id) t on t.customer_id = c.id order by c.id',
  },
  {
    sql: "insert into audit_log (entity, message, level) select 'order', note, 2 from orders where note is not null returning entity, message, level",
    check: 'select entity, message, level from audit_log order by message',
    sameShape: false,
  },
  {
    sql: "select id, substring(status from 2 for 3) as part, substring(status, 1, 2) as head, trim(both 'p' from status) as stripped, trim(leading from '  x') as lead, trim(note) as t, replace(status, 'a', 'o') as swapped from orders order by id",
    // The grammar reads SUBSTRING(… FROM … FOR …) and TRIM(…) as the functions Kysely calls.
    sameShape: false,
  },
  {
    sql: 'select id, extract(year from placed_on) as y, extract(month from placed_on) as m from orders where extract(day from placed_on) > $1 order by id',
    params: [2],
  },
  { sql: 'select "userId", "Display Name" from "AppUsers" where "Display Name" like \'A%\' order by "Display Name"' },
  { sql: 'select u."Display Name" as "Shown Name" from "AppUsers" u order by u."Display Name" desc' },
  {
    sql: 'update orders set note = c.name from customers c where c.id = orders.customer_id and orders.total > $1 returning orders.id, orders.note',
    params: [50],
    check: 'select id, note from orders order by id',
  },
  {
    sql: "delete from order_items using orders o, products p where o.id = order_items.order_id and p.id = order_items.product_id and o.status = 'paid' and p.stock > 3",
    check: 'select * from order_items order by order_id, product_id',
  },
];

const options = (parameters: string[]): GenerateOptions => ({
  dialect: 'postgres',
  parameters,
  valuesOnly: false,
  instance: 'db',
});

const refusals: { construct: string; sql: string; reason: RegExp }[] = [
  { construct: 'window function', sql: 'select id, row_number() over (order by id) from orders', reason: /window/i },
  { construct: 'CTE', sql: 'with paid as (select * from orders) select id from paid', reason: /WITH/ },
  {
    construct: 'op ANY (subquery)',
    sql: 'select id from orders where total > any (select total from orders)',
    reason: /ANY/,
  },
  {
    construct: 'LATERAL subquery',
    sql: 'select c.id, x.id from customers c cross join lateral (select id from orders o where o.customer_id = c.id) x',
    reason: /LATERAL/,
  },
  {
    construct: 'subquery in FROM with column aliases',
    sql: 'select x.a from (select id from orders) x(a)',
    reason: /column aliases/,
  },
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
  { construct: 'INSERT … DEFAULT VALUES', sql: 'insert into audit_log default values', reason: /DEFAULT VALUES/ },
  {
    construct: 'UPDATE … FROM a join',
    sql: 'update orders set note = c.name from customers c join order_items i on i.order_id = c.id',
    reason: reason(REFUSAL.onlyPlainTables('UPDATE … FROM')),
  },
  {
    construct: 'SUBSTRING … FOR alone (a cast to int4 inside)',
    sql: 'select substring(status for 2) as s from orders',
    reason: reason(REFUSAL.typeCast),
  },
  {
    construct: 'POSITION (a SQL-standard form without a Kysely spelling)',
    sql: "select position('a' in status) as p from orders",
    reason: reason(REFUSAL.sqlStandardForm('position')),
  },
  { construct: 'several statements', sql: 'select 1; select 2', reason: /one statement/ },
  { construct: 'DDL', sql: 'create table t (id int)', reason: /CreateStmt|only SELECT/ },
  { construct: 'ONLY', sql: 'select id from only orders', reason: /ONLY/ },
  { construct: 'parameter without host expression', sql: 'select id from orders where id = $2', reason: /\$2/ },
  { construct: 'syntax error', sql: 'select from where', reason: /does not parse/ },
  { construct: 'LIMIT ALL', sql: 'select id from orders limit all', reason: /LIMIT/ },
  { construct: 'name Kysely cannot spell', sql: 'select "a.b" from orders', reason: reason(REFUSAL.kyselyName('a.b')) },
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

describe('SQL → Kysely on the real PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<unknown>;
  const loader = new ModuleLoader('ls-kysely-');

  before(async () => {
    database = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
    pool = new pg.Pool({ ...pgServer, database: database.name, max: 2 });
    db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  });

  after(async () => {
    await db?.destroy().catch(() => undefined);
    await database?.drop();
    loader.dispose();
  });

  test(`${corpus.length} statements: the generated Kysely code returns the same rows`, async (t) => {
    assert.ok(corpus.length >= 60);
    t.diagnostic(
      `corpus size: ${corpus.length} statements (${corpus.filter((c) => c.check).length} also compare the table afterwards)`,
    );
    for (const entry of corpus) {
      await t.test(entry.sql, async () => {
        const params = entry.params ?? [];
        const conversion = await generateKysely(entry.sql, options(params.map((_, i) => `params[${i}]`)));
        assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
        const expected = await runOriginalPostgres(pool, entry);
        const actual = await runKyselyBuilder(db, loader, conversion, entry);
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
    await checkRegionConversions(t, {
      dialect: 'postgres',
      hostFile,
      regionOutcomes,
      hostValues,
      loader,
      db,
      runOriginal: async (text, values) => (await pool.query(text, values)).rows as Row[],
    });
  });

  test('unsupported constructs are refused with the reason', async (t) => {
    for (const { construct, sql: text, reason } of refusals) {
      await t.test(construct, async () => {
        const conversion = await generateKysely(text, options(['params[0]']));
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
