/**
 * The MCP server the extension registers in VS Code 1.101+ (a stand-in for the `vscode` API, since
 * the e2e suite's code-server is VS Code 1.100): the definition it hands the editor, started as the
 * editor starts it, is the real `live-schema mcp` serving the folder's connection, logged in to a
 * real MariaDB with the password from secret storage.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { registerMcpServers } from '../../client/src/mcp/mcpServerProvider';
import type { PasswordStore } from '../../client/src/passwords';
import type { ConnectionState } from '../../server/src/mcp/mcpConnection';
import type { PasswordTarget } from '../../server/src/protocol/customMessages';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { fakeMcpVscode } from '../support/fakeMcpVscode';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const user = `ls_test_mcp${process.pid}`;
const secret = `pw-${Math.random().toString(36).slice(2)}-mcp`;
let maria: TestDatabase;
let scratch: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  scratch = mkdtempSync(path.join(tmpdir(), 'ls-mcp-registration-'));
  maria = await createMysqlDatabase('CREATE TABLE invoices (id int PRIMARY KEY, amount_cents int NOT NULL)');
  await maria.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY '${secret}'`);
  await maria.admin(`GRANT SELECT ON \`${maria.name}\`.* TO '${user}'@'%'`);
});

after(async () => {
  await maria?.admin(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
  await maria?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

test('the registered definition starts `live-schema mcp` on the folder’s connection, logged in with the stored password', async () => {
  const folder = path.join(scratch, 'project');
  mkdirSync(folder);
  const connection = {
    name: 'billing',
    driver: 'mysql',
    host: mysqlServer.host,
    port: mysqlServer.port,
    user,
    database: maria.name,
  };
  const { api, registered } = fakeMcpVscode(folder, { liveSchema: { connections: [connection] } });
  // Stored for this database's target, as Set Password stores it.
  const passwords = {
    get: (t: PasswordTarget) => Promise.resolve(t.user === user && t.database === maria.name ? secret : undefined),
  };
  registerMcpServers(api, {
    extensionPath: repo,
    storagePath: path.join(scratch, 'storage'),
    passwords: passwords as PasswordStore,
  });
  const { provider } = registered[0];
  const [listed] = provider.provideMcpServerDefinitions();
  const server = await provider.resolveMcpServerDefinition(listed);
  assert.ok(server);

  // As the editor starts it: its command and arguments, its environment over the editor's own.
  const env = { ...process.env } as Record<string, string>;
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  for (const [key, value] of Object.entries(server.env))
    if (value === null) delete env[key];
    else env[key] = String(value);
  const transport = new StdioClientTransport({ command: server.command, args: server.args, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'live-schema-test', version: '1.0.0' });
  await client.connect(transport).catch((error: Error) => {
    throw new Error(`${error.message}; the server said: ${stderr}`);
  });
  try {
    const described = await client.callTool({ name: 'describe_table', arguments: { table: 'invoices' } });
    const text = (described.content as { text: string }[])[0].text;
    assert.equal(described.isError, undefined, text);
    assert.match(text, /amount_cents/);
    const { contents } = await client.readResource({ uri: 'live-schema://connections' });
    const { connections } = JSON.parse((contents[0] as { text: string }).text) as { connections: ConnectionState[] };
    assert.deepEqual(
      connections.map((c) => [c.name, c.state]),
      [['billing', 'fresh']],
    );
  } finally {
    await client.close();
  }
  assert.ok(!stderr.includes(secret), 'the password is in no log line');
});
