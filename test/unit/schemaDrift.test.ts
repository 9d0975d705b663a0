import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brokenReferences } from '../../server/src/index/brokenReferences';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import type { Relation, SchemaSnapshot } from '../../server/src/schema/snapshot';
import { diffSnapshots } from '../../server/src/schema/schemaDiff';
import { analyzeSql } from '../../server/src/sql/analyze';
import { markSchemaDrift } from '../../server/src/sql/schemaDrift';
import { snapshotOf as postgresSnapshotOf, tableOf } from '../support/snapshotBuilders';

const table = (name: string, columns: string[]): Relation => tableOf(name, columns, { type: 'integer' });
const snapshotOf = (relations: Relation[]): SchemaSnapshot =>
  postgresSnapshotOf(relations, { server: { version: '15' } });

const oldSchema = snapshotOf([table('customers', ['id', 'email']), table('orders', ['id', 'total_cents', 'status'])]);
// total_cents dropped, customers renamed to clients (same columns).
const newSchema = snapshotOf([table('clients', ['id', 'email']), table('orders', ['id', 'status'])]);
const changedAt = new Date('2026-12-06T14:05:00Z');

async function findingsOf(text: string, snapshot: SchemaSnapshot) {
  return (await analyzeSql(text, { dialect: 'postgres', snapshot })).findings;
}

describe('schema drift', () => {
  const text = 'SELECT total_cents, nope FROM orders;\nSELECT email FROM customers;\n';

  test('names that resolved before the change become schema-drift; names that never existed stay unknown', async () => {
    const marked = markSchemaDrift(await findingsOf(text, newSchema), await findingsOf(text, oldSchema), changedAt);
    const summary = marked.map((f) => `${f.code} ${text.slice(f.start, f.end)}`);
    assert.deepEqual(summary.sort(), ['schema-drift customers', 'schema-drift total_cents', 'unknown-column nope']);
    const drift = marked.find((f) => f.code === 'schema-drift' && text.slice(f.start, f.end) === 'total_cents');
    assert.match(drift?.message ?? '', /^Broken by the schema change noticed at 14:05 UTC: .*total_cents/);
    assert.equal(drift?.data?.driftFrom, 'unknown-column');
    assert.equal(drift?.severity, 'error');
  });

  test('the schema-drift severity setting applies, and off drops the drift findings only', async () => {
    const current = await findingsOf(text, newSchema);
    const previous = await findingsOf(text, oldSchema);
    assert.deepEqual(
      markSchemaDrift(current, previous, changedAt, 'warning').map((f) => f.severity),
      current.map((f) => (text.slice(f.start, f.end) === 'nope' ? 'error' : 'warning')),
    );
    assert.deepEqual(
      markSchemaDrift(current, previous, changedAt, 'off').map((f) => text.slice(f.start, f.end)),
      ['nope'],
    );
  });
});

describe('references a schema change breaks', () => {
  let root: string;
  const files: Record<string, string> = {
    'db/report.sql': 'SELECT total_cents FROM orders;\nSELECT c.email FROM customers c;\nSELECT status FROM orders;\n',
    'src/orders.ts': "export const totals = (pool) => pool.query('SELECT total_cents FROM orders');\n",
  };
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ls-drift-'));
    for (const [file, contents] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), contents);
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('lists every reference to a dropped column and to a renamed table (with its columns), by file and offset', async () => {
    const index = new WorkspaceIndex({ root, snapshot: oldSchema });
    await index.build();
    const broken = brokenReferences(index, diffSnapshots(oldSchema, newSchema));
    const summary = broken.map((r) => {
      const file = path.relative(root, r.file).split(path.sep).join('/');
      return `${file} ${files[file].slice(r.start, r.end)}`;
    });
    assert.deepEqual(summary, [
      'db/report.sql total_cents',
      'db/report.sql email',
      'db/report.sql customers',
      'src/orders.ts total_cents',
    ]);
  });

  test('a change that drops or renames nothing breaks nothing', async () => {
    const index = new WorkspaceIndex({ root, snapshot: oldSchema });
    await index.build();
    const widened = snapshotOf([...oldSchema.relations, table('invoices', ['id'])]);
    assert.deepEqual(brokenReferences(index, diffSnapshots(oldSchema, widened)), []);
  });
});
