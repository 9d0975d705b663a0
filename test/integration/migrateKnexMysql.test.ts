/**
 * SQL → Knex equivalence on the real MariaDB: every MySQL corpus statement (`?` placeholders,
 * backtick names) plus Knex-specific cases is converted, the generated code runs with the real
 * `knex` package (client `mysql2`), and its rows (in order where ORDER BY fixes it) and the table
 * state afterwards must equal the original statement's, each in a rolled-back transaction on a fresh
 * seeded database; the compiled SQL must have the original's shape. What Knex can only write through
 * `knex.raw`, or would run differently on MySQL, must be refused with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import knex, { type Knex } from 'knex';
import mysql from 'mysql2/promise';
import { mysqlCorpus } from '../fixtures/migrate/mysqlCorpus';
import type { Case } from '../fixtures/migrate/postgresCorpus';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { checkCorpus, convertCase, runKnexBuilder } from '../support/knexEquivalence';
import { ModuleLoader, runOriginalMysql } from '../support/migrationEquivalence';
import { REFUSAL } from '../../server/src/migrate/query/refusals';
import { reason } from '../support/refusalReason';

/** Corpus statements Knex cannot write without `knex.raw`, or would run differently. */
const corpusRefusals: Record<string, RegExp> = {
  'select status, count(*) as n from orders group by status having count(*) > 1 order by status': /aggregate count/,
  "select customer_id, sum(total) as spent from orders where status <> 'cancelled' group by customer_id having sum(total) > ? order by spent desc":
    /aggregate sum/,
  'select id, price * stock as stock_value from products order by id': /operator \*/,
  'select id, (price - 1) * 2 as x from products order by id': /operator \*/,
  'select id from products where stock + 5 > 10 order by id': /operator \+/,
  'select lower(name) as lname, upper(country) as country from customers order by id': /function lower/,
  "select coalesce(note, 'none') as note from orders order by id": /COALESCE/,
  "select id, ifnull(note, '-') as note, char_length(status) as width from orders order by id": /function ifnull/,
  "select id from products where concat(title, sku) like '%01' order by id": /function concat/,
  'select id, total * 1.10 as with_tax, 9007199254740993 as big, 1e3 as thousand from orders order by id':
    /operator \*/,
  'select 1 as one, ? as label': reason(REFUSAL.knexRaw('a constant other than an integer in the select list')),
  'select id from products where stock % 2 = 0 order by id': /operator %/,
  'select id from products where abs(stock - 10) < 5 order by id': /function abs/,
  'select round(avg(price), 1) as avg_price from products': /function round/,
  'select name as `Customer Name`, upper(country) as `Country` from customers order by id': /function upper/,
  "select id, case when total > 100 then 'big' when total > 50 then 'medium' else 'small' end as size from orders order by id":
    /CASE/,
  "select id, case status when 'paid' then 1 when 'shipped' then 2 else 0 end as `rank` from orders order by 2, id":
    /CASE/,
  "insert into products (id, sku, title, price) values (6, 'X-1', 'Cable tie', 1.25) returning price, stock":
    /RETURNING out for MySQL/,
  "insert into products (id, sku, title, price, stock) values (7, 'A-1', upper('adapter'), 2.5, 1 + 2), (8, 'A-2', 'Hub', 19.99, default) returning *":
    /function upper/,
  'insert into audit_log (entity, message) select status, note from orders where note is not null': /column list/,
  "insert into audit_log (entity, message, level) select 'customer', name, 2 from customers where country = ?":
    /column list/,
  'update products set price = price * 1.1, discontinued = true where stock < 5': /operator \*/,
  'update `AppUsers` set `displayName` = upper(`displayName`) where `userId` = ?': /function upper/,
  'delete from order_items where order_id = ? and quantity = 1 returning order_id, product_id':
    /RETURNING out for MySQL/,
};

/**
 * Statements Knex spells differently with the same meaning: a boolean column as `<> 0` (MySQL's
 * truth), a constant on the left flipped to the right, `from a, b` as a cross join.
 */
const corpusSpelledDifferently = new Set([
  'select id from customers where vip order by id',
  'select id from customers where vip is false order by id',
  'select id from orders where 100 < total order by id',
  'select customers.name, orders.total from customers, orders where orders.customer_id = customers.id and orders.total > 100 order by orders.id',
  'select id from orders where customer_id in (select id from customers where vip) order by id',
]);

/** Knex-specific constructs beyond the shared corpus; `sameShape: false` where Knex spells them differently. */
const knexCases: Case[] = [
  {
    sql: "with paid as (select id, customer_id from orders where status = 'paid') select p.id, c.name from paid p join customers c on c.id = p.customer_id order by p.id",
  },
  { sql: 'select id, status from orders where id = 1 for update' },
  { sql: 'select o.id from orders o where o.id = 2 for update skip locked' },
  {
    sql: 'select t.order_id, i.product_id from (select id as order_id from orders where total > 100) t join order_items i using (order_id) order by 1, 2',
  },
  {
    sql: 'select o.id, x.name from orders o join (select id, name from customers where vip) x on x.id = o.customer_id order by o.id',
    sameShape: false,
  },
  { sql: "select id from customers where vip is not false and country = 'UK' order by id", sameShape: false },
  { sql: 'select id from customers where vip is true order by id', sameShape: false },
  { sql: 'select 1 as one' },
  { sql: 'select count(*) as n from orders where (select avg(total) from orders) < total', sameShape: false },
  {
    sql: "select o.id from orders o left join customers c on c.id = o.customer_id and (c.vip or c.country = 'US') where c.id is null order by o.id",
    sameShape: false,
  },
  { sql: "select id from orders where not (status = 'paid' or (total > 100 and note is null)) order by id" },
  { sql: "select id from orders where 'paid' = status and ? <= total order by id", params: [60], sameShape: false },
  {
    sql: "select status from orders group by status having status <> 'cancelled' and status in ('paid', 'shipped') order by status",
  },
  { sql: "select status from orders group by status having status = 'paid' or status is null order by status" },
  {
    sql: 'select id from orders where not (note is null) and not (customer_id in (1, 2)) order by id',
    sameShape: false,
  },
  { sql: 'select name from customers where name like ? order by name', params: ['%a%'] },
  { sql: 'select id from products where price between ? and ? order by id', params: [10, 80] },
  { sql: 'select id from products where price = 19.5 order by id' },
  {
    sql: 'select c.name, count(o.id) as orders from customers c left join orders o on o.customer_id = c.id group by c.name order by orders desc, c.name',
  },
  { sql: 'select distinct o.customer_id from orders o where o.total between 50 and 300 order by 1' },
  { sql: 'select id from orders where customer_id in (1, null) order by id' },
  {
    sql: "delete from order_items where order_id in (select id from orders where status = 'cancelled')",
    check: 'select order_id, product_id from order_items order by 1, 2',
  },
  {
    sql: "update products set stock = stock - 2, title = 'Old' where id = 5",
    check: 'select * from products order by id',
    sameShape: false,
  },
  { sql: 'update orders set note = status where id = 3', check: 'select id, note from orders order by id' },
  {
    sql: 'update products set stock = stock + 1, price = 2.5 where id = 2',
    check: 'select * from products order by id',
    sameShape: false,
  },
];

const refusals: { construct: string; sql: string; reason: RegExp }[] = [
  {
    construct: 'NULLS FIRST',
    sql: 'select id from orders order by customer_id nulls first',
    reason: reason(REFUSAL.mysqlNullsOrder),
  },
  { construct: 'ILIKE', sql: "select name from customers where name ilike 'a%'", reason: reason(REFUSAL.mysqlIlike) },
  {
    construct: 'FULL JOIN',
    sql: 'select o.id from orders o full join customers c on c.id = o.customer_id',
    reason: reason(REFUSAL.mysqlFullJoin),
  },
  { construct: 'RETURNING', sql: 'delete from audit_log returning id', reason: /RETURNING/ },
  {
    construct: 'ON CONFLICT',
    sql: "insert into audit_log (id, entity) values (1, 'x') on conflict (id) do nothing",
    reason: /ON CONFLICT/,
  },
  { construct: 'unaliased aggregate', sql: 'select count(*) from orders', reason: /alias/ },
  {
    construct: 'unaliased scalar subquery',
    sql: 'select (select max(total) from orders) from customers',
    reason: /alias/,
  },
  { construct: 'unaliased constant', sql: 'select 1 from orders', reason: /alias/ },
  {
    construct: 'unaliased aggregate in a derived table',
    sql: 'select 1 as x from (select count(*) from orders) t',
    reason: /alias/,
  },
  { construct: 'SET reading a column it sets', sql: "update products set title = sku, sku = 'x'", reason: /in order/ },
  { construct: 'DISTINCT ON', sql: 'select distinct on (status) id from orders', reason: /DISTINCT ON/ },
  {
    construct: 'IS DISTINCT FROM',
    sql: "select id from orders where note is distinct from 'x'",
    reason: /DISTINCT FROM/,
  },
  { construct: 'FOR SHARE', sql: 'select id from orders for share', reason: /FOR UPDATE/ },
  {
    construct: 'MATERIALIZED',
    sql: 'with t as materialized (select id from orders) select id from t',
    reason: /MATERIALIZED/,
  },
  {
    construct: 'HAVING an aggregate',
    sql: 'select status from orders group by status having count(*) > 1',
    reason: /aggregate/,
  },
  { construct: 'increment by a parameter', sql: 'update products set stock = stock + ?', reason: /operator \+/ },
  {
    construct: 'window function',
    sql: 'select id, row_number() over (order by id) as n from orders',
    reason: /window/,
  },
  {
    construct: 'string constant selected',
    sql: "select 'x' as k from orders",
    reason: reason(REFUSAL.knexRaw('a constant other than an integer in the select list')),
  },
  { construct: 'UNION', sql: 'select id from orders union select id from customers', reason: /UNION/ },
  { construct: 'a keyword written with capitals as a name', sql: 'select Level from audit_log', reason: /capitals/ },
  {
    construct: 'parameter without host expression',
    sql: 'select id from orders where id = ? and total > ?',
    reason: /\$2/,
  },
];

describe('SQL → Knex on the real MariaDB', () => {
  let database: TestDatabase;
  let pool: mysql.Pool;
  let db: Knex;
  const loader = new ModuleLoader('ls-knex-mysql-');

  before(async () => {
    database = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8'));
    pool = mysql.createPool({ ...mysqlServer, database: database.name, connectionLimit: 2 });
    db = knex({ client: 'mysql2', connection: { ...mysqlServer, database: database.name }, pool: { min: 0, max: 2 } });
  });

  after(async () => {
    await db?.destroy();
    await pool?.end();
    await database?.drop();
    loader.dispose();
  });

  const run = {
    original: (entry: Case) => runOriginalMysql(pool, entry),
    builder: (code: string, entry: Case) => runKnexBuilder(db, loader, code, entry),
  };

  test('the shared corpus: converted code returns the same rows and state, or the statement is refused', async (t) => {
    const expectations = { refused: corpusRefusals, spelledDifferently: corpusSpelledDifferently };
    const counts = await checkCorpus(t, mysqlCorpus, 'mysql', expectations, run);
    t.diagnostic(`MariaDB corpus: ${counts.converted} converted, ${counts.refused} refused`);
    assert.ok(counts.converted >= 60);
  });

  test('Knex-specific constructs: CTEs, locks, USING, IS TRUE/FALSE, groups, increments', async (t) => {
    const spelledDifferently = new Set(
      knexCases.filter((entry) => entry.sameShape === false).map((entry) => entry.sql),
    );
    const counts = await checkCorpus(t, knexCases, 'mysql', { refused: {}, spelledDifferently }, run);
    t.diagnostic(`Knex cases: ${counts.converted} converted`);
  });

  test('unsupported constructs are refused with the reason', async (t) => {
    for (const { construct, sql, reason } of refusals) {
      await t.test(construct, async () => {
        const conversion = await convertCase({ sql, params: [1] }, 'mysql');
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
