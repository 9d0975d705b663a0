/**
 * `live-schema mcp` over stdio, reaching MariaDB through a loopback proxy whose network stalls in
 * the middle of a live check. The tool call answers within the statement timeout plus one second,
 * with no verdict on the statement, and once the network is back the next call is judged again.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { startStallingProxy, type StallingProxy } from '../support/network';

const cli = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const STATEMENT_TIMEOUT_MS = 1_500;

interface Checked {
  liveCheck: string;
  findings: { code: string }[];
}

describe('MCP check_sql on MariaDB behind a network that stalls', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let proxy: StallingProxy;
  let dir: string;
  let client: Client;
  const checkSql = async (sql: string): Promise<Checked> => {
    const result = await client.callTool({ name: 'check_sql', arguments: { sql } });
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    assert.notEqual(result.isError, true, text);
    return JSON.parse(text) as Checked;
  };

  before(async () => {
    db = await createMysqlDatabase('CREATE TABLE orders (id INT PRIMARY KEY, total_cents INT NOT NULL)');
    proxy = await startStallingProxy(mysqlServer);
    dir = await mkdtemp(path.join(tmpdir(), 'ls-stall-mcp-'));
    const config = path.join(dir, 'live-schema.json');
    await writeFile(
      config,
      JSON.stringify({
        connections: [
          {
            name: 'maria',
            driver: 'mysql',
            host: '127.0.0.1',
            port: proxy.port,
            user: mysqlServer.user,
            database: db.name,
            connectTimeoutMs: 1_000,
            statementTimeoutMs: STATEMENT_TIMEOUT_MS,
          },
        ],
        validation: { liveCheck: true },
        cache: { ttlSeconds: 3600, pollIntervalSeconds: 0 },
      }),
    );
    const env = { ...process.env } as Record<string, string>;
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp', '--root', dir, '--config', config, '--cache-dir', path.join(dir, 'cache')],
      cwd: dir,
      env,
      stderr: 'ignore',
    });
    client = new Client({ name: 'live-schema-test', version: '1.0.0' });
    await client.connect(transport);
    assert.match((await checkSql('SELECT id FROM orders')).liveCheck, /1 statements prepared/);
  });
  after(async () => {
    await client?.close();
    await proxy?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a stall during the live PREPARE answers within the timeout with no verdict, then recovers', async () => {
    const stalled = proxy.stallOn('id = 42');
    const answer = checkSql('SELECT total_cents FROM orders WHERE id = 42');
    await stalled;
    const since = performance.now();
    const checked = await answer;
    const ms = performance.now() - since;
    assert.ok(ms <= STATEMENT_TIMEOUT_MS + 1_000, `answered ${Math.round(ms)} ms after the stall`);
    assert.deepEqual(checked.findings, []);
    assert.match(checked.liveCheck, /stopped after 1 statements: .*statement timeout \(1500 ms\)/);

    proxy.resume();
    const faulty = await checkSql('SELECT no_such_function(id) FROM orders');
    assert.deepEqual(
      faulty.findings.map((f) => f.code),
      ['unknown-function'],
    );
  });
});
