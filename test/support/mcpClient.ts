import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from './cli';

/** One `live-schema mcp` run, spoken to with the MCP SDK's own client, as an agent does. */
export interface McpTestClient {
  /** Calls a tool; a tool error rejects with its text. */
  call<T>(name: string, args: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Spawns the built CLI's MCP server over stdio in `root` with `config` as its configuration file
 * and a cache folder inside `root`; the test runner's loaders are not passed on.
 */
export async function startMcp(root: string, config: string): Promise<McpTestClient> {
  const env = { ...process.env, LIVE_SCHEMA_PASSWORD: '' } as Record<string, string>;
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--root', root, '--config', config, '--cache-dir', path.join(root, '.cache')],
    cwd: root,
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'live-schema-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    async call<T>(name: string, args: Record<string, unknown>): Promise<T> {
      const result = await client.callTool({ name, arguments: args });
      const text = (result.content as { text: string }[])[0]?.text ?? '';
      if (result.isError) throw new Error(`${name}: ${text}`);
      return JSON.parse(text) as T;
    },
    close: () => client.close(),
  };
}
