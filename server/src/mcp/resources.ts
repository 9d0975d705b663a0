import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpConnection } from './mcpConnection';
import type { McpSession } from './mcpSession';

/** `live-schema://connections`: every connection's state and schema age, without the snapshots. */
export const CONNECTIONS_URI = 'live-schema://connections';

/** `live-schema://connections/{name}/snapshot`: one connection's whole snapshot with its state and age. */
export function snapshotUri(connection: McpConnection): string {
  return `live-schema://connections/${encodeURIComponent(connection.name)}/snapshot`;
}

/** Registers the resources: the connection list and one snapshot per connection. */
export function registerResources(server: McpServer, session: McpSession): void {
  server.registerResource(
    'connections',
    CONNECTIONS_URI,
    {
      title: 'Connections',
      description: 'Each connection with its state (fresh, stale, offline), schema age and server version.',
      mimeType: 'application/json',
    },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ connections: session.connections.map((c) => c.state()) }),
        },
      ],
    }),
  );
  for (const connection of session.connections) {
    server.registerResource(
      `snapshot-${connection.name}`,
      snapshotUri(connection),
      {
        title: `Schema of ${connection.name}`,
        description: `The schema snapshot of "${connection.name}" (${connection.settings.driver}) with its state and age.`,
        mimeType: 'application/json',
      },
      async (uri) => {
        const snapshot = await connection.snapshot();
        return {
          contents: [
            {
              uri: uri.href,
              mimeType: 'application/json',
              text: JSON.stringify({ ...connection.state(), snapshot: snapshot ?? null }),
            },
          ],
        };
      },
    );
  }
}
