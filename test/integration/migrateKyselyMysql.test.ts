/**
 * SQL → Kysely equivalence on the real MariaDB: every MySQL corpus statement (`?` placeholders,
 * backtick names) is converted, the generated code runs with the real `kysely` `MysqlDialect` over
 * `mysql2`, and its rows (in order where ORDER BY fixes it) and the table state afterwards must
 * equal the original statement's, each in a rolled-back transaction on a fresh seeded database.
 * What MySQL would run differently from PostgreSQL's reading is refused with the reason.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import mysql from 'mysql2/promise';
import type { GenerateOptions } from '../../server/src/migrate/builderTarget';
import { generateKysely } from '../../server/src/migrate/kysely/generateKysely';
import { mysqlCorpus } from '../fixtures/migrate/mysqlCorpus';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { checkRegionConversions, runKyselyBuilder } from '../support/kyselyEquivalence';
import { ModuleLoader, runOriginalMysql, shape, type Row } from '../support/migrationEquivalence';
import { REFUSAL } from '../../server/src/migrate/query/refusals';
import { reason } from '../support/refusalReason';

const refusals: { construct: string; sql: string; reason: RegExp }[] = [
  {
    construct: 'NULLS FIRST',
    sql: 'select id from orders order by customer_id nulls first',
    reason: reason(REFUSAL.mysqlNullsOrder),
  },
  { construct: 'ILIKE', sql: "select name from customers where name ilike 'a%'", reason: reason(REFUSAL.mysqlIlike) },
  {
    construct: 'UPDATE … RETURNING',
    sql: 'update products set stock = 1 where id = 1 returning id',
    reason: reason(REFUSAL.postgresOnly('UPDATE … RETURNING')),
  },
  {
    construct: 'ON CONFLICT',
    sql: "insert into audit_log (id, entity) values (1, 'x') on conflict (id) do nothing",
    reason: /ON CONFLICT/,
  },
  {
    construct: 'ON DUPLICATE KEY UPDATE',
    sql: "insert into audit_log (id, entity) values (1, 'x') on duplicate key update entity = 'y'",
    reason: /does not parse/,
  },
  {
    construct: 'FULL JOIN',
    sql: 'select o.id from orders o full join customers c on c.id = o.customer_id',
    reason: reason(REFUSAL.mysqlFullJoin),
  },
  {
    construct: 'IS DISTINCT FROM',
    sql: 'select id from customers where email is not distinct from null',
    reason: /DISTINCT FROM/,
  },
  {
    construct: '= ANY(array)',
    sql: 'select id from orders where customer_id = any(?)',
    reason: reason(REFUSAL.postgresOnly('ANY/ALL (array)')),
  },
  { construct: 'unaliased computed column', sql: 'select count(*) from orders', reason: /alias/ },
  { construct: 'unaliased scalar subquery', sql: 'select (select max(total) from orders)', reason: /alias/ },
  { construct: '|| (OR in MySQL)', sql: "select id from products where title || sku = 'x'", reason: /\|\|/ },
  { construct: 'double-quoted string', sql: 'select id from customers where name = "Ada"', reason: /double-quoted/ },
  { construct: 'LIMIT offset, count', sql: 'select id from orders limit 1, 2', reason: /does not parse/ },
  { construct: 'a keyword written with capitals as a name', sql: 'select Level from audit_log', reason: /capitals/ },
  { construct: 'user variable', sql: 'select id from orders where id = @id', reason: /variables/ },
  { construct: 'hexadecimal literal', sql: 'select id from orders where id = 0x01', reason: /hexadecimal/ },
  {
    construct: 'UPDATE … ORDER BY … LIMIT',
    sql: 'update orders set note = null order by id limit 1',
    reason: /does not parse/,
  },
  {
    construct: 'window function',
    sql: 'select id, row_number() over (order by id) as n from orders',
    reason: /window/,
  },
  { construct: 'UNION', sql: 'select id from orders union select id from customers', reason: /UNION/ },
  { construct: 'unmapped function', sql: 'select md5(name) as h from customers', reason: /md5.*not mapped/ },
  { construct: 'type cast', sql: 'select cast(id as char) as c from orders', reason: /cast/ },
  {
    construct: 'parameter without host expression',
    sql: 'select id from orders where id = ? and total > ?',
    reason: /\$2/,
  },
];

/** MySQL SQL strings in application code; `values` are the host variables in scope when they run. */
const hostFile = `
const byTotal = await pool.query(\`select id, total from orders where total > \${minTotal} order by id\`);
const byPlaceholders = await pool.query('select id from orders where status = ? and total > ? order by id', [status, minTotal]);
const mixed = await pool.query(\`select id from orders where customer_id = \${id} and total > ? order by id\`, [minTotal]);
const splicedColumn = await pool.query(\`select \${column} from orders\`);
`;
const hostValues = { minTotal: 50, id: 3, status: 'paid', column: 'status' };
const regionOutcomes: Record<string, RegExp | 'converted'> = {
  'select id, total from orders where total > ? order by id': 'converted',
  'select id from orders where status = ? and total > ? order by id': 'converted',
  'select id from orders where customer_id = ? and total > ? order by id': 'converted',
  'select ? from orders': /stands where SQL text/,
};

const options = (parameters: string[]): GenerateOptions => ({
  dialect: 'mysql',
  parameters,
  valuesOnly: false,
  instance: 'db',
});

describe('SQL → Kysely on the real MariaDB', () => {
  let database: TestDatabase;
  let pool: mysql.Pool;
  let db: Kysely<unknown>;
  const loader = new ModuleLoader('ls-kysely-mysql-');

  before(async () => {
    database = await createMysqlDatabase(readFileSync('test/fixtures/migrate/mysql.sql', 'utf8'));
    const settings = { ...mysqlServer, database: database.name, connectionLimit: 2 };
    pool = mysql.createPool(settings);
    db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool: createPool(settings) }) });
  });

  after(async () => {
    await db?.destroy().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await database?.drop();
    loader.dispose();
  });

  test(`${mysqlCorpus.length} statements: the generated Kysely code returns the same rows`, async (t) => {
    assert.ok(mysqlCorpus.length >= 65);
    t.diagnostic(
      `corpus size: ${mysqlCorpus.length} statements (${mysqlCorpus.filter((c) => c.check).length} also compare the table afterwards)`,
    );
    for (const entry of mysqlCorpus) {
      await t.test(entry.sql, async () => {
        const params = entry.params ?? [];
        const conversion = await generateKysely(entry.sql, options(params.map((_, i) => `params[${i}]`)));
        assert.ok('code' in conversion, `refused: ${'refused' in conversion ? conversion.refused : ''}`);
        const expected = await runOriginalMysql(pool, entry);
        const actual = await runKyselyBuilder(db, loader, conversion, entry);
        assert.ok(expected.rows.length + expected.state.length > 0, 'the statement shows nothing to compare');
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

  test('MySQL SQL strings in code: `?` placeholders and interpolations become builder arguments', async (t) => {
    await checkRegionConversions(t, {
      dialect: 'mysql',
      hostFile,
      regionOutcomes,
      hostValues,
      loader,
      db,
      runOriginal: async (text, values) => (await pool.query(text, values))[0] as Row[],
    });
  });

  test('constructs MySQL runs differently, or Kysely cannot spell, are refused with the reason', async (t) => {
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
