import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpConnection } from '../mcpConnection';

/**
 * Tool answers are compact JSON text: what every MCP client shows to its model, without indentation
 * that would only cost the model context. Errors are thrown as plain `Error`s with a message for
 * the agent; the SDK turns them into `isError` results.
 */
export function jsonResult(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

/** Where an answer's schema came from and how fresh it is, so an agent knows when it may be out of date. */
export function schemaSource(connection: McpConnection) {
  const { name, state, schemaAgeSeconds, reason } = connection.state();
  return { connection: name, state, schemaAgeSeconds, ...(reason ? { reason } : {}) };
}
