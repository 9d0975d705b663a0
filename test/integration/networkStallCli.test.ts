/**
 * `live-schema check` as a process, through a loopback proxy whose network stalls at an exact
 * point of the session. Whatever the point — session setup, a catalog query, the goodbye — the
 * command ends within the timeout that governs that point plus one second, and says why.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { startStallingProxy, type StallingProxy } from '../support/network';

const cli = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 1_500;
/** How long a test waits before it kills a command that hangs. */
const HANG_MS = 10_000;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the stall to the end of the process. */
  afterStall: number;
}

/** Runs `check` on one file through the proxy; the stall is armed on `marker` before the process starts. */
async function checkThroughStall(
  dir: string,
  proxy: StallingProxy,
  connection: Record<string, unknown>,
  marker: string,
): Promise<Ended> {
  await writeFile(
    path.join(dir, 'live-schema.json'),
    JSON.stringify({
      connections: [
        {
          name: 'stalling',
          host: '127.0.0.1',
          port: proxy.port,
          connectTimeoutMs: CONNECT_TIMEOUT_MS,
          statementTimeoutMs: STATEMENT_TIMEOUT_MS,
          ...connection,
        },
      ],
    }),
  );
  let stalledAt: number | undefined;
  void proxy.stallOn(marker).then(() => (stalledAt = performance.now()));
  const child = spawn(process.execPath, [cli, 'check', 'query.sql'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  const ended = performance.now();
  assert.ok(stalledAt !== undefined, `the session never reached "${marker}": ${stderr}`);
  return { code, stdout, stderr, afterStall: ended - stalledAt };
}

function assertEndsWithin(ended: Ended, boundMs: number): void {
  assert.ok(
    ended.afterStall <= boundMs + 1_000,
    `ended ${Math.round(ended.afterStall)} ms after the stall (bound ${boundMs} + 1000 ms); exit ${ended.code}; stderr: ${ended.stderr}`,
  );
}

describe('check on MariaDB through a network that stalls', () => {
  let db: TestDatabase;
  let proxy: StallingProxy;
  let dir: string;
  let mysql: Record<string, unknown>;

  before(async () => {
    db = await createMysqlDatabase('CREATE TABLE orders (id INT PRIMARY KEY, total_cents INT NOT NULL)');
    proxy = await startStallingProxy(mysqlServer);
    dir = await mkdtemp(path.join(tmpdir(), 'ls-stall-mysql-'));
    await writeFile(path.join(dir, 'query.sql'), 'SELECT totl_cents FROM orders;\n');
    mysql = { driver: 'mysql', user: mysqlServer.user, database: db.name };
  });
  after(async () => {
    await proxy?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a stall during session setup (SET SESSION) ends within the connect timeout', async () => {
    const ended = await checkThroughStall(dir, proxy, mysql, 'SET SESSION TRANSACTION READ ONLY');
    proxy.resume();
    assert.equal(ended.code, 2, ended.stderr);
    assert.match(ended.stderr, /connect timeout \(1000 ms\)/);
    assertEndsWithin(ended, CONNECT_TIMEOUT_MS);
  });

  test('a stall during a catalog query ends within the statement timeout', async () => {
    const ended = await checkThroughStall(dir, proxy, mysql, 'information_schema.COLUMNS');
    proxy.resume();
    assert.equal(ended.code, 2, ended.stderr);
    assert.match(ended.stderr, /statement timeout \(1500 ms\)/);
    assertEndsWithin(ended, STATEMENT_TIMEOUT_MS);
  });

  test('a lost goodbye (COM_QUIT) does not keep the process alive after the results', async () => {
    const ended = await checkThroughStall(dir, proxy, mysql, '\x01\x00\x00\x00\x01');
    proxy.resume();
    assert.equal(ended.code, 1, ended.stderr);
    assert.match(ended.stdout, /unknown-column/);
    assertEndsWithin(ended, CONNECT_TIMEOUT_MS);
  });
});

describe('check on PostgreSQL through a network that stalls', () => {
  let db: TestDatabase;
  let proxy: StallingProxy;
  let dir: string;
  let postgres: Record<string, unknown>;

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer NOT NULL);');
    proxy = await startStallingProxy(pgServer);
    dir = await mkdtemp(path.join(tmpdir(), 'ls-stall-pg-'));
    await writeFile(path.join(dir, 'query.sql'), 'SELECT totl_cents FROM orders;\n');
    postgres = { driver: 'postgres', user: pgServer.user, database: db.name };
  });
  after(async () => {
    await proxy?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a stall during the startup exchange ends within the connect timeout', async () => {
    const ended = await checkThroughStall(dir, proxy, postgres, 'live-schema');
    proxy.resume();
    assert.equal(ended.code, 2, ended.stderr);
    assert.match(ended.stderr, /connect timeout \(1000 ms\)/);
    assertEndsWithin(ended, CONNECT_TIMEOUT_MS);
  });

  test('a stall during a catalog query ends within the statement timeout, without waiting on ROLLBACK', async () => {
    const ended = await checkThroughStall(dir, proxy, postgres, 'pg_attribute');
    proxy.resume();
    assert.equal(ended.code, 2, ended.stderr);
    assert.match(ended.stderr, /statement timeout \(1500 ms\)/);
    assertEndsWithin(ended, STATEMENT_TIMEOUT_MS);
  });

  test('a lost goodbye (Terminate) does not keep the process alive after the results', async () => {
    const ended = await checkThroughStall(dir, proxy, postgres, 'X\x00\x00\x00\x04');
    proxy.resume();
    assert.equal(ended.code, 1, ended.stderr);
    assert.match(ended.stdout, /unknown-column/);
    assertEndsWithin(ended, CONNECT_TIMEOUT_MS);
  });
});
