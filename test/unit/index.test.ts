import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkspaceIndex, type ReferenceLocation } from '../../server/src/index/workspaceIndex';
import type { Relation, SchemaSnapshot } from '../../server/src/schema/snapshot';
import type { ElementRef } from '../../server/src/sql/editing/references';
import { snapshotOf as postgresSnapshotOf, tableOf } from '../support/snapshotBuilders';

/** Integer columns in a PostgreSQL 15 snapshot, as every case of this file builds them. */
const table = (name: string, columns: string[]): Relation => tableOf(name, columns, { type: 'integer' });
const snapshotOf = (relations: Relation[]): SchemaSnapshot =>
  postgresSnapshotOf(relations, { server: { version: '15' } });

const shop = snapshotOf([
  table('customers', ['id', 'email']),
  table('orders', ['id', 'customer_id', 'total_cents', 'status']),
]);
const totalCents: ElementRef = { kind: 'column', schema: 'public', table: 'orders', column: 'total_cents' };

const files: Record<string, string> = {
  'db/queries.sql': 'SELECT o.total_cents FROM orders o;\n\nUPDATE orders SET total_cents = 0 WHERE id = 1;\n',
  'src/orders.ts': [
    "import { pool } from './db';",
    '',
    '// Prices: “total” in cents — the multi-byte text before the SQL must not shift ranges.',
    'export async function totals(id: number) {',
    "  const { rows } = await pool.query('SELECT total_cents, status FROM orders WHERE id = $1', [id]);",
    '  return rows;',
    '}',
    "export const TOTAL_COLUMN = 'orders.total_cents';",
    '',
  ].join('\r\n'),
  'src/report.py': [
    'def totals(cur, order_id):',
    '    cur.execute("""',
    '        SELECT total_cents',
    '        FROM orders WHERE id = %s""", (order_id,))',
    '    return cur.fetchall()',
    '',
  ].join('\n'),
  'src/notes.md': 'SELECT total_cents FROM orders is documented here, not indexed.\n',
  '.gitignore': 'build/\n*.generated.ts\n',
  'build/out.sql': 'SELECT total_cents FROM orders;\n',
  'src/client.generated.ts': "pool.query('SELECT total_cents FROM orders');\n",
  'node_modules/lib/index.js': "pool.query('SELECT total_cents FROM orders');\n",
  'legacy/old.sql': 'SELECT total_cents FROM orders;\n',
};

/** The `n`-th (0-based) range of `needle` in a fixture file. */
function rangeOf(file: string, needle: string, n = 0): { start: number; end: number } {
  let at = -1;
  for (let i = 0; i <= n; i++) at = files[file].indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} #${n} in ${file}`);
  return { start: at, end: at + needle.length };
}

describe('workspace index', () => {
  let root: string;
  const full = (file: string) => path.join(root, file);
  const summary = (locations: ReferenceLocation[]) =>
    locations.map((l) => ({ file: path.relative(root, l.file).split(path.sep).join('/'), start: l.start, end: l.end }));
  const newIndex = (snapshot = shop) =>
    new WorkspaceIndex({ root, snapshot, exclude: ['legacy/**'], maxFileBytes: 4000 });

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'ls-index-'));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(full(file)), { recursive: true });
      await writeFile(full(file), text);
    }
    await writeFile(full('src/blob.sql'), Buffer.from([0x53, 0x45, 0x00, 0xff, 0x00, 0x01]));
    await writeFile(full('src/huge.ts'), `export const pad = '${'x'.repeat(5000)}';\n`);
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('finds orders.total_cents in .sql files and in TS and Python code, with exact ranges', async () => {
    const index = newIndex();
    const result = await index.build();
    assert.equal(result.complete, true);
    assert.deepEqual(summary(index.referencesTo(totalCents)), [
      { file: 'db/queries.sql', ...rangeOf('db/queries.sql', 'total_cents', 0) },
      { file: 'db/queries.sql', ...rangeOf('db/queries.sql', 'total_cents', 1) },
      { file: 'src/orders.ts', ...rangeOf('src/orders.ts', 'total_cents', 0) },
      { file: 'src/orders.ts', ...rangeOf('src/orders.ts', 'orders.total_cents') },
      { file: 'src/report.py', ...rangeOf('src/report.py', 'total_cents') },
    ]);
    const inPython = index.referencesTo(totalCents).find((l) => l.file.endsWith('report.py'));
    assert.deepEqual(inPython?.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 26 } });
    const literal = index.referencesTo(totalCents).find((l) => l.origin === 'code-literal');
    const line = files['src/orders.ts'].split('\r\n')[7];
    assert.deepEqual(
      literal?.range.start,
      { line: 7, character: line.indexOf('orders.total_cents') },
      'CRLF counts as one line break',
    );
  });

  test('skips node_modules, .gitignore’d and excluded files; notes binary and large files', async () => {
    const index = newIndex();
    await index.build();
    assert.deepEqual(
      index.files().map((f) => path.relative(root, f).split(path.sep).join('/')),
      ['db/queries.sql', 'src/orders.ts', 'src/report.py'],
    );
    const notes = index.notes().map((n) => `${path.relative(root, n.file).split(path.sep).join('/')}: ${n.message}`);
    assert.deepEqual(notes, [
      'src/blob.sql: Skipped: the file looks binary.',
      'src/huge.ts: Skipped: the file is larger than 4,000 bytes.',
    ]);
  });

  test('static dependencies grouped by category and file, with counts', async () => {
    const index = newIndex();
    await index.build();
    const groups = index.staticDependencies().map((g) => ({
      category: g.category,
      count: g.count,
      files: g.files.map((f) => `${path.basename(f.file)} ${f.count}`),
    }));
    assert.deepEqual(groups, [
      { category: 'sql-template', count: 2, files: ['orders.ts 1', 'report.py 1'] },
      { category: 'hardcoded-name', count: 1, files: ['orders.ts 1'] },
    ]);
  });

  test('re-indexes one changed file, from the disk or from an editor’s text, and drops removed files', async () => {
    const index = newIndex();
    await index.build();
    const sqlFile = full('db/queries.sql');
    const edited = 'SELECT total_cents FROM orders;\n';
    await writeFile(sqlFile, edited);
    await index.update(sqlFile);
    assert.deepEqual(
      summary(index.referencesTo(totalCents)).filter((l) => l.file === 'db/queries.sql'),
      [{ file: 'db/queries.sql', start: 7, end: 18 }],
    );

    const unsaved = 'SELECT status FROM orders;\n';
    await index.update(sqlFile, unsaved);
    assert.equal(summary(index.referencesTo(totalCents)).filter((l) => l.file === 'db/queries.sql').length, 0);
    assert.equal(index.referencesTo({ kind: 'column', schema: 'public', table: 'orders', column: 'status' }).length, 2);

    index.remove(full('src/report.py'));
    assert.ok(!index.referencesTo(totalCents).some((l) => l.file.endsWith('report.py')));

    const added = full('src/added.py');
    await writeFile(added, 'cur.execute("UPDATE orders SET total_cents = 1")\n');
    await index.update(added);
    assert.ok(index.referencesTo(totalCents).some((l) => l.file === added));
    await unlink(added);
    await index.update(added);
    assert.ok(!index.referencesTo(totalCents).some((l) => l.file === added));
    await writeFile(sqlFile, files['db/queries.sql']);
  });

  test('cancellation stops between files; a later build completes', async () => {
    const index = newIndex();
    const controller = new AbortController();
    const progress: [number, number][] = [];
    const cancelled = await index.build({
      signal: controller.signal,
      onProgress: (done, total) => {
        progress.push([done, total]);
        if (done === 2) controller.abort();
      },
    });
    assert.deepEqual(cancelled, { complete: false, indexed: 2, total: 5 });
    assert.deepEqual(progress, [
      [0, 5],
      [1, 5],
      [2, 5],
    ]);
    // Walked in path order: `db/queries.sql`, then the binary `src/blob.sql`.
    assert.deepEqual(index.files(), [full('db/queries.sql')]);
    assert.equal(index.notes().length, 1);
    const finished = await index.build();
    assert.deepEqual(finished, { complete: true, indexed: 5, total: 5 });
    assert.equal(index.files().length, 3);
  });

  test('a schema change re-resolves every file: SQL names of a gone column disappear, code literals stay marked gone', async () => {
    const index = newIndex();
    await index.build();
    const renamed = snapshotOf([
      table('customers', ['id', 'email']),
      table('orders', ['id', 'customer_id', 'amount_cents', 'status']),
    ]);
    await index.setSnapshot(renamed, shop);
    const left = index.referencesTo(totalCents);
    assert.deepEqual(
      left.map((l) => [path.basename(l.file), l.origin]),
      [['orders.ts', 'code-literal']],
    );
    const dependency = index.fileIndex(full('src/orders.ts'))?.dependencies.find((d) => d.code === 'hardcoded-column');
    assert.equal(dependency?.goneNow, true);
  });

  test('a schema change reads again only the files that mention a changed name', async () => {
    const index = newIndex();
    await index.build();
    const status = { kind: 'column', schema: 'public', table: 'orders', column: 'status' } as const;
    assert.equal(index.referencesTo(status).length, 1);
    const withoutStatus = snapshotOf([
      table('customers', ['id', 'email']),
      table('orders', ['id', 'customer_id', 'total_cents']),
      table('refunds', ['refund_no', 'reason']),
    ]);
    // `status` (dropped) is only in src/orders.ts; `refunds` (new) is in no file.
    assert.deepEqual(await index.setSnapshot(withoutStatus), { complete: true, indexed: 1, total: 1 });
    assert.equal(index.referencesTo(status).length, 0);
    assert.equal(index.referencesTo(totalCents).length, 5);
    assert.deepEqual(await index.setSnapshot(withoutStatus), { complete: true, indexed: 0, total: 0 });
  });
});
