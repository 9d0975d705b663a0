import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describeChange } from '../../schema/schemaDiff';
import type { McpSession } from '../mcpSession';
import { jsonResult, schemaSource } from './toolResult';

/**
 * `schema_changes`: the last schema change detected in this session, per connection. The
 * fingerprint is polled first (one cheap catalog query), so a change made a moment ago is seen.
 */
export function registerSchemaChanges(server: McpServer, session: McpSession): void {
  server.registerTool(
    'schema_changes',
    {
      title: 'Last schema change',
      description:
        'The last schema change detected since the server started (tables, columns, keys, indexes added, dropped, ' +
        'changed or likely renamed), per connection. Checks the database for a change first.',
      inputSchema: z.strictObject({
        connection: z.string().min(1).optional().describe('Only this connection (default: all).'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ connection: name }) => {
      const connections = session.select(name);
      const results = [];
      for (const connection of connections) {
        await connection.snapshot();
        await connection.checkNow();
        const change = connection.lastChange;
        results.push({
          ...schemaSource(connection),
          lastChange: change
            ? {
                detectedAt: new Date(change.detectedAt).toISOString(),
                changes: change.event.diff.changes.map(describeChange),
                details: change.event.diff.changes,
              }
            : null,
        });
      }
      return jsonResult({ connections: results });
    },
  );
}
