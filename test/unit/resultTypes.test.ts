import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OfflineDescriber } from '../../server/src/resultTypes/offlineDescribe';
import { rowFields, typescriptRowType } from '../../server/src/resultTypes/rowType';
import { sameRowType, typeArgumentSite } from '../../server/src/resultTypes/typeAnnotation';
import { column, snapshotOf, table } from '../support/snapshotBuilders';

/** Result types without a server: only what the snapshot makes certain, and annotations compared by meaning. */

const snapshot = snapshotOf(
  [
    table('accounts', [
      column('id', 1, 'integer', false),
      column('email', 2, 'character varying(120)', true),
      column('balance', 3, 'numeric(10,2)', false),
      column('tags', 4, 'text[]', true),
      column('mood', 5, 'public.mood', false),
    ]),
    table('notes', [column('id', 1, 'bigint', false)]),
  ],
  { enums: [{ schema: 'public', name: 'mood', values: ['happy'] }] },
);
const offline = new OfflineDescriber(snapshot);
const rowOf = async (sql: string) => typescriptRowType(rowFields(await offline.describe(sql), 'postgres'));

describe('offline result types (snapshot only)', () => {
  test('direct column references keep their catalog type and NOT NULL; count(*) is a bigint', async () => {
    assert.equal(
      await rowOf('SELECT a.id, email, balance AS amount, tags, mood FROM accounts a WHERE id = $1'),
      '{ id: number; email: string | null; amount: string; tags: string[] | null; mood: string }',
    );
    assert.equal(await rowOf('SELECT count(*) FROM accounts'), '{ count: string }');
    assert.deepEqual((await offline.describe('SELECT id FROM accounts WHERE id = $1 AND email = $2')).parameters, [
      'unknown',
      'unknown',
    ]);
  });

  test('outer joins null their nullable side; aggregates are NULL over no rows, except count', async () => {
    assert.equal(
      await rowOf('SELECT a.id, n.id AS note FROM accounts a LEFT JOIN notes n ON n.id = a.id'),
      '{ id: number; note: string | null }',
    );
    assert.equal(
      await rowOf('SELECT a.id, n.id AS note FROM accounts a RIGHT JOIN notes n ON n.id = a.id'),
      '{ id: number | null; note: string }',
    );
    assert.equal(
      await rowOf('SELECT a.email AS e, n.* FROM accounts a FULL JOIN notes n ON n.id = a.id'),
      '{ e: string | null; id: string | null }',
    );
    assert.equal(
      await rowOf('SELECT count(email) AS n, max(id) AS top, min(email) AS first, sum(id) AS total FROM accounts'),
      '{ n: string; top: number | null; first: string | null; total: unknown }',
    );
    assert.equal(await rowOf('SELECT max(id) AS top FROM accounts GROUP BY mood'), '{ top: number }');
  });

  test('anything else is unknown, never guessed', async () => {
    assert.equal(
      await rowOf('SELECT id + 1 AS next, max(tags[1]) AS top FROM accounts'),
      '{ next: unknown; top: unknown }',
    );
    assert.equal(await rowOf('SELECT id FROM accounts a JOIN notes n USING (id)'), '{ id: unknown }');
    await assert.rejects(offline.describe('SELECT * FROM accounts a JOIN notes n USING (id)'));
    await assert.rejects(offline.describe('SELECT id FROM (SELECT id FROM notes) n'));
    await assert.rejects(offline.describe('SELECT id FROM accounts UNION SELECT id FROM notes'));
    await assert.rejects(offline.describe('SELECT id FROM accounts GROUP BY ROLLUP (id)'));
    await assert.rejects(offline.describe('SELECT id FROM nowhere'));
  });
});

describe('row type annotations', () => {
  test('the same type in another order or spacing agrees; other types or properties do not', () => {
    const described = '{ id: number; email: string | null }';
    assert.equal(sameRowType('{email:null|string,id:number}', described), true);
    assert.equal(sameRowType('{ id: string; email: string | null }', described), false);
    assert.equal(sameRowType('{ id: number }', described), false);
    assert.equal(sameRowType('Account', described), undefined);
    assert.equal(sameRowType('{ id: number; data: Payload }', '{ id: number; data: unknown }'), true);
  });

  test('the type argument site is between .query and (, and only there', () => {
    const text = "pool.query<{ id: number }>('SELECT 1')";
    assert.deepEqual(typeArgumentSite(text, text.indexOf('SELECT')), {
      start: 10,
      end: 26,
      existing: '{ id: number }',
    });
    const plain = "pool.query('SELECT 1')";
    assert.deepEqual(typeArgumentSite(plain, plain.indexOf('SELECT')), { start: 10, end: 10 });
    const other = "run('SELECT 1')";
    assert.equal(typeArgumentSite(other, other.indexOf('SELECT')), undefined);
  });
});
