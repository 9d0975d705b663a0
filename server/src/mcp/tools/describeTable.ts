import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describeTable, lookUpRelation } from '../describeTable';
import type { McpSession } from '../mcpSession';
import { jsonResult, schemaSource } from './toolResult';

/** `describe_table`: columns, types, nullability, keys, indexes, comment and foreign keys in and out. */
export function registerDescribeTable(server: McpServer, session: McpSession): void {
  server.registerTool(
    'describe_table',
    {
      title: 'Describe a table',
      description:
        'Columns (type, nullability, default, comment), primary key, unique constraints, indexes, ' +
        'foreign keys of the table and foreign keys of other tables pointing at it, for a table or view.',
      inputSchema: z.strictObject({
        table: z.string().trim().min(1).max(300).describe('Table or view name, optionally "schema.table".'),
        schema: z
          .string()
          .min(1)
          .optional()
          .describe('The schema (PostgreSQL) or database (MySQL), if not in "table".'),
        connection: z.string().min(1).optional().describe('The connection (default: the first that has the table).'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ table, schema, connection }) => {
      let firstError: unknown;
      for (const candidate of session.select(connection)) {
        const { snapshot } = await session.resolve(candidate);
        try {
          const relation = lookUpRelation(snapshot, table, schema);
          return jsonResult({ ...describeTable(snapshot, relation), source: schemaSource(candidate) });
        } catch (error) {
          firstError ??= error;
        }
      }
      throw firstError;
    },
  );
}
