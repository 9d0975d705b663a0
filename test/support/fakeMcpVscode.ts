import type * as vscode from 'vscode';
import type { McpCapableApi, McpStdioServerDefinition } from '../../client/src/mcp/mcpServerProvider';

/**
 * A stand-in for the slice of the `vscode` API the MCP server registration uses (VS Code 1.101+):
 * the extension host is not available to unit and integration tests, and the e2e suite's
 * code-server is VS Code 1.100, which lacks the API.
 */

class Definition implements McpStdioServerDefinition {
  cwd?: vscode.Uri;
  constructor(
    readonly label: string,
    public command: string,
    public args: string[] = [],
    public env: Record<string, string | number | null> = {},
  ) {}
}

class Emitter<T> {
  private readonly listeners: ((value: T) => void)[] = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {}
}

export interface RegisteredProvider {
  id: string;
  provider: {
    provideMcpServerDefinitions(): McpStdioServerDefinition[];
    resolveMcpServerDefinition(server: McpStdioServerDefinition): Promise<McpStdioServerDefinition | undefined>;
  };
}

/** One workspace folder `folderPath` whose settings are `settings` (keyed by section). */
export function fakeMcpVscode(
  folderPath: string,
  settings: Record<string, unknown>,
  options: { trusted?: boolean; withApi?: boolean; version?: string } = {},
): { api: McpCapableApi; registered: RegisteredProvider[] } {
  const registered: RegisteredProvider[] = [];
  const folder = {
    name: folderPath.split('/').at(-1),
    index: 0,
    uri: { fsPath: folderPath, toString: () => `file://${folderPath}` },
  };
  const api = {
    version: options.version ?? '1.101.0',
    ...(options.withApi === false
      ? {}
      : {
          lm: {
            registerMcpServerDefinitionProvider: (id: string, provider: RegisteredProvider['provider']) => {
              registered.push({ id, provider });
              return { dispose: () => undefined };
            },
          },
          McpStdioServerDefinition: Definition,
        }),
    EventEmitter: Emitter,
    workspace: {
      workspaceFolders: [folder],
      isTrusted: options.trusted ?? true,
      getConfiguration: (section?: string) => ({
        get: (key: string) => (section ? (settings[section] as Record<string, unknown>)[key] : settings[key]),
      }),
      onDidChangeConfiguration: () => ({ dispose: () => undefined }),
      onDidChangeWorkspaceFolders: () => ({ dispose: () => undefined }),
    },
  } as unknown as McpCapableApi;
  return { api, registered };
}
