/**
 * SQL → Knex equivalence on the real PostgreSQL: every corpus statement (plus Knex-specific cases)
 * is converted, the generated code runs with the real `knex` package (client `pg`), and its rows (in
 * order where ORDER BY fixes it) and the table state afterwards must equal the original statement's,
 * each in a rolled-back transaction on a fresh seeded database; the compiled SQL must have the
 * original's shape. What Knex can only write through `knex.raw` must be refused with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { GenerateOptions } from '../../server/src/migrate/builderTarget';
import { convertSqlToKnex } from '../../server/src/migrate/knex/generateKnex';
import { postgresCorpus, type Case } from '../fixtures/migrate/postgresCorpus';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { checkCorpus, convertCase, runKnexBuilder } from '../support/knexEquivalence';
import { ModuleLoader, runOriginalPostgres } from '../support/migrationEquivalence';
import { REFUSAL } from '../../server/src/migrate/query/refusals';
import { reason } from '../support/refusalReason';

const raw = /has no Knex builder method \(Knex would need knex\.raw\)/;

/** Corpus statements Knex cannot write without `knex.raw`. */
const corpusRefusals: Record<string, RegExp> = {
  'select status, count(*) as n from orders group by status having count(*) > 1 order by status': /aggregate count/,
  "select customer_id, sum(total) as spent from orders where status <> 'cancelled' group by customer_id having sum(total) > $1 order by spent desc":
    /aggregate sum/,
  'select id, price * stock as stock_value from products order by id': /operator \*/,
  'select id, (price - 1) * 2 as x from products order by id': /operator \*/,
  'select id from products where stock + 5 > 10 order by id': /operator \+/,
  'select lower(name) as lname, upper(country) from customers order by id': /function lower/,
  "select coalesce(note, 'none') as note from orders order by id": /COALESCE/,
  'select id from orders where customer_id = any($1) order by id': /ANY \(array\).*whereIn binds a list/,
  'select 1 as one, true as yes, $1 as label': reason(
    REFUSAL.knexRaw('a constant other than an integer in the select list'),
  ),
  "select id from products where title || sku like '%01' order by id": /operator \|\|/,
  'select id from products where stock % 2 = 0 order by id': /operator %/,
  'select id from products where abs(stock - 10) < 5 order by id': /function abs/,
  'select round(avg(price), 1) as avg_price from products': /function round/,
  'select name as "Customer Name", upper(country) as "Country" from customers order by id': /function upper/,
  'select id, total * 1.10 as with_tax, 9007199254740993 as big from orders where total > 49.90 order by id': raw,
  'select 123456789012345678901234567890.50 * 2 as huge, 0.1 + 0.2 as sum': raw,
  "select id, case when total > 100 then 'big' when total > 50 then 'medium' else 'small' end as size from orders order by id":
    /CASE/,
  "select id, case status when 'paid' then 1 when 'shipped' then 2 else 0 end as rank from orders order by 2, id":
    /CASE/,
  "select count(*) as n from orders where case when note is null then status = 'paid' else true end": /CASE/,
  'update "AppUsers" set "displayName" = upper("displayName") where "userId" = $1 returning "userId", "displayName"':
    /function upper/,
  "insert into products (id, sku, title, price, stock) values (7, 'A-1', upper('adapter'), 2.5, 1 + 2), (8, 'A-2', 'Hub', 19.99, default) returning *":
    /function upper/,
  'update products set price = price * 1.1, discontinued = true where stock < 5 returning id, price, discontinued':
    /operator \*/,
};

/** Knex-specific constructs, beyond the shared corpus. */
const knexCases: Case[] = [
  {
    sql: "with paid as (select id, customer_id from orders where status = 'paid') select p.id, c.name from paid p join customers c on c.id = p.customer_id order by p.id",
  },
  { sql: 'with t as materialized (select id from orders where total > 100) select id from t order by id' },
  { sql: 'select distinct on (customer_id) customer_id, id from orders order by customer_id, id desc' },
  { sql: 'select id, status from orders where id = 1 for update' },
  { sql: 'select o.id from orders o where o.id = 2 for update of o skip locked' },
  { sql: 'select o.id from orders o where o.total > 100 for share nowait' },
  {
    sql: 'select t.order_id, i.product_id from (select id as order_id from orders where total > 100) t join order_items i using (order_id) order by 1, 2',
  },
  {
    sql: 'select o.id, x.name from orders o join (select id, name from customers where vip) x on x.id = o.customer_id order by o.id',
    sameShape: false,
  },
  { sql: "select id from customers where vip is not false and country = 'UK' order by id", sameShape: false },
  { sql: 'select id from products where discontinued is not true order by id', sameShape: false },
  { sql: "select id from orders where status is distinct from 'paid' order by id", sameShape: false },
  { sql: "select id from orders where note is not distinct from 'wrong cable' order by id", sameShape: false },
  { sql: 'select 1 as one' },
  { sql: 'select count(*) from orders where (select avg(total) from orders) < total', sameShape: false },
  {
    sql: "select o.id from orders o left join customers c on c.id = o.customer_id and (c.vip or c.country = 'US') where c.id is null order by o.id",
    sameShape: false,
  },
  {
    sql: 'select c.id from customers c where not exists (select 1 from orders o where o.customer_id = c.id) order by c.id',
  },
  { sql: "select id from orders where not (status = 'paid' or (total > 100 and note is null)) order by id" },
  { sql: "select id from orders where 'paid' = status and $1 <= total order by id", params: [60], sameShape: false },
  {
    sql: "select status from orders group by status having status <> 'cancelled' and status in ('paid', 'shipped') order by status",
  },
  { sql: "select status from orders group by status having status = 'paid' or status is null order by status" },
  {
    sql: 'select id from orders where not (note is null) and not (customer_id in (1, 2)) order by id',
    sameShape: false,
  },
  { sql: 'select id from orders where total <= 49.90 order by id' },
  { sql: 'select name from customers where name like $1 order by name', params: ['%a%'] },
  { sql: 'select id from products where price between $1 and $2 order by id', params: [10, 80] },
  {
    sql: 'select c.name, count(o.id) as orders from customers c left join orders o on o.customer_id = c.id group by c.name order by orders desc, c.name',
  },
  { sql: 'select id from orders where customer_id in (1, null) order by id' },
  { sql: 'select id from orders order by customer_id desc nulls last, id' },
  {
    sql: "delete from order_items where order_id in (select id from orders where status = 'cancelled') returning order_id, product_id",
  },
  {
    sql: "update products set stock = stock - 2, title = 'Old' where id = 5 returning id, stock, title",
    check: 'select * from products order by id',
    sameShape: false,
  },
  { sql: 'update orders set note = status where id = 3 returning id, note' },
  {
    sql: "insert into customers (id, name) values (1, 'Ada') on conflict (id) do update set name = 'Ada L.', country = excluded.country returning id, name, country",
  },
  {
    sql: "insert into customers (id, name, email) values (9, 'X', 'ada@example.com') on conflict do nothing returning id",
    check: 'select id from customers order by id',
  },
];

/**
 * Statements Knex spells differently with the same meaning: a boolean column as `= true`, a
 * constant on the left flipped to the right, IS [NOT] TRUE/FALSE and IS [NOT] DISTINCT FROM
 * expanded to `=` and IS NULL, `from a, b` as a cross join, NOT moved into `not in`/`is not null`,
 * an unaliased scalar subquery named by `.as()`, increments written after the other assignments.
 */
const corpusSpelledDifferently = new Set([
  'select id from customers where vip order by id',
  'select id from customers where vip is false order by id',
  'select id from customers where email is not distinct from null order by id',
  'select customers.name, orders.total from customers, orders where orders.customer_id = customers.id and orders.total > 100 order by orders.id',
  'select id from orders where 100 < total order by id',
  'select id from orders where customer_id in (select id from customers where vip) order by id',
  'select id, total, (select max(total) from orders) from orders where total > (select avg(total) from orders) order by id',
]);
const knexSpelledDifferently = new Set(
  knexCases.filter((entry) => entry.sameShape === false).map((entry) => entry.sql),
);

const refusals: { construct: string; sql: string; reason: RegExp }[] = [
  {
    construct: 'window function',
    sql: 'select id, row_number() over (order by id) from orders',
    reason: reason(REFUSAL.windowFunction('row_number')),
  },
  {
    construct: 'WITH RECURSIVE',
    sql: 'with recursive t(n) as (select 1 union select n + 1 from t where n < 3) select n from t',
    reason: reason(REFUSAL.recursiveWith),
  },
  {
    construct: 'op ANY (subquery)',
    sql: 'select id from orders where total > any (select total from orders)',
    reason: /ANY/,
  },
  {
    construct: 'UNION',
    sql: 'select id from orders union select id from customers',
    reason: reason(REFUSAL.setOperation),
  },
  { construct: 'cast', sql: 'select id::text from orders', reason: /cast/ },
  {
    construct: 'typed literal',
    sql: "select id from orders where placed_on > date '2024-01-01'",
    reason: /typed literals/,
  },
  { construct: 'unmapped function', sql: 'select md5(name) from customers', reason: /function md5/ },
  { construct: 'aggregate FILTER', sql: 'select count(*) filter (where total > 1) from orders', reason: /FILTER/ },
  {
    construct: 'aggregate over an expression',
    sql: 'select sum(price * stock) as v from products',
    reason: /over a column/,
  },
  { construct: 'min(DISTINCT …)', sql: 'select min(distinct total) as m from orders', reason: /DISTINCT/ },
  {
    construct: 'HAVING an aggregate',
    sql: 'select status from orders group by status having count(*) > 1',
    reason: /aggregate count/,
  },
  { construct: 'ORDER BY an expression', sql: 'select name from customers order by lower(name)', reason: /ORDER BY/ },
  { construct: 'GROUP BY an expression', sql: 'select count(*) from orders group by total > 100', reason: /GROUP BY/ },
  {
    construct: 'string constant selected',
    sql: "select 'x' as k from orders",
    reason: reason(REFUSAL.knexRaw('a constant other than an integer in the select list')),
  },
  { construct: 'constant condition', sql: 'select id from orders where true', reason: /constant condition/ },
  {
    construct: 'constants compared',
    sql: 'select id from orders where 1 = 1',
    reason: reason(REFUSAL.knexColumnOnly('a comparison')),
  },
  {
    construct: 'IS DISTINCT FROM a parameter',
    sql: 'select id from orders where note is distinct from $1',
    reason: /constant/,
  },
  { construct: 'NATURAL JOIN', sql: 'select * from orders natural join customers', reason: /NATURAL/ },
  {
    construct: 'nested join',
    sql: 'select o.id from orders o join (order_items i join products p on p.id = i.product_id) on i.order_id = o.id',
    reason: /nested/,
  },
  {
    construct: 'NOT in ON',
    sql: 'select o.id from orders o join customers c on not (c.id = o.customer_id)',
    reason: /NOT around/,
  },
  { construct: 'LATERAL', sql: 'select o.id from orders o, lateral (select 1 as x) l', reason: /LATERAL/ },
  { construct: 'FROM subquery without alias', sql: 'select id from (select id from orders)', reason: /alias/ },
  { construct: 'column aliases on a table', sql: 'select a from orders as o(a, b)', reason: /column aliases/ },
  { construct: 'ONLY', sql: 'select id from only orders', reason: /ONLY/ },
  { construct: 'LIMIT ALL', sql: 'select id from orders limit all', reason: /LIMIT/ },
  { construct: 'name with a dot', sql: 'select "a.b" from orders', reason: /"a\.b"/ },
  { construct: 'name with a question mark', sql: 'select "what?" from orders', reason: /"what\?"/ },
  { construct: 'name with " as "', sql: 'select "x as y" from orders', reason: /"x as y"/ },
  {
    construct: 'INSERT … SELECT',
    sql: 'insert into audit_log (entity) select status from orders',
    reason: /column list/,
  },
  { construct: 'INSERT without columns', sql: "insert into audit_log values (1, 'x')", reason: /column list/ },
  {
    construct: 'UPDATE … FROM several tables',
    sql: 'update orders set note = c.name from customers c, products p where p.id = orders.id',
    reason: reason(REFUSAL.knexRaw('UPDATE … FROM several tables')),
  },
  {
    construct: 'DELETE … USING a join',
    sql: 'delete from orders using customers c join products p on p.id = c.id',
    reason: reason(REFUSAL.onlyPlainTables('DELETE … USING')),
  },
  { construct: 'SET (a, b) = (…)', sql: 'update orders set (status, note) = (1, 2)', reason: /SET \(a, b\)/ },
  { construct: 'SET = DEFAULT', sql: 'update orders set note = default', reason: /DEFAULT/ },
  { construct: 'increment by a parameter', sql: 'update products set stock = stock + $1', reason: /operator \+/ },
  {
    construct: 'ON CONSTRAINT',
    sql: "insert into customers (id, name) values (1, 'x') on conflict on constraint customers_pkey do nothing",
    reason: /ON CONSTRAINT/,
  },
  {
    construct: 'ON CONFLICT … WHERE',
    sql: "insert into customers (id, name) values (1, 'x') on conflict (id) do update set name = 'y' where customers.vip",
    reason: /WHERE/,
  },
  { construct: 'several statements', sql: 'select 1; select 2', reason: /one statement/ },
  { construct: 'DDL', sql: 'create table t (id int)', reason: /only SELECT/ },
  { construct: 'parameter without host expression', sql: 'select id from orders where id = $2', reason: /\$2/ },
  { construct: 'syntax error', sql: 'select from where', reason: /does not parse/ },
];

describe('SQL → Knex on the real PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Knex;
  const loader = new ModuleLoader('ls-knex-');

  before(async () => {
    database = await createPostgresDatabase(readFileSync('test/fixtures/migrate/postgres.sql', 'utf8'));
    pool = new pg.Pool({ ...pgServer, database: database.name, max: 2 });
    db = knex({ client: 'pg', connection: { ...pgServer, database: database.name }, pool: { min: 0, max: 2 } });
  });

  after(async () => {
    await db?.destroy();
    await pool?.end();
    await database?.drop();
    loader.dispose();
  });

  const run = {
    original: (entry: Case) => runOriginalPostgres(pool, entry),
    builder: (code: string, entry: Case) => runKnexBuilder(db, loader, code, entry),
  };

  test('the shared corpus: converted code returns the same rows and state, or the statement is refused', async (t) => {
    const counts = await checkCorpus(
      t,
      postgresCorpus,
      'postgres',
      { refused: corpusRefusals, spelledDifferently: corpusSpelledDifferently },
      run,
    );
    t.diagnostic(`PostgreSQL corpus: ${counts.converted} converted, ${counts.refused} refused`);
    assert.ok(counts.converted >= 60);
  });

  test('Knex-specific constructs: CTEs, DISTINCT ON, locks, USING, IS TRUE/FALSE, groups, upserts', async (t) => {
    const counts = await checkCorpus(
      t,
      knexCases,
      'postgres',
      { refused: {}, spelledDifferently: knexSpelledDifferently },
      run,
    );
    t.diagnostic(`Knex cases: ${counts.converted} converted`);
  });

  test('parameters spliced into the SQL text are taken only where a value stands', async () => {
    const options: GenerateOptions = {
      dialect: 'postgres',
      parameters: ['minTotal'],
      valuesOnly: true,
      instance: 'db',
    };
    const right = await convertSqlToKnex('select id from orders where total > $1', options);
    assert.ok('code' in right);
    assert.match(right.code, /\.where\('total', '>', minTotal\)/);
    // Flipping `$1 < total` would put text that may have been a column name into a value position.
    const left = await convertSqlToKnex('select id from orders where $1 < total', options);
    assert.ok('refused' in left);
    assert.match(left.refused, /interpolation minTotal stands where SQL text/);
    const bound = await convertSqlToKnex('select id from orders where $1 < total', { ...options, valuesOnly: false });
    assert.ok('code' in bound);
    assert.match(bound.code, /\.where\('total', '>', minTotal\)/);
  });

  test('an instance expression other than a name or member is parenthesized before it is called', async () => {
    const options: GenerateOptions = { dialect: 'postgres', parameters: [], valuesOnly: false, instance: 'trx ?? db' };
    const conversion = await convertSqlToKnex('select id from orders where note = status', options);
    assert.ok('code' in conversion);
    assert.match(conversion.code, /^\(trx \?\? db\)\('orders'\)[^]*\(trx \?\? db\)\.ref\('status'\)/);
  });

  test('unsupported constructs are refused with the reason', async (t) => {
    for (const { construct, sql, reason } of refusals) {
      await t.test(construct, async () => {
        const conversion = await convertCase({ sql, params: [1] }, 'postgres');
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
