import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { extractEmbedded } from '../../server/src/embedded/extract';
import { toHostRange, toSqlOffset, type SqlRegion } from '../../server/src/embedded/region';
import type { Dialect } from '../../server/src/schema/snapshot';

const fixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/embedded/${path}`, import.meta.url), 'utf8');

async function regionsOf(fileName: string, text: string, dialect: Dialect = 'postgres'): Promise<SqlRegion[]> {
  const { regions, notes } = await extractEmbedded(fileName, text, { dialect });
  assert.deepEqual(notes, []);
  return regions;
}

/** The one region whose SQL contains `marker`. */
function regionWith(regions: SqlRegion[], marker: string): SqlRegion {
  const found = regions.filter((r) => r.text.includes(marker));
  assert.equal(found.length, 1, `expected one region containing ${JSON.stringify(marker)}, got ${found.length}`);
  return found[0];
}

/** The host text that the SQL text `needle` (its `occurrence`-th appearance in the region) maps to. */
function hostOf(text: string, region: SqlRegion, needle: string, occurrence = 0): { start: number; text: string } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = region.text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${JSON.stringify(needle)} not in ${JSON.stringify(region.text)}`);
  const range = toHostRange(region, at, at + needle.length);
  return { start: range.start, text: text.slice(range.start, range.end) };
}

describe('embedded regions map SQL back to the exact host characters', () => {
  test('JS string escapes, unicode escapes and emoji before the SQL', async () => {
    const text = [
      "const banner = 'Café 😀 — ünïcödé';",
      String.raw`await pool.query('SELECT \'a\\b\' AS x, \x41bc AS "\u00e9t\u{1F600}", total_cents FROM orders');`,
    ].join('\n');
    const region = regionWith(await regionsOf('app.ts', text), 'total_cents');
    assert.equal(region.text, `SELECT 'a\\b' AS x, Abc AS "ét😀", total_cents FROM orders`);
    assert.deepEqual(hostOf(text, region, 'total_cents'), { start: text.indexOf('total_cents'), text: 'total_cents' });
    assert.equal(hostOf(text, region, '"ét😀"').text, String.raw`"\u00e9t\u{1F600}"`);
    assert.equal(hostOf(text, region, "'a\\b'").text, String.raw`\'a\\b\'`);
    assert.equal(hostOf(text, region, 'Abc').text, String.raw`\x41bc`);
    assert.equal(hostOf(text, region, 'orders').start, text.indexOf('orders'));
  });

  test('a pg config object with escaped quotes and \\n keeps every position', async () => {
    const text = fixture('typescript/orderRepository.ts');
    const region = regionWith(await regionsOf('orderRepository.ts', text), 'note LIKE');
    assert.equal(
      region.text,
      "SELECT id, total_cents FROM orders WHERE note LIKE '%' || $1 || '%' AND status <> 'café'\n ORDER BY id",
    );
    assert.equal(region.certainty, 'static');
    const orderBy = hostOf(text, region, 'ORDER BY id');
    assert.deepEqual(orderBy, { start: text.indexOf('ORDER BY id'), text: 'ORDER BY id' });
    assert.equal(hostOf(text, region, "'café'").text, String.raw`\'caf\u00e9\'`);
  });

  test('template-literal interpolations become $n parameters mapped to ${…}, across CRLF lines', async () => {
    const text = fixture('typescript/orderRepository.ts').replace(/\n/g, '\r\n');
    const region = regionWith(await regionsOf('orderRepository.ts', text), 'LIMIT');
    assert.equal(region.certainty, 'templated');
    assert.equal(region.injectionRisk, true);
    assert.ok(!region.text.includes('\r'), 'a template literal reads CRLF as LF');
    assert.deepEqual(
      region.parameters.map((p) => [region.text.slice(p.sqlStart, p.sqlEnd), text.slice(p.hostStart, p.hostEnd)]),
      [
        ['$1', '${customerId}'],
        ['$2', '${limit}'],
      ],
    );
    assert.deepEqual(hostOf(text, region, 'created_at'), {
      start: text.indexOf('created_at DESC'),
      text: 'created_at',
    });
    assert.equal(hostOf(text, region, '$2').text, '${limit}');
    // A range over a line break covers the host's CRLF whole.
    const across = hostOf(text, region, 'total_cents\n       FROM');
    assert.equal(across.text, 'total_cents\r\n       FROM');
  });

  test('nested template literals: one dynamic region for the outer statement, none for the fragment', async () => {
    const text = fixture('typescript/orderRepository.ts');
    const regions = await regionsOf('orderRepository.ts', text);
    const outer = regionWith(regions, 'total_cents > 0');
    assert.equal(outer.certainty, 'dynamic');
    assert.equal(
      text.slice(outer.hostStart, outer.hostEnd).startsWith('`SELECT * FROM orders WHERE total_cents > 0 ${status ?'),
      true,
    );
    assert.equal(
      regions.some((r) => r.text.startsWith('AND status')),
      false,
    );
  });

  test('String.raw keeps backslashes; concatenated literals map each piece', async () => {
    const text = fixture('typescript/orderRepository.ts');
    const raw = regionWith(await regionsOf('orderRepository.ts', text), 'archived');
    assert.equal(raw.text, String.raw`DELETE FROM orders WHERE status = 'archived' AND note ~ '\d+'`);
    assert.equal(hostOf(text, raw, String.raw`'\d+'`).start, text.indexOf(String.raw`'\d+'`));

    const mysql = fixture('javascript/mysqlShop.mjs');
    const joined = regionWith(await regionsOf('mysqlShop.mjs', mysql, 'mysql'), 'BETWEEN');
    assert.equal(
      joined.text,
      'SELECT id, total_cents FROM orders WHERE created_at BETWEEN ? AND ? ORDER BY `created_at`',
    );
    assert.deepEqual(hostOf(mysql, joined, 'ORDER BY'), { start: mysql.indexOf('ORDER BY'), text: 'ORDER BY' });
    assert.deepEqual(
      joined.parameters.map((p) => mysql.slice(p.hostStart, p.hostEnd)),
      [':from', ':to'],
    );
  });

  test('Python implicit concatenation, escapes, \\N{…} and a line continuation', async () => {
    const text = fixture('python/psycopg_orders.py');
    const region = regionWith(await regionsOf('psycopg_orders.py', text), 'note LIKE');
    assert.equal(
      region.text,
      "SELECT id, note FROM orders WHERE note LIKE $1 AND note <> 'café' AND status <> '—' AND total_cents > 0",
    );
    assert.equal(hostOf(text, region, '$1').text, '%s');
    assert.equal(hostOf(text, region, "'café'").text, String.raw`\'caf\u00e9\'`);
    assert.equal(hostOf(text, region, "'—'").text, String.raw`'\N{EM DASH}'`);
    const tail = hostOf(text, region, 'AND total_cents > 0');
    assert.deepEqual(tail, { start: text.indexOf('AND total_cents > 0'), text: 'AND total_cents > 0' });
    // Across the continuation the range covers the backslash and the newline.
    assert.equal(hostOf(text, region, "'—' AND").text, "'\\N{EM DASH}' \\\nAND");
  });

  test('Python triple-quoted strings in a CRLF file and pyformat placeholders', async () => {
    const text = fixture('python/psycopg_orders.py').replace(/\n/g, '\r\n');
    const region = regionWith(await regionsOf('psycopg_orders.py', text), 'customer_id = $1');
    assert.ok(!region.text.includes('\r'));
    assert.deepEqual(
      region.parameters.map((p) => text.slice(p.hostStart, p.hostEnd)),
      ['%(customer)s', '%(status)s'],
    );
    assert.deepEqual(hostOf(text, region, 'status = $2'), {
      start: text.indexOf('status = %(status)s'),
      text: 'status = %(status)s',
    });
  });

  test('f-strings: format specs map to the whole {…}, doubled braces to one', async () => {
    const text = fixture('python/psycopg_orders.py');
    const region = regionWith(await regionsOf('psycopg_orders.py', text), 'braces');
    assert.equal(region.text, "SELECT '{}' AS braces, total_cents FROM orders WHERE id = $1");
    assert.equal(region.certainty, 'templated');
    assert.equal(region.injectionRisk, true);
    assert.equal(hostOf(text, region, '$1').text, '{order_id:>{width}}');
    assert.equal(hostOf(text, region, "'{}'").text, "'{{}}'");
    assert.deepEqual(hostOf(text, region, 'total_cents'), {
      start: text.indexOf('total_cents FROM orders WHERE id = {order_id'),
      text: 'total_cents',
    });
  });

  test('raw Python strings keep their backslashes', async () => {
    const text = fixture('python/psycopg_orders.py');
    const region = regionWith(await regionsOf('psycopg_orders.py', text), 'note ~');
    assert.equal(region.text, String.raw`SELECT id FROM orders WHERE note ~ '\d+\n'`);
    assert.equal(hostOf(text, region, String.raw`'\d+\n'`).start, text.indexOf(String.raw`'\d+\n'`));
  });

  test('MySQL dialect: pyformat and $n placeholders become ?, %% becomes %', async () => {
    const text = fixture('python/pymysql_customers.py');
    const regions = await regionsOf('pymysql_customers.py', text, 'mysql');
    const insert = regionWith(regions, 'INSERT INTO customers');
    assert.equal(insert.text, 'INSERT INTO customers (email, display_name) VALUES (?, ?)');
    assert.equal(hostOf(text, insert, '?', 1).text, '%(name)s');
    const update = regionWith(regions, 'UPDATE orders');
    assert.equal(update.text, "UPDATE orders SET note = '100% off' WHERE total_cents > ?");
    assert.equal(hostOf(text, update, '100% off').text, '100%% off');
  });

  test('a cursor position in the host maps into the SQL and back', async () => {
    const text = fixture('typescript/orderRepository.ts');
    const region = regionWith(await regionsOf('orderRepository.ts', text), 'LIMIT');
    const hostColumn = text.indexOf('created_at DESC') + 3;
    const sqlOffset = toSqlOffset(region, hostColumn);
    assert.ok(sqlOffset !== undefined);
    assert.equal(region.text.slice(sqlOffset, sqlOffset + 7), 'ated_at');
    assert.equal(toSqlOffset(region, text.indexOf('pool.query<OrderRow>(\n    `SELECT id')), undefined);
  });
});
