import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { registerMcpServers } from '../../client/src/mcp/mcpServerProvider';
import type { PasswordStore } from '../../client/src/passwords';
import type { PasswordTarget } from '../../server/src/protocol/customMessages';
import { fakeMcpVscode } from '../support/fakeMcpVscode';

/** The MCP servers the extension registers in VS Code 1.101+ (a stand-in for the `vscode` API). */

const storage = mkdtempSync(path.join(tmpdir(), 'live-schema-mcp-'));
after(() => rmSync(storage, { recursive: true, force: true }));
const fakeVscode = (
  settings: Record<string, unknown>,
  options?: { trusted?: boolean; withApi?: boolean; version?: string },
) => fakeMcpVscode('/work/shop', settings, options);

const passwords = {
  // Stored for the billing database's target (user, host, port, database), not for a name.
  get: (t: PasswordTarget) =>
    Promise.resolve(
      t.driver === 'mysql' &&
        t.user === 'accountant' &&
        t.host === '127.0.0.1' &&
        t.port === 3306 &&
        t.database === 'billing'
        ? 'pw-billing-secret'
        : undefined,
    ),
} as PasswordStore;
const readConfig = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as { liveSchema: { connections: unknown[] } };
const options = { extensionPath: '/ext', storagePath: storage, passwords };

const settings = {
  liveSchema: {
    connections: [
      { name: 'app', driver: 'postgres', host: 'db.example', database: 'app', user: 'me' },
      { name: 'billing', driver: 'mysql', host: '127.0.0.1', database: 'billing', user: 'accountant' },
    ],
    validation: { liveCheck: true },
  },
};

test('VS Code without the MCP API (before 1.101): nothing is registered, nothing fails', () => {
  const { api } = fakeVscode(settings, { withApi: false });
  assert.equal(registerMcpServers(api, options), undefined);
});

test('VS Code 1.100, whose same-named function is a proposal that throws: nothing is registered', () => {
  const { api, registered } = fakeVscode(settings, { version: '1.100.3' });
  assert.equal(registerMcpServers(api, options), undefined);
  assert.equal(registered.length, 0);
  const later = fakeVscode(settings, { version: '1.102.0-insider' });
  assert.ok(registerMcpServers(later.api, options));
});

test('each connection of the open folder is one `live-schema mcp` server, run by the editor’s Node', () => {
  const { api, registered } = fakeVscode(settings);
  assert.ok(registerMcpServers(api, options));
  assert.deepEqual(
    registered.map((r) => r.id),
    ['liveSchema.mcpServers'],
  );
  const servers = registered[0].provider.provideMcpServerDefinitions();
  assert.deepEqual(
    servers.map((s) => s.label),
    ['Live Schema: app (shop)', 'Live Schema: billing (shop)'],
  );
  for (const server of servers) {
    assert.equal(server.command, process.execPath);
    assert.deepEqual(server.args.slice(0, 4), ['/ext/server/out/cli.js', 'mcp', '--root', '/work/shop']);
    assert.equal(server.args[4], '--config');
    assert.equal(server.env.ELECTRON_RUN_AS_NODE, '1');
  }
});

test('starting a server writes its one connection to its config and its password to the environment only', async () => {
  const { api, registered } = fakeVscode(settings);
  registerMcpServers(api, options);
  const provider = registered[0].provider;
  const [app, billing] = provider.provideMcpServerDefinitions();

  const started = await provider.resolveMcpServerDefinition(billing);
  assert.equal(started?.env.LIVE_SCHEMA_PASSWORD, 'pw-billing-secret');
  // The MCP server sends an environment password only to a target named here: this one alone.
  assert.equal(started.env.LIVE_SCHEMA_PASSWORD_TARGETS, 'accountant@127.0.0.1:3306/billing');
  assert.ok(!started.args.some((arg) => arg.includes('pw-billing-secret')), 'the password is not an argument');
  const configFile = started.args[5];
  const config = readFileSync(configFile, 'utf8');
  assert.deepEqual(JSON.parse(config), {
    liveSchema: { connections: [settings.liveSchema.connections[1]], validation: { liveCheck: true } },
  });
  assert.ok(!config.includes('pw-billing-secret'), 'the password is not in the config file');
  assert.equal(statSync(configFile).mode & 0o077, 0, 'the config file is private');

  // A connection without a stored password gets none, not another connection's, nor an inherited one.
  const appStarted = await provider.resolveMcpServerDefinition(app);
  assert.equal(appStarted?.env.LIVE_SCHEMA_PASSWORD, null);
  assert.equal(appStarted.env.LIVE_SCHEMA_PASSWORD_TARGETS, null);
  assert.deepEqual(readConfig(appStarted.args[5]).liveSchema.connections, [settings.liveSchema.connections[0]]);
});

test('a folder without connections gets one server for the embedded schema; Restricted Mode gets none', async () => {
  const { api, registered } = fakeVscode({ liveSchema: { connections: [] } });
  registerMcpServers(api, options);
  const [embedded, ...others] = registered[0].provider.provideMcpServerDefinitions();
  assert.equal(others.length, 0);
  assert.equal(embedded.label, 'Live Schema: embedded (shop)');
  const started = await registered[0].provider.resolveMcpServerDefinition(embedded);
  assert.deepEqual(readConfig(started!.args[5]).liveSchema.connections, []);

  const untrusted = fakeVscode(settings, { trusted: false });
  registerMcpServers(untrusted.api, options);
  assert.deepEqual(untrusted.registered[0].provider.provideMcpServerDefinitions(), []);
});
