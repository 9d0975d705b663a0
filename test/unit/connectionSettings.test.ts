import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectionKey, parseConnections, passwordFromUrl } from '../../server/src/config/connectionSettings';

describe('connection settings', () => {
  test('fills defaults a user expects', () => {
    const { connections, errors } = parseConnections([{ name: 'app', database: 'shop' }], { USER: 'ann' });
    assert.deepEqual(errors, []);
    assert.deepEqual(connections[0], {
      name: 'app',
      driver: 'postgres',
      host: 'localhost',
      port: 5432,
      database: 'shop',
      user: 'ann',
      schemas: [],
      ssl: 'disable',
      files: ['**/*'],
      schemaFiles: ['schema.sql', 'db/**/*.sql', 'migrations/**/*.sql'],
      connectTimeoutMs: 5000,
      statementTimeoutMs: 15000,
      environmentSecrets: true,
    });
  });

  test('names the bad key and why, and keeps the good connections', () => {
    const { connections, errors } = parseConnections(
      [
        { name: 'ok', database: 'a' },
        { name: 'bad', port: 'abc' },
      ],
      {},
    );
    assert.deepEqual(
      connections.map((c) => c.name),
      ['ok'],
    );
    assert.deepEqual(errors, [
      { key: 'liveSchema.connections[1].port', message: 'expected a number 1–65535, got "abc"' },
    ]);
  });

  test('reports wrong types, unknown drivers and unknown keys', () => {
    const { errors } = parseConnections(
      [
        { driver: 'oracle' },
        { host: 42 },
        { schemas: 'public' },
        { databse: 'typo' },
        'postgres://x',
        { port: 70000 },
        { ssl: 'maybe' },
      ],
      {},
    );
    assert.deepEqual(errors, [
      {
        key: 'liveSchema.connections[0].driver',
        message: 'expected one of postgres, mysql, pglite, snapshot, got "oracle"',
      },
      { key: 'liveSchema.connections[1].host', message: 'expected a string, got 42' },
      { key: 'liveSchema.connections[2].schemas', message: 'expected a list of schema names, got "public"' },
      { key: 'liveSchema.connections[3]', message: 'unknown setting "databse"' },
      { key: 'liveSchema.connections[4]', message: 'expected an object, got "postgres://x"' },
      { key: 'liveSchema.connections[5].port', message: 'expected a number 1–65535, got 70000' },
      {
        key: 'liveSchema.connections[6].ssl',
        message: 'expected true, false, "disable", "require" or "verify-full", got "maybe"',
      },
    ]);
  });

  test('a list is required', () => {
    assert.deepEqual(parseConnections({ host: 'x' }, {}).errors, [
      { key: 'liveSchema.connections', message: 'expected a list of connections, got an object' },
    ]);
  });

  test('refuses a password in settings and says where it belongs', () => {
    const { connections, errors } = parseConnections([{ name: 'p', password: 'secret' }], {});
    assert.equal(connections.length, 0);
    assert.equal(errors[0]?.key, 'liveSchema.connections[0].password');
    assert.match(errors[0]?.message ?? '', /Set Password/);
    assert.ok(!JSON.stringify(errors).includes('secret'));
  });

  test('reads a DATABASE_URL-style URL; explicit keys win', () => {
    const { connections, errors } = parseConnections(
      [{ name: 'u', url: 'mariadb://app@db.internal:3307/shop?sslmode=require', port: 3308 }],
      {},
    );
    assert.deepEqual(errors, []);
    const c = connections[0];
    assert.equal(c?.driver, 'mysql');
    assert.equal(c?.host, 'db.internal');
    assert.equal(c?.port, 3308);
    assert.equal(c?.user, 'app');
    assert.equal(c?.database, 'shop');
    assert.equal(c?.ssl, 'require');
  });

  test('a literal password in a URL is refused; through ${env:…} it is kept out of the settings object', () => {
    const literal = parseConnections([{ url: 'postgres://app:s3cret@h/db' }], {});
    assert.equal(literal.errors[0]?.key, 'liveSchema.connections[0].url');
    assert.ok(!JSON.stringify(literal.errors).includes('s3cret'));

    const fromEnv = parseConnections([{ url: '${env:DATABASE_URL}' }], {
      DATABASE_URL: 'postgres://app:s3cret@h:6543/db',
    });
    assert.deepEqual(fromEnv.errors, []);
    const c = fromEnv.connections[0];
    assert.equal(c.port, 6543);
    assert.equal(passwordFromUrl(c), 's3cret');
    assert.ok(!JSON.stringify(c).includes('s3cret'));
    assert.ok(!connectionKey(c).includes('s3cret'));
  });

  test('expands ${env:VAR} references and names a missing variable', () => {
    const ok = parseConnections([{ host: '${env:DB_HOST}', database: 'x' }], { DB_HOST: 'pg.local' });
    assert.equal(ok.connections[0]?.host, 'pg.local');
    const missing = parseConnections([{ host: '${env:NOPE}' }], {});
    assert.deepEqual(missing.errors, [
      { key: 'liveSchema.connections[0].host', message: 'environment variable NOPE is not set' },
    ]);
  });

  test('a MySQL connection needs a database, and duplicate names are refused', () => {
    assert.match(parseConnections([{ driver: 'mysql' }], {}).errors[0]?.message ?? '', /needs a database/);
    const dup = parseConnections(
      [
        { name: 'a', database: 'x' },
        { name: 'a', database: 'y' },
      ],
      {},
    );
    assert.deepEqual(dup.errors, [
      { key: 'liveSchema.connections[1].name', message: 'another connection is already named "a"' },
    ]);
  });

  test('survives hostile input without throwing', () => {
    let deep: unknown = { database: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { nested: deep };
    const result = parseConnections([deep, null, 7, [], { name: '' }], {});
    assert.equal(result.connections.length, 0);
    assert.equal(result.errors.length, 5);
  });
});
