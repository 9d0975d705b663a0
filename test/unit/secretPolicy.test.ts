import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { passwordSecretKey } from '../../client/src/ids';
import { parseConnections, type ConnectionSettings } from '../../server/src/config/connectionSettings';
import { parseSettings } from '../../server/src/config/settings';
import { trustFromEnvironment, trustOfSettings } from '../../server/src/config/trust';
import { passwordToSend } from '../../server/src/db/password';
import { passwordTarget } from '../../server/src/session/passwordTarget';

const repository = (env: Record<string, string> = {}) => trustFromEnvironment('repository', env);
const parseRepo = (raw: unknown[], env: Record<string, string>, allow: Record<string, string> = {}) =>
  parseConnections(raw, env, 'liveSchema.connections', repository(allow));
const one = (raw: Record<string, unknown>, env: Record<string, string> = {}): ConnectionSettings => {
  const { connections, errors } = parseRepo([raw], env);
  assert.deepEqual(errors, []);
  return connections[0];
};

describe('a repository never decides where secrets go', () => {
  test('${env:…} in repository config is refused, naming the variable but never its value', () => {
    const env = { SOME_TOKEN: 'tok-7f3a9', HOME: '/home/ann' };
    const { connections, errors } = parseRepo(
      [{ name: 'x', host: '127.0.0.1', port: 45999, user: '${env:SOME_TOKEN}', database: '${env:HOME}' }],
      env,
    );
    assert.equal(connections.length, 0);
    assert.equal(errors[0]?.key, 'liveSchema.connections[0].user');
    assert.match(errors[0]?.message ?? '', /\$\{env:SOME_TOKEN\} is not expanded.*LIVE_SCHEMA_ALLOW_ENV=SOME_TOKEN/);
    assert.ok(!JSON.stringify(errors).includes('tok-7f3a9'));
    assert.ok(!JSON.stringify(errors).includes('/home/ann'));
  });

  test('a variable the user allowed outside the repository is expanded', () => {
    const { connections, errors } = parseRepo(
      [{ host: '${env:DB_HOST}', database: 'x' }],
      { DB_HOST: 'pg.local' },
      {
        LIVE_SCHEMA_ALLOW_ENV: 'OTHER, DB_HOST',
      },
    );
    assert.deepEqual(errors, []);
    assert.equal(connections[0]?.host, 'pg.local');
    // Expanding a name is not choosing the target: environment secrets still stay home.
    assert.equal(connections[0]?.environmentSecrets, undefined);
  });

  test('a whole URL from the environment is the user’s target; a repository override makes it not', () => {
    const env = { DATABASE_URL: 'postgres://app@db.internal:6543/shop' };
    assert.equal(one({ url: '${env:DATABASE_URL}' }, env).environmentSecrets, true);
    assert.equal(one({ url: '${env:DATABASE_URL}', host: 'evil.example' }, env).environmentSecrets, undefined);
    assert.equal(one({ host: 'db.internal', user: 'app', database: 'shop' }).environmentSecrets, undefined);
  });

  test("a URL's password is refused when the repository points the connection elsewhere", () => {
    const env = { DATABASE_URL: 'postgres://app:s3cret@db.internal:6543/shop' };
    const { connections, errors } = parseRepo([{ url: '${env:DATABASE_URL}', host: 'evil.example' }], env);
    assert.equal(connections.length, 0);
    assert.equal(errors[0]?.key, 'liveSchema.connections[0].host');
    assert.ok(!JSON.stringify(errors).includes('s3cret'));
  });

  test('LIVE_SCHEMA_PASSWORD_TARGETS lets environment secrets reach exactly the listed target', () => {
    const trust = repository({ LIVE_SCHEMA_PASSWORD_TARGETS: 'app@db.internal:5432/shop' });
    const parse = (raw: Record<string, unknown>) =>
      parseConnections([raw], {}, 'liveSchema.connections', trust).connections[0];
    assert.equal(parse({ host: 'db.internal', user: 'app', database: 'shop' }).environmentSecrets, true);
    assert.equal(parse({ host: 'db.internal', user: 'app', database: 'other' }).environmentSecrets, undefined);
    assert.equal(
      parse({ host: 'db.internal', port: 5433, user: 'app', database: 'shop' }).environmentSecrets,
      undefined,
    );
  });

  test('an expanded value never appears in a settings error', () => {
    const env = { DATABASE_URL: 'mysql://u:secret@db.internal/app' };
    const user = parseConnections([{ port: '${env:DATABASE_URL}' }], env);
    assert.equal(user.errors[0]?.message, 'expected a number 1–65535, got "${env:DATABASE_URL}"');
    const allowed = parseRepo([{ port: '${env:DATABASE_URL}' }], env, { LIVE_SCHEMA_ALLOW_ENV: 'DATABASE_URL' });
    assert.ok(!JSON.stringify(allowed.errors).includes('secret'));
    const twice = parseConnections(
      [
        { name: '${env:TEAM}', database: 'a' },
        { name: 'x-${env:TEAM}', database: 'b' },
        { name: 'x-${env:TEAM}', database: 'c' },
      ],
      { TEAM: 'red-team-7' },
    );
    assert.deepEqual(twice.errors, [
      { key: 'liveSchema.connections[2].name', message: 'another connection is already named "x-${env:TEAM}"' },
    ]);
  });

  test('ssl defaults to TLS off the machine and to none on loopback', () => {
    assert.equal(one({ host: 'db.example.com', database: 'x' }).ssl, 'require');
    assert.equal(one({ host: '10.0.0.5', database: 'x' }).ssl, 'require');
    for (const host of ['localhost', '127.0.0.1', '::1', '/var/run/postgresql'])
      assert.equal(one({ host, database: 'x' }).ssl, 'disable', host);
    assert.equal(one({ host: 'db.example.com', database: 'x', ssl: false }).ssl, 'disable');
  });
});

describe('which password a driver may send', () => {
  const given = (password: string | undefined) => () => Promise.resolve(password);

  test('never one in clear text to a host off the machine, whatever its source', async () => {
    const env = { DATABASE_URL: 'postgres://app:s3cret@db.example.com/shop?sslmode=disable' };
    const c = parseConnections([{ url: '${env:DATABASE_URL}' }], env).connections[0];
    assert.equal(await passwordToSend(c, given('stored')), null);
    const tls = parseConnections([{ host: 'db.example.com', database: 'x' }], {}).connections[0];
    assert.equal(await passwordToSend(tls, given('stored')), 'stored');
  });

  test("the environment's only to a target the user chose", async () => {
    const repo = one({ host: '127.0.0.1', database: 'x' });
    assert.equal(await passwordToSend(repo, given(undefined)), null, 'pg must not fall back to PGPASSWORD');
    const user = parseConnections([{ host: '127.0.0.1', database: 'x' }], {}).connections[0];
    assert.equal(await passwordToSend(user, given(undefined)), undefined, 'pg may read PGPASSWORD, ~/.pgpass');
  });
});

describe('stored passwords are keyed by what they authenticate to', () => {
  test('a same-named connection pointing elsewhere has another key', () => {
    const mine = passwordTarget(one({ name: 'prod', host: 'db.internal', user: 'app', database: 'shop' }))!;
    const theirs = passwordTarget(one({ name: 'prod', host: 'evil.example', user: 'app', database: 'shop' }))!;
    assert.equal(passwordSecretKey(mine), passwordSecretKey({ ...mine }));
    assert.notEqual(passwordSecretKey(mine), passwordSecretKey(theirs));
    for (const change of [{ port: 5433 }, { user: 'root' }, { database: 'other' }, { driver: 'mysql' }])
      assert.notEqual(passwordSecretKey(mine), passwordSecretKey({ ...mine, ...change }), JSON.stringify(change));
    assert.ok(!passwordSecretKey(mine).includes('prod'));
  });
});

describe("the VS Code client's annotation", () => {
  test('without it, settings are the repository’s; with it, the client says where connections came from', () => {
    assert.equal(trustOfSettings({ connections: [] }, {}).origin, 'repository');
    const trust = trustOfSettings(
      { $trust: { connections: 'user', allowEnv: ['A'], workspaceTrusted: false } },
      { LIVE_SCHEMA_ALLOW_ENV: 'B' },
    );
    assert.deepEqual([trust.origin, [...trust.allowEnv].sort(), trust.workspaceTrusted], ['user', ['A', 'B'], false]);
    const { errors } = parseSettings({ connections: [{ user: '${env:C}' }] }, { C: 'x' }, trust);
    assert.deepEqual(errors, []);
  });
});
