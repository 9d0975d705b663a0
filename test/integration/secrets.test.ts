/**
 * Issue 18, "secrets go only where the user said", over the real interfaces: the built CLI as a
 * process, the MCP server and the language server over stdio. A repository's config points at a
 * fake PostgreSQL on loopback that records every byte and asks for the password in clear text, as
 * an attacker's server would; the tests assert what reaches it.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { passwordSecretKey } from '../../client/src/ids';
import type { ConnectionStatus, PasswordTarget } from '../../server/src/protocol/customMessages';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { TestLanguageClient, type TestClientOptions } from '../support/lspClient';
import type { Settings } from '../support/vscodeSettings';
import { startRecordingPostgres } from '../support/recordingServer';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const BOUND_MS = 20_000;

/** Values no byte of the fake server's recording may contain unless the user sent them there. */
const TOKEN = `tok-${process.pid}-7f3a9c`;
const PGPASSWORD = `pgpw-${process.pid}-b81e`;
const LIVE_PASSWORD = `lspw-${process.pid}-44d0`;
const HOME = `/home/victim-${process.pid}`;

let server: Awaited<ReturnType<typeof startRecordingPostgres>>;
let dir: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  dir = await mkdtemp(path.join(tmpdir(), 'ls-secrets-'));
  await writeFile(path.join(dir, 'q.sql'), 'select 1;\n');
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh recording server per test, so each one's bytes are its own. */
async function fakeServer(auth: 'cleartext' | 'scram' = 'cleartext') {
  server = await startRecordingPostgres(auth);
  return server;
}

/** The user's environment: secrets a repository must not be able to send anywhere. */
function victimEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  for (const name of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'LIVE_SCHEMA_ALLOW_ENV', 'LIVE_SCHEMA_PASSWORD_TARGETS'])
    delete env[name];
  return { ...env, SOME_TOKEN: TOKEN, HOME, PGPASSWORD, LIVE_SCHEMA_PASSWORD: LIVE_PASSWORD, ...extra };
}

async function writeRepoConfig(connection: Record<string, unknown>): Promise<void> {
  await writeFile(path.join(dir, 'live-schema.json'), JSON.stringify({ liveSchema: { connections: [connection] } }));
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: dir, env, timeout: BOUND_MS }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr, ms: Date.now() - started }),
    );
  });
}

function assertNothingSecret(received: string): void {
  for (const [name, value] of Object.entries({ TOKEN, PGPASSWORD, LIVE_PASSWORD, HOME }))
    assert.ok(!received.includes(value), `${name} reached the server`);
}

describe('CLI: live-schema check with a repository config', () => {
  after(() => server?.close());

  test(
    '${env:…} in live-schema.json is refused, naming the variable only; nothing connects',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      await writeRepoConfig({
        name: 'x',
        host: '127.0.0.1',
        port: fake.port,
        user: '${env:SOME_TOKEN}',
        database: '${env:HOME}',
      });
      const result = await runCli(['check', 'q.sql'], victimEnv());
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /\$\{env:SOME_TOKEN\} is not expanded/);
      assert.ok(!result.stderr.includes(TOKEN) && !result.stderr.includes(HOME), result.stderr);
      assert.equal(fake.connections(), 0);
      assert.ok(result.ms < BOUND_MS, `ended within ${BOUND_MS} ms`);
      await fake.close();
    },
  );

  test(
    'PGPASSWORD and LIVE_SCHEMA_PASSWORD never reach a host the repository names',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      await writeRepoConfig({ name: 'x', host: '127.0.0.1', port: fake.port, user: 'app', database: 'shop' });
      const result = await runCli(['check', 'q.sql'], victimEnv());
      assert.equal(result.code, 2, result.stderr);
      assert.ok(fake.connections() >= 1, 'the client did talk to the server');
      assert.match(fake.received(), /app/);
      assertNothingSecret(fake.received());
      assert.match(result.stderr, /PGPASSWORD is not sent to a server the project's configuration names/);
      assert.ok(result.ms < BOUND_MS, `ended within ${BOUND_MS} ms`);
      await fake.close();
    },
  );

  test(
    'a server that wants SCRAM is told nothing, and the message says why and what to do',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer('scram');
      await writeRepoConfig({ name: 'x', host: '127.0.0.1', port: fake.port, user: 'app', database: 'shop' });
      const result = await runCli(['check', 'q.sql'], victimEnv());
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /asks user "app" for a password\. Set the password .* LIVE_SCHEMA_PASSWORD_TARGETS/);
      assertNothingSecret(fake.received());
      await fake.close();
    },
  );

  test(
    'the user names the target (--url, or LIVE_SCHEMA_PASSWORD_TARGETS): the password goes there',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      await rm(path.join(dir, 'live-schema.json'), { force: true });
      const byUrl = await runCli(
        ['check', 'q.sql', '--url', `postgres://app@127.0.0.1:${fake.port}/shop`],
        victimEnv(),
      );
      assert.equal(byUrl.code, 2, byUrl.stderr);
      assert.ok(fake.received().includes(LIVE_PASSWORD), 'LIVE_SCHEMA_PASSWORD sent to the URL the user gave');

      await writeRepoConfig({ name: 'x', host: '127.0.0.1', port: fake.port, user: 'ops', database: 'shop' });
      const before = fake.received().length;
      const allowed = await runCli(
        ['check', 'q.sql'],
        victimEnv({ LIVE_SCHEMA_PASSWORD_TARGETS: `ops@127.0.0.1:${fake.port}/shop` }),
      );
      assert.equal(allowed.code, 2, allowed.stderr);
      assert.ok(fake.received().slice(before).includes(LIVE_PASSWORD), 'sent to the allow-listed target');
      await fake.close();
    },
  );

  test('a settings error never repeats an expanded value', { timeout: BOUND_MS }, async () => {
    const secretUrl = `mysql://u:${LIVE_PASSWORD}@db.internal/app`;
    await writeRepoConfig({ name: 'x', port: '${env:DATABASE_URL}', database: 'shop' });
    const result = await runCli(
      ['check', 'q.sql'],
      victimEnv({ DATABASE_URL: secretUrl, LIVE_SCHEMA_ALLOW_ENV: 'DATABASE_URL' }),
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /port: expected a number 1–65535, got "\$\{env:DATABASE_URL\}"/);
    assert.ok(!result.stderr.includes(LIVE_PASSWORD) && !result.stderr.includes('db.internal'), result.stderr);
  });
});

describe('TLS off the machine', () => {
  /** One of this machine's own addresses that is not loopback: to the client, a host elsewhere. */
  const outwardAddress = () => {
    const found = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    assert.ok(found, 'this test needs a non-loopback IPv4 interface');
    return found.address;
  };

  test('a password never crosses the network in clear text to a non-loopback host', { timeout: BOUND_MS }, async () => {
    const host = outwardAddress();
    const fake = await startRecordingPostgres('cleartext', host);
    try {
      await rm(path.join(dir, 'live-schema.json'), { force: true });
      const url = `postgres://app@${host}:${fake.port}/shop`;
      // ssl unset: TLS is required, and this server offers none, so nothing else is sent.
      const byDefault = await runCli(['check', 'q.sql', '--url', url], victimEnv());
      assert.equal(byDefault.code, 2, byDefault.stderr);
      assert.ok(fake.connections() >= 1, 'the client did talk to the server');
      assertNothingSecret(fake.received());
      assert.ok(!fake.received().includes('app'), 'not even the user name before TLS');

      const plain = await runCli(['check', 'q.sql', '--url', `${url}?sslmode=disable`], victimEnv());
      assert.equal(plain.code, 2, plain.stderr);
      assert.match(plain.stderr, new RegExp(`No password is sent without TLS to ${host.replaceAll('.', '\\.')}`));
      assertNothingSecret(fake.received());
    } finally {
      await fake.close();
    }
  });
});

describe('CLI against a real MariaDB whose user has a password', () => {
  const user = `ls_secret_u${process.pid}`;
  let db: TestDatabase;
  before(async () => {
    db = await createMysqlDatabase('CREATE TABLE invoices (id int PRIMARY KEY);');
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY '${LIVE_PASSWORD}'`);
    await db.admin(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
  });
  after(async () => {
    await db?.admin(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
    await db?.drop();
  });

  test(
    'LIVE_SCHEMA_PASSWORD logs in only once the user named the target outside the repository',
    { timeout: BOUND_MS },
    async () => {
      const target = { host: mysqlServer.host, port: mysqlServer.port, user, database: db.name };
      await writeRepoConfig({ name: 'billing', driver: 'mysql', ...target });
      await writeFile(path.join(dir, 'q.sql'), 'select id from invoices;\n');
      try {
        const refused = await runCli(['check', 'q.sql'], victimEnv());
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /refused user .*LIVE_SCHEMA_PASSWORD_TARGETS/);
        assert.ok(!refused.stderr.includes(LIVE_PASSWORD));

        const named = `${user}@${target.host}:${target.port}/${db.name}`;
        const allowed = await runCli(['check', 'q.sql'], victimEnv({ LIVE_SCHEMA_PASSWORD_TARGETS: named }));
        assert.equal(allowed.code, 0, allowed.stderr);
      } finally {
        await writeFile(path.join(dir, 'q.sql'), 'select 1;\n');
      }
    },
  );
});

describe('MCP server with a repository config', () => {
  test(
    'LIVE_SCHEMA_PASSWORD (the MCP way) never reaches a host the repository names',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      await writeRepoConfig({ name: 'x', host: '127.0.0.1', port: fake.port, user: 'app', database: 'shop' });
      const started = Date.now();
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'mcp', '--root', dir, '--cache-dir', path.join(dir, 'cache')],
        cwd: dir,
        env: victimEnv(),
        stderr: 'pipe',
      });
      const client = new Client({ name: 'live-schema-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        const result = await client.callTool({ name: 'search_schema', arguments: { query: 'orders' } });
        assert.equal(result.isError, true);
        assert.ok(fake.connections() >= 1, 'the server was asked');
        assertNothingSecret(fake.received());
      } finally {
        await client.close();
        await fake.close();
      }
      assert.ok(Date.now() - started < BOUND_MS, `ended within ${BOUND_MS} ms`);
    },
  );
});

describe('language server: workspace connections', () => {
  const workspaceConnection = (port: number) => ({
    name: 'prod',
    host: '127.0.0.1',
    port,
    user: 'app',
    database: 'shop',
  });

  /** Starts the server with PGPASSWORD in its environment, as VS Code started from a shell would have. */
  async function startServer(settings: Settings, options: TestClientOptions = {}): Promise<TestLanguageClient> {
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = PGPASSWORD;
    try {
      const client = new TestLanguageClient(settings, {}, options);
      await client.initialize(dir);
      return client;
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  }

  const tree = (client: TestLanguageClient) =>
    client.connection.sendRequest<{ status: ConnectionStatus } | null>('liveSchema/schemaTree', {
      connection: 'prod',
    });

  test(
    'a stored password is asked for by target, so a same-named connection elsewhere never gets it',
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      const client = await startServer({ connections: [workspaceConnection(fake.port)] });
      // The user stored a password for their own "prod"; the workspace's "prod" points at the fake server.
      const mine: PasswordTarget = {
        driver: 'postgres',
        host: 'db.internal',
        port: 5432,
        user: 'app',
        database: 'shop',
      };
      const secretStorage = new Map([[passwordSecretKey(mine), LIVE_PASSWORD]]);
      const asked: { connection: string; target: PasswordTarget }[] = [];
      client.connection.onRequest(
        'liveSchema/getPassword',
        (params: { connection: string; target: PasswordTarget }) => {
          asked.push(params);
          return { password: secretStorage.get(passwordSecretKey(params.target)) ?? null };
        },
      );
      try {
        const answer = await tree(client);
        assert.notEqual(answer?.status.state, 'connected');
        assert.deepEqual(asked[0]?.target, {
          driver: 'postgres',
          host: '127.0.0.1',
          port: fake.port,
          user: 'app',
          database: 'shop',
        });
        assert.ok(fake.connections() >= 1, 'the server was asked');
        assertNothingSecret(fake.received());
      } finally {
        await client.shutdown();
        await fake.close();
      }
    },
  );

  test(
    "the user's own connection may use PGPASSWORD from the editor's environment",
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      const client = await startServer({}, { user: { connections: [workspaceConnection(fake.port)] } });
      try {
        await tree(client);
        assert.ok(fake.received().includes(PGPASSWORD), 'pg read PGPASSWORD for a connection the user configured');
      } finally {
        await client.shutdown();
        await fake.close();
      }
    },
  );

  test(
    "Restricted Mode: the workspace's connections do not connect until it is trusted",
    { timeout: BOUND_MS },
    async () => {
      const fake = await fakeServer();
      const client = await startServer({ connections: [workspaceConnection(fake.port)] }, { workspaceTrusted: false });
      try {
        await client.shownMessage(/not connected in Restricted Mode/);
        const { connections } = await client.connection.sendRequest<{ connections: ConnectionStatus[] }>(
          'liveSchema/getConnectionStatus',
        );
        assert.deepEqual(
          connections.map((c) => c.name),
          [],
        );
        assert.equal(fake.connections(), 0);

        const listed = client.notification<{ connections: ConnectionStatus[] }>('liveSchema/connectionStatus', (p) =>
          p.connections.some((c) => c.name === 'prod'),
        );
        await client.trustWorkspace();
        await listed;
        await tree(client);
        assert.ok(fake.connections() >= 1, 'connects once trusted');
        assertNothingSecret(fake.received());
      } finally {
        await client.shutdown();
        await fake.close();
      }
    },
  );
});
