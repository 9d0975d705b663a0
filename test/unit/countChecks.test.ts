import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeSql } from '../../server/src/sql/analyze';

/**
 * Count mismatches PostgreSQL rejects from the syntax alone, in its own words, on the token it
 * names. The oracle test (test/integration/postgresOracle.test.ts) holds the database's verdicts.
 */

async function problems(sql: string): Promise<[string, string, string][]> {
  const result = await analyzeSql(sql, { dialect: 'postgres' });
  return result.findings.map((f) => [f.code, sql.slice(f.start, f.end), f.message]);
}

describe('column counts on PostgreSQL', () => {
  test('INSERT column list against its VALUES', async () => {
    assert.deepEqual(await problems('INSERT INTO t (a, b) VALUES (1)'), [
      ['column-count-mismatch', 'b', 'INSERT has more target columns than expressions.'],
    ]);
    assert.deepEqual(await problems("INSERT INTO t (a, b) VALUES (1, 'x', 3)"), [
      ['column-count-mismatch', '3', 'INSERT has more expressions than target columns.'],
    ]);
    assert.deepEqual(await problems('INSERT INTO t (a, b) VALUES (1, 2), (3)'), [
      ['column-count-mismatch', '3', 'VALUES lists must all be the same length.'],
    ]);
  });

  test('set operations whose branches differ, nested ones and ones in subqueries included', async () => {
    assert.deepEqual(await problems('SELECT a, b FROM t UNION SELECT c FROM u'), [
      ['column-count-mismatch', 'c', 'each UNION query must have the same number of columns.'],
    ]);
    assert.deepEqual(await problems('SELECT 1 FROM t WHERE x IN (SELECT a FROM u EXCEPT SELECT b, c FROM w)'), [
      ['column-count-mismatch', 'b', 'each EXCEPT query must have the same number of columns.'],
    ]);
    assert.deepEqual(await problems('SELECT a FROM t UNION ALL SELECT c, d FROM u UNION SELECT e FROM v'), [
      ['column-count-mismatch', 'c', 'each UNION query must have the same number of columns.'],
    ]);
  });

  test('what the syntax cannot settle stays silent', async () => {
    for (const sql of [
      'SELECT * FROM t UNION SELECT c FROM u',
      'SELECT t.* FROM t UNION SELECT c, d FROM u',
      'INSERT INTO t (a, b) SELECT 1',
      'INSERT INTO t VALUES (1, 2, 3)',
      'INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 3)',
      'SELECT a, b FROM t UNION SELECT c, d FROM u ORDER BY 1',
      'VALUES (1, 2), (3, 4)',
    ])
      assert.deepEqual(await problems(sql), [], sql);
  });
});
