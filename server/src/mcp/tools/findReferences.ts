import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ElementRef } from '../../sql/editing/references';
import { findColumn } from '../../sql/editing/nameLookup';
import { lookUpRelation } from '../describeTable';
import type { McpSession } from '../mcpSession';
import { jsonResult, schemaSource } from './toolResult';

const DEFAULT_LIMIT = 200;

/** `find_references`: where the workspace's `.sql` files and code use a table or column (the workspace index). */
export function registerFindReferences(server: McpServer, session: McpSession): void {
  server.registerTool(
    'find_references',
    {
      title: 'Find references to a table or column',
      description:
        'Every place in the project (.sql files, SQL strings and name literals in TypeScript, JavaScript and Python) ' +
        'that names the table or column: file, line, column and the line text. Use it before renaming or dropping something.',
      inputSchema: z.strictObject({
        table: z.string().trim().min(1).max(300).describe('Table or view name, optionally "schema.table".'),
        column: z.string().trim().min(1).max(300).optional().describe('A column of the table: its references only.'),
        schema: z
          .string()
          .min(1)
          .optional()
          .describe('The schema (PostgreSQL) or database (MySQL), if not in "table".'),
        connection: z.string().min(1).optional().describe('The connection (default: the first that has the table).'),
        limit: z.number().int().min(1).max(5000).optional().describe('At most this many references (default 200).'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ table, column, schema, connection: name, limit }) => {
      let firstError: unknown;
      for (const connection of session.select(name)) {
        const { snapshot } = await session.resolve(connection);
        let element: ElementRef;
        try {
          const relation = lookUpRelation(snapshot, table, schema);
          element = { kind: 'relation', schema: relation.schema, table: relation.name };
          if (column !== undefined) {
            const found = findColumn(snapshot, relation, column);
            if (!found) throw new Error(`${relation.schema}.${relation.name} has no column "${column}".`);
            element = { ...element, kind: 'column', column: found.name };
          }
        } catch (error) {
          firstError ??= error;
          continue;
        }
        const locations = await connection.referencesTo(element, snapshot);
        const root = session.options.root;
        const shown = locations.slice(0, limit ?? DEFAULT_LIMIT);
        const lines = await linesOf([...new Set(shown.map((l) => l.file))]);
        return jsonResult({
          element,
          total: locations.length,
          references: shown.map((l) => ({
            file: path.relative(root, l.file).split(path.sep).join('/'),
            line: l.range.start.line + 1,
            column: l.range.start.character + 1,
            origin: l.origin,
            text: lines.get(l.file)?.[l.range.start.line]?.trim().slice(0, 200) ?? '',
          })),
          source: schemaSource(connection),
        });
      }
      throw firstError;
    },
  );
}

/** The lines of each file, to show a reference in its context; a file gone since gives none. */
async function linesOf(files: string[]): Promise<Map<string, string[]>> {
  const lines = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    lines.set(file, text.split(/\r\n|\n|\r/));
  }
  return lines;
}
