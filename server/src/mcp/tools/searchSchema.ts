import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpSession } from '../mcpSession';
import { searchSchema } from '../../schema/schemaSearch';
import { jsonResult, schemaSource } from './toolResult';

/** `search_schema`: a business term or partial name → ranked tables, views and columns. */
export function registerSearchSchema(server: McpServer, session: McpSession): void {
  server.registerTool(
    'search_schema',
    {
      title: 'Search the schema',
      description:
        'Find tables, views and columns by a business term or a partial name ("customer email", "revenue", "ordr"). ' +
        'Fuzzy over names, comments and the configured synonyms; best match first. Use it before writing SQL instead of guessing names.',
      inputSchema: z.strictObject({
        query: z.string().trim().min(1).max(200).describe('A business term or part of a table or column name.'),
        connection: z.string().min(1).optional().describe('Search only this connection (default: all).'),
        limit: z.number().int().min(1).max(100).optional().describe('At most this many matches (default 20).'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, connection, limit }) => {
      const matches = [];
      const sources = [];
      for (const candidate of session.select(connection)) {
        const { snapshot } = await session.resolve(candidate);
        sources.push(schemaSource(candidate));
        for (const match of searchSchema(snapshot, query, session.settings.search.synonyms, limit))
          matches.push({ connection: candidate.name, ...match });
      }
      matches.sort((a, b) => a.score - b.score);
      return jsonResult({ query, matches: matches.slice(0, limit ?? 20), sources });
    },
  );
}
