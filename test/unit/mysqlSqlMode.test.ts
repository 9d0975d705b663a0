import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSql } from '../../server/src/sql/analyze';
import { mysqlSnapshotOf, tableOf } from '../support/snapshotBuilders';

/** The README: analysis follows the server's `sql_mode` (read at discovery) where it changes what SQL means. */
const orders = [tableOf('orders', ['id', 'note'], { schema: 'shop' })];
const errors = async (sql: string, sqlMode: string) => {
  const snapshot = mysqlSnapshotOf(orders, { server: { sqlMode } });
  const { findings } = await analyzeSql(sql, { dialect: 'mysql', snapshot });
  return findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`);
};

test("NO_BACKSLASH_ESCAPES: 'C:\\' is a whole string, so valid SQL gets no error; without it, it is never closed", async () => {
  const sql = "SELECT id FROM orders WHERE note = 'C:\\'";
  assert.deepEqual(await errors(sql, 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'), []);
  assert.deepEqual(await errors(sql, 'STRICT_TRANS_TABLES'), ['syntax-error: This string is never closed.']);
});

test('ANSI_QUOTES: a double quote opens an identifier, not a string', async () => {
  const sql = 'SELECT "note FROM orders';
  assert.deepEqual(await errors(sql, 'ANSI_QUOTES'), ['syntax-error: This quoted identifier is never closed.']);
  assert.deepEqual(await errors(sql, ''), ['syntax-error: This string is never closed.']);
});
