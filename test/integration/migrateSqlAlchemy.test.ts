/**
 * SQL → SQLAlchemy Core equivalence on the real PostgreSQL and MariaDB, run as the user runs it.
 * Each seeded database is discovered for real and its Python schema module generated; every corpus
 * statement becomes a DB-API call `cur.execute(sql, params)` in a Python host file, the file is
 * migrated by the planner, and both files run under Debian's Python (SQLAlchemy 1.4, psycopg2 /
 * PyMySQL), each call in a rolled-back transaction. Column names, values with their Python types,
 * row order where ORDER BY fixes it, rowcount and the table state after data changes must be
 * equal. What the generator refuses is asserted with its reason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GenerateOptions } from '../../server/src/migrate/builderTarget';
import { generateSqlAlchemy } from '../../server/src/migrate/sqlalchemy/generateSqlAlchemy';
import type { Dialect } from '../../server/src/schema/snapshot';
import { mysqlCorpus } from '../fixtures/migrate/mysqlCorpus';
import { postgresCorpus, type Case } from '../fixtures/migrate/postgresCorpus';
import type { TestDatabase } from '../support/databases';
import { pyformatCase } from '../support/pyformat';
import { assertSameOutcome, runPythonCalls, type PythonCallCase } from '../support/pythonCalls';
import { createPythonFixture } from '../support/pythonFixture';
import { REFUSAL } from '../../server/src/migrate/query/refusals';
import { reason } from '../support/refusalReason';

interface DialectSetup {
  dialect: Dialect;
  corpus: Case[];
  /** Statements beyond the shared corpus for what this generator converts (casts, MySQL's SET order, …). */
  extra: Case[];
  /** Corpus statements the generator must refuse, with the reason it must give. */
  corpusRefusals: Record<string, RegExp>;
  /** Constructs outside the corpus the generator must refuse. */
  refusals: { sql: string; reason: RegExp; valuesOnly?: boolean }[];
}

const postgres: DialectSetup = {
  dialect: 'postgres',
  corpus: postgresCorpus,
  extra: [
    {
      sql: "select id::text, cast(total as numeric(12, 1)) as t, '7'::int from orders where placed_on > date '2024-02-01' order by id",
    },
    { sql: 'select distinct on (status) status, id from orders order by status, id desc' },
    { sql: 'select id from orders where total between symmetric 100 and 20 order by id' },
    { sql: 'select greatest(stock, 10) as g, nullif(stock, 0) as n, -stock as neg from products order by id' },
    { sql: 'select count(*) as n from orders where placed_on < current_date' },
    {
      sql: 'select t.status, t.n from (select status, count(*) as n from orders group by status) as t where t.n > 1 order by t.status',
    },
    {
      sql: "insert into customers (id, name) values (1, 'Ada'), (2, 'Grace') on conflict (id) do update set name = excluded.name where customers.vip and customers.id = 1 returning id, name",
      check: 'select id, name from customers order by id',
    },
    // Constructs refused before without need (issue 20, item 6).
    {
      sql: "select substring(name from 2 for 3) as s, substring(name, 1, 2) as t, trim(both from '  x ') as u, trim(leading 'A' from name) as v, extract(year from created_at) as y from customers order by id",
    },
    {
      sql: "select id from customers where name like '%!_%' escape '!' or email not like '%\\_%' escape '\\' order by id",
    },
    { sql: 'select "userId", "Display Name", -"userId" as neg from "AppUsers" where -"userId" < -1 order by "userId"' },
    {
      sql: 'update orders set note = c.name from customers c where c.id = orders.customer_id and c.country = $1',
      params: ['UK'],
      check: 'select id, note from orders order by id',
    },
    {
      sql: "delete from order_items using orders o where o.id = order_items.order_id and o.status = 'cancelled'",
      check: 'select * from order_items order by order_id, product_id',
    },
    // A generated key: SQLAlchemy would add `RETURNING audit_log.id` (implicit returning).
    {
      sql: "insert into audit_log (entity, message) values ($1, 'it''s')",
      params: ['order'],
      check: 'select entity, message, level from audit_log order by entity, message',
    },
    // Grouping on the right of `/` and `+`, which op() wrote away.
    {
      sql: 'select id, price / (stock - 100) as a, stock + (stock - 1) * 2 as b, price / (stock * 2 + 1) as c from products order by id',
    },
  ],
  corpusRefusals: {
    'select name from customers cross join products where products.id = 1 order by name':
      /column "name" is not qualified and the query reads several tables/,
  },
  refusals: [
    { sql: 'select id, row_number() over (order by id) from orders', reason: /window functions/ },
    { sql: 'with paid as (select * from orders) select id from paid', reason: /WITH/ },
    { sql: 'select id from orders union select id from customers', reason: /UNION/ },
    { sql: 'select id from orders where total > any (select total from orders)', reason: /ANY\/SOME/ },
    { sql: "select '1.5'::float8 as f", reason: /a cast to float8 is not converted/ },
    { sql: "select '{1}'::int[] as a", reason: /casts to array types/ },
    { sql: 'select current_timestamp(2) as t', reason: /CURRENT_TIMESTAMP\(precision\) is not converted/ },
    { sql: 'select id from orders for update', reason: /FOR UPDATE/ },
    { sql: 'select * from orders join order_items using (id)', reason: /USING/ },
    { sql: 'select * from orders natural join customers', reason: /NATURAL/ },
    { sql: 'select count(*) filter (where total > 1) from orders', reason: /FILTER/ },
    { sql: 'select x.n from generate_series(1, 3) as x(n)', reason: /column aliases|functions in FROM/ },
    { sql: "update orders set note = 'x' from customers c", reason: /UPDATE … FROM table "c" is not used/ },
    { sql: 'delete from orders using customers c where orders.id = 1', reason: /DELETE … USING table "c" is not used/ },
    { sql: 'update orders set note = o.note from orders o join customers c on true', reason: /only plain tables/ },
    { sql: 'select 1; select 2', reason: /exactly one statement/ },
    { sql: 'create table t (id int)', reason: /only SELECT, INSERT, UPDATE and DELETE/ },
    { sql: 'select id from only orders', reason: /ONLY/ },
    { sql: 'select id from orders where id = $2', reason: /\$2 has no host expression/ },
    { sql: 'select from where', reason: /does not parse/ },
    { sql: 'select id from orders limit all', reason: /LIMIT other than a number/ },
    { sql: 'update orders set (status, note) = (1, 2)', reason: /SET \(a, b\)/ },
    { sql: 'select id from orders where note = null', reason: /comparing with NULL/ },
    { sql: 'select random() as r', reason: /random is not converted/ },
    { sql: "insert into audit_log values (1, 'a', 'b', 1)", reason: /without a column list/ },
    { sql: 'select lower(name) as n from customers group by n', reason: /GROUP BY on the select-list alias "n"/ },
    {
      sql: 'update orders o set note = $1 where exists (select 1 from orders where orders.id = o.customer_id)',
      reason: /alias on the UPDATE target together with a subquery/,
    },
    { sql: 'select $1 from orders', reason: /stands where SQL text/, valuesOnly: true },
    { sql: 'select id from orders order by $1', reason: /stands where SQL text/, valuesOnly: true },
    { sql: 'select id from orders where $1', reason: /stands where SQL text/, valuesOnly: true },
  ],
};

const mariadb: DialectSetup = {
  dialect: 'mysql',
  corpus: mysqlCorpus,
  extra: [
    { sql: "select cast(total as decimal(12,1)) as t from orders where placed_on > date '2024-02-01' order by id" },
    // MySQL assigns left to right: price sees the new stock.
    {
      sql: 'update products set stock = stock + 1, price = stock * 2 where id = 1',
      check: 'select * from products order by id',
    },
    { sql: 'select greatest(stock, 10) as g, nullif(stock, 0) as n, -stock as neg from products order by id' },
    {
      sql: 'select c.name from customers c where not exists (select 1 from orders where orders.customer_id = c.id) order by c.name',
    },
    {
      sql: "select substring(name from 2 for 3) as s, substring(name, 1, 2) as t, trim(both from '  x ') as u, extract(year from created_at) as y from customers order by id",
    },
    { sql: "select id from customers where name like '%!_%' escape '!' order by id" },
    { sql: 'select id, email <=> ? as same from customers where country <=> ? order by id', params: [null, 'UK'] },
    { sql: 'select id from customers where (country <=> null) = 0 order by id' },
    // ORDER and LIMIT are reserved words: their capitals do not make `limit` a capitalised name.
    { sql: 'SELECT id AS `limit` FROM customers ORDER BY id LIMIT 2' },
    // Aliases keep their capitals in MySQL: a table alias is case-sensitive, a column alias is the label.
    {
      sql: 'SELECT P.id AS PostId, P.title FROM products P JOIN order_items I ON I.product_id = P.id WHERE P.stock > ? ORDER BY P.id, I.order_id',
      params: [1],
    },
    // ORDER BY an output alias with capitals: MySQL matches the label whatever its case.
    { sql: 'SELECT id AS PostId FROM customers ORDER BY PostId' },
    // `*` is associative to SQLAlchemy, not to DOUBLE × DECIMAL rounding: the grouping must stay.
    { sql: 'select id, total / nullif(customer_id, 0) * (1e2 * total) as x from orders order by id' },
    { sql: 'select `userId`, `Display Name`, -`userId` as neg from `AppUsers` where -`userId` < -1 order by `userId`' },
    {
      sql: "insert into audit_log (entity, message) values (?, 'it''s')",
      params: ['order'],
      check: 'select entity, message, level from audit_log order by entity, message',
    },
    {
      sql: 'select id, price / (stock - 100) as a, stock + (stock - 1) * 2 as b, price / (stock * 2 + 1) as c from products order by id',
    },
  ],
  corpusRefusals: {
    'select name from customers cross join products where products.id = 1 order by name':
      /column "name" is not qualified and the query reads several tables/,
    "insert into products (id, sku, title, price) values (6, 'X-1', 'Cable tie', 1.25) returning price, stock":
      /RETURNING is not converted for MySQL\/MariaDB: SQLAlchemy 1.4 does not write it/,
    "insert into products (id, sku, title, price, stock) values (7, 'A-1', upper('adapter'), 2.5, 1 + 2), (8, 'A-2', 'Hub', 19.99, default) returning *":
      /RETURNING is not converted for MySQL\/MariaDB/,
    'delete from order_items where order_id = ? and quantity = 1 returning order_id, product_id':
      /RETURNING is not converted for MySQL\/MariaDB/,
  },
  refusals: [
    { sql: "select name from customers where name ilike 'a%'", reason: reason(REFUSAL.mysqlIlike) },
    {
      sql: 'select o.id from orders o full join customers c on c.id = o.customer_id',
      reason: reason(REFUSAL.mysqlFullJoin),
    },
    { sql: 'select id from orders order by note nulls first', reason: reason(REFUSAL.mysqlNullsOrder) },
    { sql: 'select id from customers where email is distinct from null', reason: /DISTINCT FROM is PostgreSQL/ },
    { sql: 'select id from customers where email <=> null = 1', reason: /<=> next to another comparison/ },
    { sql: 'SELECT Id FROM customers', reason: /the name "id" is written with capitals without backticks/ },
    { sql: 'SELECT id FROM Customers', reason: /the name "customers" is written with capitals/ },
    { sql: 'select distinct on (status) id from orders', reason: /DISTINCT ON is PostgreSQL syntax/ },
    { sql: 'select upper(name) from customers', reason: reason(REFUSAL.mysqlUnaliasedColumn('SQLAlchemy')) },
    { sql: "select name || 'x' as n from customers", reason: /the operator \|\| means something else in MySQL/ },
    { sql: 'select name from customers where name = "Ada"', reason: /double-quoted MySQL string/ },
    { sql: "insert into audit_log (id, entity) values (1, 'a') on conflict do nothing", reason: /ON CONFLICT/ },
    { sql: 'select id from orders where customer_id = any(?)', reason: /ANY\/ALL \(array\) is PostgreSQL/ },
    {
      sql: 'update products set stock = 1 where id = 1 returning id',
      reason: reason(REFUSAL.postgresOnly('UPDATE … RETURNING')),
    },
    { sql: 'select id from orders where note = null', reason: /comparing with NULL/ },
  ],
};

function options(dialect: Dialect, params: readonly unknown[], valuesOnly = false): GenerateOptions {
  return { dialect, parameters: params.map((_, i) => `params[${i}]`), valuesOnly, instance: 'schema' };
}

for (const setup of [postgres, mariadb]) {
  describe(`SQL → SQLAlchemy Core on the real ${setup.dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let database: TestDatabase;
    let moduleSource: string;

    before(async () => {
      ({ database, schemaModule: moduleSource } = await createPythonFixture(setup.dialect));
    });

    after(() => database?.drop());

    test(`${setup.corpus.length} corpus statements and ${setup.extra.length} more: what the user's code receives is the same`, async (t) => {
      assert.ok(setup.corpus.length >= 60, `the corpus has ${setup.corpus.length} statements`);
      const entries = [...setup.corpus, ...setup.extra];
      const results = await runPythonCalls(
        setup.dialect,
        database.name,
        moduleSource,
        entries.map((entry) => pyformatCase(entry.sql, setup.dialect, entry.params, entry.check)),
      );
      const refused = results.flatMap((result, index) =>
        result.refused === undefined ? [] : [[entries[index].sql, result.refused] as const],
      );
      t.diagnostic(`${setup.dialect}: ${entries.length - refused.length} converted, ${refused.length} refused`);
      for (const [sql, reason] of refused) t.diagnostic(`refused: ${sql} — ${reason}`);

      for (const [index, result] of results.entries()) {
        if (result.refused !== undefined) continue;
        await t.test(entries[index].sql, () => {
          assert.equal(result.original.error, undefined, 'the original call runs');
          assertSameOutcome(result, /\border by\b/i.test(entries[index].sql));
        });
      }
      await t.test('refused corpus statements are the expected ones, for the expected reasons', () => {
        const corpusRefused = refused.filter(([sql]) => setup.corpus.some((entry) => entry.sql === sql));
        assert.deepEqual(corpusRefused.map(([sql]) => sql).sort(), Object.keys(setup.corpusRefusals).sort());
        for (const [sql, reason] of corpusRefused) assert.match(reason, setup.corpusRefusals[sql]);
        const extraRefused = refused.filter(([sql]) => setup.extra.some((entry) => entry.sql === sql));
        assert.deepEqual(extraRefused, [], 'every extra statement converts');
      });
    });

    test('Python values of every kind reach the database as the original call passed them', async (t) => {
      const length = setup.dialect === 'postgres' ? 'octet_length' : 'length';
      const cases: PythonCallCase[] = [
        {
          sql: 'select id, total from orders where placed_on >= %s and total > %s order by id',
          values: [
            { kind: 'date', text: '2024-02-01' },
            { kind: 'decimal', text: '50.5' },
          ],
        },
        {
          sql: 'select id, %(stamp)s as stamp from customers where created_at < %(day)s order by id',
          values: {
            stamp: { kind: 'datetime', text: '2024-05-06T07:08:09' },
            day: { kind: 'date', text: '2024-01-01' },
          },
        },
        {
          sql: 'select id, %s as said from customers where email = %s or country = %s order by id',
          values: [{ kind: 'string', text: 'it\'s a \\ "test" 50%' }, { kind: 'null' }, { kind: 'string', text: 'UK' }],
        },
        {
          sql: `select ${length}(%s) as n, %s as flag, %s as ratio, %s as nothing`,
          values: [
            { kind: 'bytes', hex: '00ff10' },
            { kind: 'bool', value: true },
            { kind: 'float', value: 0.1 },
            { kind: 'null' },
          ],
        },
        {
          sql: 'update orders set note = %s where placed_on = %s and total = %s',
          values: [
            { kind: 'string', text: 'back\\slash' },
            { kind: 'date', text: '2024-03-15' },
            { kind: 'decimal', text: '158.00' },
          ],
          check: 'select id, note from orders order by id',
        },
      ];
      const results = await runPythonCalls(setup.dialect, database.name, moduleSource, cases);
      for (const [index, result] of results.entries()) {
        await t.test(cases[index].sql, () => {
          assert.equal(result.refused, undefined, 'the call is migrated');
          assert.equal(result.original.error, undefined, 'the original call runs');
          assert.ok((result.original.rows?.length ?? result.original.rowcount) > 0, 'the case has rows to compare');
          assertSameOutcome(result, /\border by\b/i.test(cases[index].sql));
        });
      }
    });

    test('constructs that cannot be converted faithfully are refused with the reason', async (t) => {
      for (const { sql, reason, valuesOnly } of setup.refusals) {
        await t.test(sql, async () => {
          const conversion = await generateSqlAlchemy(sql, options(setup.dialect, ['x'], valuesOnly));
          assert.ok(
            'refused' in conversion,
            `converted instead of refused:\n${'code' in conversion ? conversion.code : ''}`,
          );
          assert.match(conversion.refused, reason);
          t.diagnostic(`refused ${sql}: ${conversion.refused}`);
        });
      }
    });
  });
}
