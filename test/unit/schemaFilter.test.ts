import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import { column, snapshotOf, table } from '../support/snapshotBuilders';

const snapshot = (includedSchemas?: string[]): SchemaSnapshot =>
  snapshotOf([table('orders', [column('id', 1, 'integer', false)])], {
    server: { version: 'PostgreSQL 15', database: 'app', ...(includedSchemas ? { includedSchemas } : {}) },
  });

const codes = async (sql: string, s: SchemaSnapshot) =>
  (await analyzeSql(sql, { dialect: 'postgres', snapshot: s })).findings.map((f) => f.code);

test('a schema left out by the connection’s schema filter is never called unknown', async () => {
  assert.deepEqual(await codes('SELECT * FROM audit.events;', snapshot(['public'])), []);
  assert.deepEqual(await codes('SELECT nope FROM public.orders;', snapshot(['public'])), ['unknown-column']);
});

test('without a filter, a schema the snapshot lacks is unknown', async () => {
  assert.deepEqual(await codes('SELECT * FROM audit.events;', snapshot()), ['unknown-schema']);
});
