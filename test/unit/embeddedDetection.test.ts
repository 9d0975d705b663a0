import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { extractEmbedded } from '../../server/src/embedded/extract';
import type { Certainty, SqlRegion } from '../../server/src/embedded/region';
import { parseEmbeddedSettings } from '../../server/src/embedded/settings';
import type { Dialect } from '../../server/src/schema/snapshot';

const fixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/embedded/${path}`, import.meta.url), 'utf8');

type Row = [Certainty | 'fragment', string, string];

/**
 * Each region as `[certainty, origin, SQL]`, in source order, compared with expected rows whose
 * SQL is a prefix of the region's text (whitespace runs read as one space).
 */
async function expectRegions(path: string, dialect: Dialect, expected: Row[]): Promise<void> {
  const { regions, notes } = await extractEmbedded(path, fixture(path), { dialect });
  assert.deepEqual(notes, []);
  const actual: Row[] = regions.map((r: SqlRegion) => [
    r.kind === 'fragment' ? 'fragment' : r.certainty,
    r.origin.name,
    r.text.trim().replace(/\s+/g, ' '),
  ]);
  const comparable = actual.map((row, i) => {
    const prefix = expected[i]?.[2];
    return prefix !== undefined && row[2].startsWith(prefix) ? ([row[0], row[1], prefix] as Row) : row;
  });
  assert.deepEqual(comparable, expected);
}

describe('which strings are SQL, and how certain', () => {
  test('pg: query calls, a config object, String.raw through a constant; log and UI text left alone', async () => {
    await expectRegions('typescript/orderRepository.ts', 'postgres', [
      ['static', 'pool.query', 'SELECT id, customer_id, total_cents FROM '],
      ['templated', 'pool.query', 'SELECT id, customer_id, total_cents FROM '],
      ['static', 'pool.query', 'SELECT id, total_cents FROM orders WHERE '],
      ['dynamic', 'pool.query', 'SELECT * FROM orders ORDER BY $1 $2'],
      ['dynamic', 'pool.query', 'SELECT * FROM orders WHERE total_cents > '],
      ['dynamic', 'pool.query', 'SELECT o.* FROM orders o JOIN customers c'],
      ['static', 'pool.query', "DELETE FROM orders WHERE status = 'archiv"],
    ]);
  });

  test('postgres.js: the sql tag binds values; sql(ids) and sql.unsafe with a table name are dynamic', async () => {
    await expectRegions('typescript/postgresJs.ts', 'postgres', [
      ['templated', 'sql', 'select id, email, display_name from cust'],
      ['dynamic', 'sql', 'select * from orders where id in $1'],
      ['dynamic', 'sql.unsafe', 'select count(*) from $1'],
      ['templated', 'sql', 'update customers set display_name = $1 w'],
    ]);
    const { regions } = await extractEmbedded('postgresJs.ts', fixture('typescript/postgresJs.ts'), {
      dialect: 'postgres',
    });
    assert.deepEqual(
      regions.map((r) => r.injectionRisk),
      [false, false, true, false],
    );
  });

  test('Kysely sql tag with a type argument and sql.raw', async () => {
    await expectRegions('typescript/kyselyReports.ts', 'postgres', [
      ['templated', 'sql', 'SELECT sum(total_cents) AS total FROM ord'],
      ['static', 'sql.raw', 'SELECT relname FROM pg_stat_user_tables W'],
      ['templated', 'sql', 'SELECT c.display_name, count(*) AS order'],
    ]);
  });

  test('Prisma $queryRaw/$executeRaw tags, Prisma.sql and $queryRawUnsafe', async () => {
    await expectRegions('typescript/prismaStats.ts', 'postgres', [
      ['static', 'prisma.$queryRaw', 'SELECT count(*) AS n FROM customers'],
      ['templated', 'prisma.$executeRaw', 'UPDATE orders SET updated_at = now() WHER'],
      ['static', 'prisma.$queryRawUnsafe', 'SELECT id FROM customers WHERE email = $1'],
      ['templated', 'Prisma.sql', 'SELECT id FROM orders WHERE status = $1'],
    ]);
  });

  test('Knex: raw statements with ? bindings, raw clauses as fragments, ?? as dynamic, jsonb ? kept', async () => {
    const text = fixture('javascript/knexInventory.js');
    const { regions } = await extractEmbedded('knexInventory.js', text, { dialect: 'postgres' });
    assert.deepEqual(
      regions.map((r) => [r.kind, r.certainty, r.text]),
      [
        ['statement', 'static', 'SELECT sku, quantity FROM inventory WHERE quantity < $1'],
        ['fragment', 'static', 'tags @> ARRAY[$1]::text[]'],
        ['fragment', 'static', 'created_at DESC NULLS LAST'],
        ['statement', 'dynamic', 'SELECT DISTINCT ?? FROM products'],
        ['statement', 'static', "SELECT id FROM products WHERE attributes ? 'flag' AND name = $1"],
      ],
    );
  });

  test('PostgreSQL operators written with ? (jsonb ?| ?&, jsonpath @?, geometric ?#) are kept; a ? apart is bound', async () => {
    const text = [
      "import { Client } from 'pg';",
      'const client = new Client();',
      "await client.query(\"SELECT id FROM events WHERE payload ?| array['a'] AND payload ?& array['b'] AND id = ?\");",
      'await client.query("SELECT id FROM events WHERE payload @? \'$.a\' AND box1 ?# box2 AND id > -?");',
    ].join('\n');
    const { regions } = await extractEmbedded('events.ts', text, { dialect: 'postgres' });
    assert.deepEqual(
      regions.map((r) => r.text),
      [
        "SELECT id FROM events WHERE payload ?| array['a'] AND payload ?& array['b'] AND id = $1",
        "SELECT id FROM events WHERE payload @? '$.a' AND box1 ?# box2 AND id > -$1",
      ],
    );
  });

  test('mysql2: execute/query with ?, :name and $1; a console.log that reads like SQL is not SQL', async () => {
    await expectRegions('javascript/mysqlShop.mjs', 'mysql', [
      ['static', 'connection.execute', 'SELECT id, email FROM customers WHERE id '],
      ['static', 'connection.query', 'SELECT id, total_cents FROM orders WHERE '],
      ['static', 'connection.query', 'SELECT id FROM orders WHERE customer_id ='],
      ['static', 'statement', 'SELECT id, total_cents FROM orders WHERE '],
    ]);
  });

  test('Sequelize in a .cjs file: replacements, and a statement built with += is dynamic', async () => {
    await expectRegions('javascript/sequelizeLegacy.cjs', 'mysql', [
      ['static', 'sequelize.query', 'SELECT id, email FROM customers WHERE las'],
      ['dynamic', 'sequelize.query', 'DELETE FROM customers WHERE'],
    ]);
  });

  test('psycopg: %s and %(name)s, f-strings, % formatting and concatenation; docstrings and logs left alone', async () => {
    await expectRegions('python/psycopg_orders.py', 'postgres', [
      ['static', 'cur.execute', 'SELECT id, customer_id, total_cents FROM '],
      ['static', 'cur.execute', 'SELECT id, total_cents FROM orders WHERE '],
      ['static', 'cur.execute', 'SELECT id, note FROM orders WHERE note LI'],
      ['templated', 'cur.execute', "SELECT '{}' AS braces, total_cents FROM "],
      ['static', 'cur.execute', "SELECT id FROM orders WHERE note ~ '\\d+\\n"],
      ['dynamic', 'cur.execute', 'SELECT * FROM orders ORDER BY $1 $2'],
      ['dynamic', 'cur.execute', 'SELECT * FROM orders WHERE id IN ($1)$2'],
      ['dynamic', 'cur.execute', "SELECT * FROM customers WHERE email = ''"],
    ]);
  });

  test('PyMySQL: executemany, and a module constant passed to execute', async () => {
    await expectRegions('python/pymysql_customers.py', 'mysql', [
      ['static', 'cur.execute', 'SELECT id, email FROM customers WHERE id '],
      ['static', 'cur.executemany', 'INSERT INTO customers (email, display_nam'],
      ['static', 'cur.execute', "UPDATE orders SET note = '100% off' WHERE"],
      ['static', 'cur.execute', 'SELECT `id`, total_cents FROM orders WHER'],
    ]);
  });

  test('SQLAlchemy text() inside execute, :name binds next to :: casts, exec_driver_sql', async () => {
    const text = fixture('python/sqlalchemy_reports.py');
    const { regions } = await extractEmbedded('sqlalchemy_reports.py', text, { dialect: 'postgres' });
    assert.deepEqual(
      regions.map((r) => [r.origin.name, r.certainty, r.text]),
      [
        ['text', 'static', 'SELECT sum(total_cents) FROM orders WHERE created_at >= $1'],
        ['conn.exec_driver_sql', 'static', 'SELECT count(*) FROM customers'],
        ['text', 'static', 'SELECT total_cents::numeric / 100 AS euros FROM orders WHERE id = $1'],
      ],
    );
  });

  test('Django: Manager.raw over implicit concatenation, cursor.execute; print and UI strings left alone', async () => {
    await expectRegions('python/django_views.py', 'postgres', [
      ['static', 'Customer.objects.raw', 'SELECT c.id, c.email FROM customers c JO'],
      ['static', 'cursor.execute', 'DELETE FROM audit_log WHERE created_at <'],
    ]);
  });
});

describe('settings and bad input', () => {
  test('a query call whose first keyword has one slip is SQL (its syntax error shows); other text there is not', async () => {
    const text = [
      "pool.query('selct id from orders');",
      "pool.query('UPDTE orders SET total_cents = 0');",
      "cur.execute('delte from orders');",
      "pool.query('Selct id from orders');",
      "pool.query('selection of orders');",
      "pool.query('users');",
      "pool.query('salad from the garden');",
      "const q = 'selct id from orders';",
      '',
    ].join('\n');
    const { regions } = await extractEmbedded('a.ts', text, { dialect: 'postgres' });
    assert.deepEqual(
      regions.map((r) => r.text),
      ['selct id from orders', 'UPDTE orders SET total_cents = 0', 'delte from orders'],
    );
  });

  test('a configured query call is recognised; statement detection can be switched off', async () => {
    const text = "db.run('SHOW search_path');\nconst q = 'SELECT id FROM orders';\n";
    const defaults = await extractEmbedded('a.ts', text, { dialect: 'postgres' });
    assert.deepEqual(
      defaults.regions.map((r) => r.text),
      ['SELECT id FROM orders'],
    );
    const { settings, errors } = parseEmbeddedSettings({
      queryCalls: { javascript: ['run'] },
      detectStatements: false,
    });
    assert.deepEqual(errors, []);
    const custom = await extractEmbedded('a.ts', text, { dialect: 'postgres', settings });
    assert.deepEqual(
      custom.regions.map((r) => r.text),
      ['SHOW search_path'],
    );
  });

  test('bad settings are named and replaced by defaults', () => {
    const { settings, errors } = parseEmbeddedSettings({ sqlTags: 'sql', detectStatements: 'yes', maxFileBytes: 10 });
    assert.equal(errors.length, 2);
    assert.match(errors.join('\n'), /liveSchema\.embedded\.sqlTags/);
    assert.match(errors.join('\n'), /liveSchema\.embedded\.detectStatements/);
    assert.ok(settings.sqlTags.includes('sql'));
    assert.equal(settings.detectStatements, true);
    assert.equal(settings.maxFileBytes, 10);
  });

  test('a suppression comment marks the region on the next line', async () => {
    const text =
      "// live-schema-ignore-next-line\nawait pool.query('SELECT nope FROM orders');\nawait pool.query('SELECT id FROM orders');\n";
    const { regions } = await extractEmbedded('a.ts', text, { dialect: 'postgres' });
    assert.deepEqual(
      regions.map((r) => r.suppressed),
      [true, false],
    );
  });

  test('binary and oversized files are skipped with a note; other file types are ignored', async () => {
    const binary = await extractEmbedded('blob.js', `var a = 1;\0\0\u0001SELECT * FROM t`, { dialect: 'postgres' });
    assert.deepEqual(binary.regions, []);
    assert.match(binary.notes[0], /binary/);
    const { settings } = parseEmbeddedSettings({ maxFileBytes: 1000 });
    const huge = await extractEmbedded('big.py', 'x = 1\n'.repeat(500), { dialect: 'postgres', settings });
    assert.match(huge.notes[0], /larger than 1,000 bytes/);
    assert.deepEqual(await extractEmbedded('notes.md', 'SELECT * FROM t', { dialect: 'postgres' }), {
      language: undefined,
      regions: [],
      dependencies: [],
      notes: [],
    });
  });

  test('syntax errors: JS skips the broken line and reads the rest; Python reads around the error', async () => {
    const typo = "const x = ;\nawait pool.query('SELECT id FROM orders');\n";
    const typoResult = await extractEmbedded('typo.ts', typo, { dialect: 'postgres' });
    assert.deepEqual(
      typoResult.regions.map((r) => r.text),
      ['SELECT id FROM orders'],
    );
    assert.match(typoResult.notes[0], /line 1/);

    const unclosed = [
      'export function broken(a: number {',
      '  return a;',
      '',
      "export const q = () => pool.query('SELECT id FROM orders');",
      'const also = `SELECT total_cents FROM orders WHERE id = ${id}`;',
    ].join('\n');
    const unclosedResult = await extractEmbedded('unclosed.ts', unclosed, { dialect: 'postgres' });
    assert.deepEqual(
      unclosedResult.regions.map((r) => [r.text, unclosed.slice(r.hostStart, r.hostStart + 8)]),
      [
        ['SELECT id FROM orders', "'SELECT "],
        ['SELECT total_cents FROM orders WHERE id = $1', '`SELECT '],
      ],
    );
    assert.match(unclosedResult.notes[0], /Syntax error at line 1/);

    // An unclosed brace is only noticed at the end: each top-level chunk is read on its own.
    const chunked = "let settings = {\nawait pool.query('SELECT id FROM orders');\n";
    const chunkedResult = await extractEmbedded('chunked.js', chunked, { dialect: 'postgres' });
    assert.deepEqual(
      chunkedResult.regions.map((r) => r.text),
      ['SELECT id FROM orders'],
    );
    assert.match(chunkedResult.notes.join('\n'), /read from the parts that parse/);

    const py = 'def broken(:\n    pass\ncur.execute("SELECT id FROM orders")\n';
    const pyResult = await extractEmbedded('broken.py', py, { dialect: 'postgres' });
    assert.deepEqual(
      pyResult.regions.map((r) => r.text),
      ['SELECT id FROM orders'],
    );
    assert.match(pyResult.notes[0], /syntax errors/);
  });

  test('random bytes never throw', async () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const name of ['junk.ts', 'junk.py', 'junk.jsx']) {
      for (let round = 0; round < 20; round++) {
        const text = Array.from({ length: 400 }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
        const result = await extractEmbedded(name, `pool.query('SELECT ${text}`, { dialect: 'postgres' });
        assert.ok(Array.isArray(result.regions));
      }
    }
  });
});
