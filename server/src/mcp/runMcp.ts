import path from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import packageJson from '../../../package.json';
import { loadCliConfig, UsageError } from '../cli/config';
import { environmentPasswords } from '../db/password';
import { cacheDirectory } from '../engine/cacheDirectory';
import { answerMalformedMessages } from './malformedMessages';
import { createMcpServer } from './mcpServer';
import { McpSession } from './mcpSession';

const USAGE = 'usage: live-schema mcp [--root DIR] [--config FILE] [--cache-dir DIR]';

/**
 * `live-schema mcp [--root DIR] [--config FILE] [--cache-dir DIR]`: a Model Context Protocol
 * server on stdin/stdout for AI agents. Settings come from the CLI's config file (the `liveSchema`
 * section's shape); the password from `LIVE_SCHEMA_PASSWORD` (PostgreSQL also reads PGPASSWORD and
 * ~/.pgpass), only for a target the user chose (SECURITY.md). Resolves when the client disconnects.
 */
export async function runMcp(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: { root: { type: 'string' }, config: { type: 'string' }, 'cache-dir': { type: 'string' } },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const root = path.resolve(values.root ?? process.cwd());
  const { settings } = loadCliConfig(values.config, root);
  const log = (message: string) => process.stderr.write(`live-schema mcp: ${message}\n`);
  // stdout carries the protocol: a stray console.log from any dependency would corrupt it.
  console.log = console.info = console.debug = console.warn = (...parts: unknown[]) => log(parts.join(' '));

  const session = new McpSession({
    root,
    settings,
    cacheDir: await cacheDirectory({ given: values['cache-dir'], project: root }),
    passwords: environmentPasswords(process.env),
    log,
  });
  const server = createMcpServer(session, packageJson.version);
  const transport = new StdioServerTransport();
  answerMalformedMessages(transport, log);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.connect(transport);
  log(
    `serving ${session.connections.map((c) => `"${c.name}" (${c.settings.driver})`).join(', ') || 'no connection'} from ${root}`,
  );
  await closed;
  await server.close().catch(() => undefined);
  await session.dispose();
  return 0;
}
