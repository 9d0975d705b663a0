import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/config/settings';

describe('liveSchema settings', () => {
  test('nothing configured gives the defaults and no error', () => {
    assert.deepEqual(parseSettings(undefined), { settings: DEFAULT_SETTINGS, errors: [] });
  });

  test('a bad value is named, replaced by its default, and the rest still applies', () => {
    const { settings, errors } = parseSettings({
      validation: {
        severity: { 'unknown-column': 'warning', 'unknown-table': 'loud' },
        debounceMs: 50,
        maxFileSizeKb: 'big',
      },
      cache: { pollIntervalSeconds: 5 },
    });
    assert.deepEqual(errors, [
      {
        key: 'liveSchema.validation.severity.unknown-table',
        message: 'expected "error", "warning", "information", "hint" or "off", got "loud"',
      },
      { key: 'liveSchema.validation.maxFileSizeKb', message: 'expected a number of kilobytes, got "big"' },
    ]);
    assert.equal(settings.validation.debounceMs, 50);
    assert.equal(settings.validation.maxFileSizeKb, DEFAULT_SETTINGS.validation.maxFileSizeKb);
    assert.deepEqual(settings.validation.severity, DEFAULT_SETTINGS.validation.severity);
    assert.equal(settings.cache.pollIntervalSeconds, 5);
  });

  test('migration settings: a target, an instance and module paths are checked; a path may not leave the folder', () => {
    const { settings, errors } = parseSettings({
      migrations: {
        target: 'knex',
        builderInstance: 'this.db',
        typescriptSchemaModule: '../outside.ts',
        pythonSchemaModule: 'app/db-schema.py',
      },
    });
    assert.equal(settings.migrations.target, 'knex');
    assert.equal(settings.migrations.builderInstance, 'this.db');
    assert.deepEqual(
      errors.map((e) => e.key),
      ['liveSchema.migrations.typescriptSchemaModule', 'liveSchema.migrations.pythonSchemaModule'],
    );
    assert.equal(settings.migrations.typescriptSchemaModule, DEFAULT_SETTINGS.migrations.typescriptSchemaModule);
    assert.match(
      parseSettings({ migrations: { target: 'prisma' } }).errors[0]?.message ?? '',
      /"auto", "kysely" or "knex"/,
    );
  });

  test('dotted keys as some clients send them are read too', () => {
    const { settings, errors } = parseSettings({ 'validation.liveCheck': true, 'cache.ttlSeconds': 10 });
    assert.deepEqual(errors, []);
    assert.equal(settings.validation.liveCheck, true);
    assert.equal(settings.cache.ttlSeconds, 10);
  });

  test('connection errors carry their index and do not hide the good connections', () => {
    const { settings, errors } = parseSettings({
      connections: [
        { name: 'a', database: 'x' },
        { name: 'b', port: 0 },
      ],
    });
    assert.deepEqual(
      settings.connections.map((c) => c.name),
      ['a'],
    );
    assert.equal(errors[0]?.key, 'liveSchema.connections[1].port');
  });

  test('a section that is not an object is one clear error', () => {
    assert.deepEqual(parseSettings('on').errors, [{ key: 'liveSchema', message: 'expected an object, got "on"' }]);
    assert.deepEqual(parseSettings([1]).errors, [{ key: 'liveSchema', message: 'expected an object, got a list' }]);
  });

  test('search synonyms map a business term to names; a bad entry is named by its key', () => {
    const good = parseSettings({ search: { synonyms: { revenue: ['total_cents', 'amount'] } } });
    assert.deepEqual(good.errors, []);
    assert.deepEqual(good.settings.search.synonyms, { revenue: ['total_cents', 'amount'] });
    assert.deepEqual(parseSettings({ 'search.synonyms': { buyer: ['customers'] } }).settings.search.synonyms, {
      buyer: ['customers'],
    });

    const bad = parseSettings({ search: { synonyms: { revenue: 'total_cents' } } });
    assert.deepEqual(bad.errors, [
      { key: 'liveSchema.search.synonyms.revenue', message: 'expected a list of names or words, got "total_cents"' },
    ]);
    assert.deepEqual(bad.settings.search.synonyms, {});
    assert.equal(parseSettings({ search: { synonyms: ['revenue'] } }).errors[0]?.key, 'liveSchema.search.synonyms');
  });

  test('result type inlay hints are off by default, on with true; a non-boolean is named', () => {
    assert.equal(parseSettings({}).settings.resultTypes.inlayHints, false);
    assert.equal(parseSettings({ resultTypes: { inlayHints: true } }).settings.resultTypes.inlayHints, true);
    const bad = parseSettings({ 'resultTypes.inlayHints': 'yes' });
    assert.deepEqual(bad.errors, [
      { key: 'liveSchema.resultTypes.inlayHints', message: 'expected true or false, got "yes"' },
    ]);
    assert.equal(bad.settings.resultTypes.inlayHints, false);
  });
});
