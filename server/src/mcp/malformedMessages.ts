import type { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * Answers a line that is not JSON (-32700 Parse error) or not a JSON-RPC message (-32600 Invalid
 * Request) with an error whose id is null, as JSON-RPC 2.0 §5 asks: the SDK's stdio transport only
 * reports such lines to `onerror`, so a client would wait for an answer that never comes.
 * Install before `server.connect`, which chains its own handler after this one.
 */
export function answerMalformedMessages(transport: StdioServerTransport, log: (message: string) => void): void {
  transport.onerror = (error) => {
    const code = malformedCode(error);
    if (code === undefined) return;
    const reply = {
      jsonrpc: '2.0',
      id: null,
      error: { code, message: code === ErrorCode.ParseError ? 'Parse error' : 'Invalid Request' },
    };
    // The SDK's message type has no null id, which the spec requires for these two errors.
    transport
      .send(reply as unknown as JSONRPCMessage)
      .catch((sendError: unknown) => log(`could not answer a malformed message: ${String(sendError)}`));
  };
}

/** The JSON-RPC code for an error the transport raised while reading a line, if it is one. */
function malformedCode(error: Error): ErrorCode | undefined {
  if (error instanceof SyntaxError) return ErrorCode.ParseError;
  // The transport's schema check: JSON, but not a JSON-RPC request, notification or response.
  if (error instanceof z.ZodError) return ErrorCode.InvalidRequest;
  return undefined;
}
