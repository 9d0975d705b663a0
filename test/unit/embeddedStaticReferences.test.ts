import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { extractEmbedded } from '../../server/src/embedded/extract';
import { parseEmbeddedSettings } from '../../server/src/embedded/settings';
import type { StaticDependency } from '../../server/src/embedded/staticReferences';
import { snapshotOf, tableOf } from '../support/snapshotBuilders';

const fixture = (path: string): string =>
  readFileSync(new URL(`../fixtures/embedded/${path}`, import.meta.url), 'utf8');

const shop = snapshotOf([
  tableOf('audit_log', ['id', 'created_at', 'action']),
  tableOf('customers', ['id', 'email', 'display_name', 'last_login']),
  tableOf('orders', ['id', 'customer_id', 'total_cents', 'status', 'note', 'created_at', 'updated_at']),
]);

/** A dependency as `[code, element, host text]` for readable comparisons. */
const describeDependency = (text: string, d: StaticDependency): [string, string, string] => [
  d.code,
  [d.element.schema, d.element.table, d.element.column].filter(Boolean).join('.'),
  text.slice(d.start, d.end),
];

/** The offset of the `n`-th occurrence of `needle`. */
function nth(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf(needle, at + 1);
  return at;
}

describe('static dependencies', () => {
  test('TypeScript: table names, schema.table, table.column and static mappings', async () => {
    const text = fixture('typescript/staticNames.ts');
    const { dependencies } = await extractEmbedded('staticNames.ts', text, { dialect: 'postgres', snapshot: shop });
    assert.deepEqual(
      dependencies.map((d) => describeDependency(text, d)),
      [
        ['hardcoded-table', 'public.orders', 'orders'],
        ['hardcoded-table', 'public.audit_log', 'public.audit_log'],
        ['hardcoded-column', 'public.orders.total_cents', 'orders.total_cents'],
        ['static-mapping', 'public.orders.created_at', 'created_at'],
        ['static-mapping', 'public.orders.total_cents', 'total_cents'],
        ['static-mapping', 'public.orders.status', 'status'],
        ['static-mapping', 'public.customers', 'customers'],
        ['static-mapping', 'public.orders', 'orders'],
        ['hardcoded-table', 'public.orders', 'orders'],
      ],
    );
    const column = dependencies.find((d) => d.code === 'hardcoded-column');
    assert.equal(column?.start, text.indexOf('orders.total_cents'));
    assert.equal(column?.category, 'hardcoded-name');
    assert.equal(column?.severity, 'information');
    const lastTable = dependencies[dependencies.length - 1];
    assert.equal(lastTable.start, nth(text, "'orders'", 3) + 1, 'the literal in tableFor()');
    assert.match(lastTable.message, /Hard-coded table name "orders" \(public\.orders\)/);
  });

  test('Python: names, dict values and dict keys; the suppressed line is silent', async () => {
    const text = fixture('python/static_names.py');
    const { dependencies } = await extractEmbedded('static_names.py', text, { dialect: 'postgres', snapshot: shop });
    assert.deepEqual(
      dependencies.map((d) => describeDependency(text, d)),
      [
        ['hardcoded-table', 'public.orders', 'orders'],
        ['hardcoded-table', 'public.audit_log', 'public.audit_log'],
        ['hardcoded-column', 'public.orders.total_cents', 'orders.total_cents'],
        ['static-mapping', 'public.orders.created_at', 'created_at'],
        ['static-mapping', 'public.orders.total_cents', 'total_cents'],
        ['static-mapping', 'public.customers', 'customers'],
        ['static-mapping', 'public.orders', 'orders'],
        ['hardcoded-table', 'public.orders', 'orders'],
      ],
    );
    assert.equal(dependencies[2].start, text.indexOf('orders.total_cents'));
  });

  test('SQL templates: Information when static or bound, Warning when values are spliced in', async () => {
    const text = fixture('typescript/orderRepository.ts');
    const { dependencies, regions } = await extractEmbedded('orderRepository.ts', text, {
      dialect: 'postgres',
      snapshot: shop,
    });
    const templates = dependencies.filter((d) => d.code === 'sql-template');
    assert.equal(templates.length, regions.length);
    assert.deepEqual(
      templates.map((d) => [d.severity, d.elements?.map((e) => e.table).join(',') ?? '']),
      [
        ['information', 'orders'],
        ['warning', 'orders'],
        ['information', 'orders'],
        ['warning', 'orders'],
        ['warning', 'orders'],
        ['warning', 'orders,customers'],
        ['information', 'orders'],
      ],
    );
    const interpolated = templates[1];
    assert.equal(interpolated.start, text.indexOf('`SELECT id, customer_id, total_cents'));
    assert.equal(text[interpolated.end - 1], '`');
    assert.match(interpolated.message, /injection risk/);

    const bound = await extractEmbedded('postgresJs.ts', fixture('typescript/postgresJs.ts'), {
      dialect: 'postgres',
      snapshot: shop,
    });
    assert.deepEqual(
      bound.dependencies.map((d) => [d.code, d.severity, d.element.table]),
      [
        ['sql-template', 'information', 'customers'],
        ['sql-template', 'information', 'orders'],
        ['sql-template', 'information', 'customers'],
      ],
    );
  });

  test('a name counts only when the schema has it; one gone since the previous snapshot is marked', async () => {
    const text = "const a = 'orders';\nconst b = 'order_archive';\nconst c = 'users';\n";
    const previous = snapshotOf([...shop.relations, tableOf('order_archive', ['id'])]);
    const { dependencies } = await extractEmbedded('names.ts', text, {
      dialect: 'postgres',
      snapshot: shop,
      previousSnapshot: previous,
    });
    assert.deepEqual(
      dependencies.map((d) => [text.slice(d.start, d.end), d.goneNow ?? false]),
      [
        ['orders', false],
        ['order_archive', true],
      ],
    );
    const withoutSnapshot = await extractEmbedded('names.ts', text, { dialect: 'postgres' });
    assert.deepEqual(withoutSnapshot.dependencies, []);
  });

  test('ignored names, severities and "off" come from the settings', async () => {
    const text = fixture('typescript/staticNames.ts');
    const { settings } = parseEmbeddedSettings({
      ignoredNames: ['public.audit_log', 'orders.total_cents'],
      severities: { 'hardcoded-table': 'warning', 'static-mapping': 'off' },
    });
    const { dependencies } = await extractEmbedded('staticNames.ts', text, {
      dialect: 'postgres',
      snapshot: shop,
      settings,
    });
    assert.deepEqual(
      dependencies.map((d) => [d.code, d.severity, text.slice(d.start, d.end)]),
      [
        ['hardcoded-table', 'warning', 'orders'],
        ['hardcoded-table', 'warning', 'orders'],
      ],
    );
  });

  test('capitalised labels and prose are not table names; an object with one column name is no mapping', async () => {
    const text = [
      "const title = 'Orders';",
      "const label = 'orders list';",
      "const field = { kind: 'status', label: 'Status' };",
      "import orders from 'orders';",
      "const mod = require('customers');",
    ].join('\n');
    const { dependencies } = await extractEmbedded('labels.ts', text, { dialect: 'postgres', snapshot: shop });
    assert.deepEqual(dependencies, []);
  });
});
