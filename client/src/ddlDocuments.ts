import * as vscode from 'vscode';
import { GetVirtualDocument } from '../../server/src/protocol/customMessages';
import type { Ctx } from './context';
import { DDL_SCHEME } from './ids';

/** The URI of a relation's generated DDL, in the form the server resolves. */
export function ddlUri(connection: string, schema: string, relation: string): vscode.Uri {
  return vscode.Uri.parse(`${DDL_SCHEME}:/${[connection, schema, relation].map(encodeURIComponent).join('/')}.sql`);
}

/** Read-only `live-schema-ddl:` documents (Show DDL, go to definition), their text asked of the server. */
export function registerDdlDocuments(ctx: Ctx): void {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const client = ctx.client;
      if (!client) return '-- The Live Schema language server is not running.';
      const text = await client.sendRequest(GetVirtualDocument.type, { uri: uri.toString() });
      return text ?? '-- This table or view is not in the current schema any more.';
    },
  };
  ctx.pushExtCleanup(vscode.workspace.registerTextDocumentContentProvider(DDL_SCHEME, provider));
}
