import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import { parseConnection } from '../../../server/src/config/connectionSettings';
import { PASSWORD_TARGETS_VARIABLE } from '../../../server/src/config/trust';
import type { PasswordTarget } from '../../../server/src/protocol/customMessages';
import { passwordTarget } from '../../../server/src/session/passwordTarget';
import { McpProvider, Setting } from '../ids';
import type { PasswordStore } from '../passwords';

/**
 * `live-schema mcp` for VS Code's agents, one MCP server per connection of each open folder (the
 * embedded schema when none is configured). One server per connection because the MCP server hands
 * its one password (`LIVE_SCHEMA_PASSWORD`) to every connection it serves: a password must reach
 * only the connection it was stored for. The password comes from SecretStorage when the server
 * starts, and only through the environment, never in the arguments (visible in process lists).
 */

/** The slice of VS Code's API (1.101+) this needs; @types/vscode stays at 1.90, the oldest supported. */
export interface McpStdioServerDefinition {
  readonly label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
}

interface McpServerDefinitionProvider {
  onDidChangeMcpServerDefinitions: vscode.Event<void>;
  provideMcpServerDefinitions(): McpStdioServerDefinition[];
  resolveMcpServerDefinition(server: McpStdioServerDefinition): Promise<McpStdioServerDefinition | undefined>;
}

export interface McpCapableApi {
  version: string;
  lm?: { registerMcpServerDefinitionProvider?(id: string, provider: McpServerDefinitionProvider): vscode.Disposable };
  McpStdioServerDefinition?: new (
    label: string,
    command: string,
    args?: string[],
    env?: Record<string, string | number | null>,
  ) => McpStdioServerDefinition;
  EventEmitter: typeof vscode.EventEmitter;
  workspace: Pick<
    typeof vscode.workspace,
    'workspaceFolders' | 'getConfiguration' | 'isTrusted' | 'onDidChangeConfiguration' | 'onDidChangeWorkspaceFolders'
  >;
}

interface ServerSpec {
  folder: vscode.WorkspaceFolder;
  /** The connection as the settings spell it; undefined for the embedded schema. */
  connection: { name: string; raw: unknown; target: PasswordTarget | null } | undefined;
  configFile: string;
}

/**
 * Registers the provider where the running VS Code has the final API (1.101+); elsewhere does
 * nothing and returns undefined, and `.vscode/mcp.json` (docs/mcp.md) remains the way. VS Code
 * 1.100 has a function of the same name, but as a proposal with another contribution point: called
 * there, it throws and would fail the activation (seen in the e2e suite's code-server).
 */
export function registerMcpServers(
  api: McpCapableApi,
  options: { extensionPath: string; storagePath: string; passwords: PasswordStore },
): vscode.Disposable | undefined {
  const lm = api.lm;
  const Definition = api.McpStdioServerDefinition;
  if (
    !atLeast(api.version, MCP_API_VERSION) ||
    typeof lm?.registerMcpServerDefinitionProvider !== 'function' ||
    typeof Definition !== 'function'
  )
    return undefined;
  const cli = path.join(options.extensionPath, 'server', 'out', 'cli.js');
  const specs = new Map<string, ServerSpec>();
  const changed = new api.EventEmitter<void>();
  const listeners = [
    api.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Setting.section)) changed.fire();
    }),
    api.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
  ];

  const provider: McpServerDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions() {
      specs.clear();
      // Restricted Mode: nothing the workspace configures connects anywhere.
      if (!api.workspace.isTrusted) return [];
      return (api.workspace.workspaceFolders ?? []).flatMap((folder) =>
        folderConnections(api, folder).map((connection) => {
          const label = `Live Schema: ${connection?.name ?? 'embedded'} (${folder.name})`;
          const configFile = path.join(options.storagePath, 'mcp', `${fileKey(folder, connection?.name)}.json`);
          specs.set(label, { folder, connection, configFile });
          // The editor's own runtime: Node in code-server, Electron run as Node on the desktop.
          const definition = new Definition(
            label,
            process.execPath,
            [cli, 'mcp', '--root', folder.uri.fsPath, '--config', configFile],
            {
              ELECTRON_RUN_AS_NODE: '1',
            },
          );
          definition.cwd = folder.uri;
          return definition;
        }),
      );
    },
    async resolveMcpServerDefinition(server) {
      const spec = specs.get(server.label);
      if (!spec) return server;
      // Written now, not when listed: the server starts with the settings of this moment.
      mkdirSync(path.dirname(spec.configFile), { recursive: true });
      writeFileSync(spec.configFile, JSON.stringify(mcpConfig(api, spec), null, 2), { mode: 0o600 });
      const target = spec.connection?.target;
      const password = target ? await options.passwords.get(target) : undefined;
      // The MCP server reads its config as the project's: an environment password goes only to a
      // target named in LIVE_SCHEMA_PASSWORD_TARGETS, here the one it was stored for.
      server.env = {
        ...server.env,
        LIVE_SCHEMA_PASSWORD: password ?? null,
        [PASSWORD_TARGETS_VARIABLE]: password && target ? targetName(target) : null,
      };
      return server;
    },
  };
  const registration = lm.registerMcpServerDefinitionProvider(McpProvider.id, provider);
  return {
    dispose: () => {
      registration.dispose();
      for (const listener of listeners) listener.dispose();
      changed.dispose();
    },
  };
}

const MCP_API_VERSION = [1, 101];

/** Whether `version` ("1.101.2", "1.102.0-insider") is `minimum` or later. */
function atLeast(version: string, [major, minor]: number[]): boolean {
  const [given, givenMinor] = version.split('.').map((part) => Number.parseInt(part, 10));
  return given > major || (given === major && givenMinor >= minor);
}

/** The folder's valid connections by name; `[undefined]` (the embedded schema) when none is configured. */
function folderConnections(api: McpCapableApi, folder: vscode.WorkspaceFolder): ServerSpec['connection'][] {
  const raw = api.workspace.getConfiguration(Setting.section, folder.uri).get<unknown[]>(Setting.connections) ?? [];
  if (!Array.isArray(raw) || raw.length === 0) return [undefined];
  // Invalid entries are left out here; the language server already reports them by key.
  return raw.flatMap((entry, index) => {
    const parsed = parseConnection(entry, process.env, `${Setting.section}.${Setting.connections}[${index}]`);
    return 'connection' in parsed
      ? [{ name: parsed.connection.name, raw: entry, target: passwordTarget(parsed.connection) }]
      : [];
  });
}

/** The folder's `liveSchema` settings with only this server's connection: the CLI's config file shape. */
function mcpConfig(api: McpCapableApi, spec: ServerSpec): { liveSchema: Record<string, unknown> } {
  const section = api.workspace
    .getConfiguration(undefined, spec.folder.uri)
    .get<Record<string, unknown>>(Setting.section);
  return { liveSchema: { ...section, connections: spec.connection ? [spec.connection.raw] : [] } };
}

/** `user@host:port/database`, as LIVE_SCHEMA_PASSWORD_TARGETS names a target. */
function targetName(t: PasswordTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

function fileKey(folder: vscode.WorkspaceFolder, connection: string | undefined): string {
  return createHash('sha256')
    .update(`${folder.uri.toString()}\0${connection ?? ''}`)
    .digest('hex')
    .slice(0, 16);
}
