import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpSession } from './mcpSession';
import { registerResources } from './resources';
import { registerCheckSql } from './tools/checkSql';
import { registerDescribeTable } from './tools/describeTable';
import { registerFindReferences } from './tools/findReferences';
import { registerSchemaChanges } from './tools/schemaChanges';
import { registerSearchSchema } from './tools/searchSchema';

/** What an agent is told when it connects: when to use which tool. */
const INSTRUCTIONS =
  'Live Schema knows the real database schema of this project. Before writing SQL, find names with search_schema ' +
  'and describe_table instead of guessing; check every statement you write with check_sql (it never runs it). ' +
  'find_references shows where the code uses a table or column; schema_changes shows what changed in the database lately.';

/** The MCP server: tools and resources over one session; no analysis of its own. */
export function createMcpServer(session: McpSession, version: string): McpServer {
  const server = new McpServer({ name: 'live-schema', version }, { instructions: INSTRUCTIONS });
  registerSearchSchema(server, session);
  registerDescribeTable(server, session);
  registerCheckSql(server, session);
  registerFindReferences(server, session);
  registerSchemaChanges(server, session);
  registerResources(server, session);
  return server;
}
