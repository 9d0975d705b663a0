import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';

const snapshot = (includedSchemas?: string[]): SchemaSnapshot => ({
  formatVersion: 1,
  dialect: 'postgres',
  server: {
    product: 'postgres',
    version: 'PostgreSQL 15',
    database: 'app',
    searchPath: ['public'],
    ...(includedSchemas ? { includedSchemas } : {}),
  },
  schemas: [{ name: 'public', comment: null }],
  relations: [
    {
      schema: 'public',
      name: 'orders',
      kind: 'table',
      comment: null,
      columns: [{ name: 'id', position: 1, type: 'integer', nullable: false, default: null, comment: null }],
      primaryKey: null,
      uniqueConstraints: [],
      foreignKeys: [],
      indexes: [],
      viewDefinition: null,
    },
  ],
  enums: [],
  domains: [],
  routines: [],
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
