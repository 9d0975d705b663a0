import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { analyzeRegions } from '../../server/src/embedded/analyzeRegions';
import { extractEmbedded } from '../../server/src/embedded/extract';
import { snapshotOf, tableOf } from '../support/snapshotBuilders';

const fixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/embedded/${path}`, import.meta.url), 'utf8');

const shop = snapshotOf([
  tableOf('customers', ['id', 'email', 'display_name', 'last_login']),
  tableOf('orders', ['id', 'customer_id', 'total_cents', 'status', 'note', 'created_at', 'updated_at']),
]);

async function findingsOf(fileName: string, text: string) {
  const { regions } = await extractEmbedded(fileName, text, { dialect: 'postgres', snapshot: shop });
  return analyzeRegions(regions, { snapshot: shop });
}

describe('analysing embedded SQL', () => {
  test('an unknown column lands on its exact host characters, after escapes and emoji', async () => {
    const text = String.raw`const label = 'Café 😀';
await pool.query('SELECT id, \'caf\u00e9\' AS label, totl_cents FROM orders WHERE id = $1', [id]);`;
    const findings = await findingsOf('app.ts', text);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, text.slice(f.start, f.end)]),
      [['unknown-column', 'error', 'totl_cents']],
    );
    assert.equal(findings[0].start, text.indexOf('totl_cents'));
  });

  test('an f-string with a format spec is checked with the interpolation as a parameter', async () => {
    const text = 'cur.execute(f"SELECT totl_cents FROM orders WHERE id = {order_id:>10}")\n';
    const findings = await findingsOf('app.py', text);
    assert.deepEqual(
      findings.map((f) => [f.code, text.slice(f.start, f.end)]),
      [['unknown-column', 'totl_cents']],
    );
  });

  test('valid SQL in the pg and psycopg fixtures gets no error; dynamic SQL only "not checked"', async () => {
    for (const path of ['typescript/orderRepository.ts', 'python/psycopg_orders.py', 'typescript/postgresJs.ts']) {
      const text = fixture(path);
      const findings = await findingsOf(path, text);
      assert.deepEqual(
        findings.filter((f) => f.severity === 'error'),
        [],
        path,
      );
      for (const f of findings) {
        assert.equal(f.code, 'not-checked');
        assert.equal(f.severity, 'information');
        assert.match(f.message, /^Not checked: dynamic SQL/);
      }
    }
  });

  test('suppressed regions and raw clauses are not analysed', async () => {
    const text = [
      '// live-schema-ignore-next-line',
      "await pool.query('SELECT nope FROM orders');",
      "await knex('orders').whereRaw('nope > ?', [1]);",
    ].join('\n');
    assert.deepEqual(await findingsOf('app.js', text), []);
  });
});
