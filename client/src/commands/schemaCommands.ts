import * as vscode from 'vscode';
import {
  ClearCache,
  ExportSnapshot,
  FindSchemaElement,
  FindSchemaReferences,
  GetCacheStatistics,
  RefreshSchema,
  type SchemaElementMatch,
} from '../../../server/src/protocol/customMessages';
import { sendOrUnavailable, type Ctx } from '../context';
import { ddlUri } from '../ddlDocuments';
import { Command, ItemKind } from '../ids';
import type { SchemaExplorer, SchemaNode } from '../views/schemaExplorer';
import { pickConnection, registerCommands } from './commandTable';

/** Refresh, Schema Explorer item actions, cache, snapshot export and Find Schema Element. */
export function registerSchemaCommands(ctx: Ctx, explorer: SchemaExplorer): void {
  registerCommands(ctx, {
    [Command.refreshSchema]: { title: 'Refresh Schema', run: (node) => refreshSchema(ctx, explorer, node) },
    [Command.copyName]: { title: 'Copy Name', run: (node) => copyName(node as SchemaNode) },
    [Command.showDdl]: { title: 'Show DDL', run: (node) => showDdl(node as SchemaNode) },
    [Command.findReferences]: { title: 'Find References', run: (node) => findReferences(ctx, node as SchemaNode) },
    [Command.showCacheStatistics]: { title: 'Show Cache Statistics', run: () => showCacheStatistics(ctx) },
    [Command.clearCache]: { title: 'Clear Cache', run: (node) => clearCache(ctx, node) },
    [Command.exportSchemaSnapshot]: { title: 'Export Schema Snapshot', run: (node) => exportSnapshot(ctx, node) },
    [Command.findSchemaElement]: { title: 'Find Schema Element', run: () => findSchemaElement(ctx) },
  });
}

async function refreshSchema(ctx: Ctx, explorer: SchemaExplorer, node: unknown): Promise<void> {
  const connection =
    (node as SchemaNode | undefined)?.kind === ItemKind.connection
      ? (node as { status: { name: string } }).status.name
      : undefined;
  const { connections } = await vscode.window.withProgress(
    { location: { viewId: 'liveSchema.schemaExplorer' }, title: 'Refreshing the schema' },
    () => sendOrUnavailable(ctx, (c) => c.sendRequest(RefreshSchema.type, connection ? { connection } : {})),
  );
  ctx.setStatuses(connections);
  explorer.refresh();
}

/** The qualified name of a schema item: `schema.table` or `table.column`. */
function qualifiedName(node: SchemaNode): string | undefined {
  switch (node.kind) {
    case ItemKind.connection:
      return node.status.name;
    case ItemKind.schema:
      return node.schema.name;
    case ItemKind.table:
    case ItemKind.view:
      return `${node.schema}.${node.relation.name}`;
    case ItemKind.column:
      return `${node.relation}.${node.column.name}`;
    default:
      return node.label;
  }
}

async function copyName(node: SchemaNode): Promise<void> {
  const name = qualifiedName(node);
  if (name) await vscode.env.clipboard.writeText(name);
}

async function showDdl(node: SchemaNode): Promise<void> {
  if (node.kind !== ItemKind.table && node.kind !== ItemKind.view && node.kind !== ItemKind.column) return;
  const relation = node.kind === ItemKind.column ? node.relation : node.relation.name;
  const document = await vscode.workspace.openTextDocument(ddlUri(node.connection, node.schema, relation));
  await vscode.window.showTextDocument(document, { preview: true });
}

async function findReferences(ctx: Ctx, node: SchemaNode): Promise<void> {
  if (node.kind !== ItemKind.table && node.kind !== ItemKind.view && node.kind !== ItemKind.column) return;
  const params =
    node.kind === ItemKind.column
      ? { connection: node.connection, schema: node.schema, relation: node.relation, column: node.column.name }
      : { connection: node.connection, schema: node.schema, relation: node.relation.name };
  const { locations } = await sendOrUnavailable(ctx, (c) => c.sendRequest(FindSchemaReferences.type, params));
  const name = qualifiedName(node);
  if (locations.length === 0) {
    void vscode.window.showInformationMessage(`Live Schema: no references to ${name} in the workspace.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    locations.map((l) => ({
      label: `${vscode.workspace.asRelativePath(vscode.Uri.parse(l.uri))}:${l.range.start.line + 1}`,
      location: l,
    })),
    { title: `References to ${name} (${locations.length})` },
  );
  if (!picked) return;
  const { start, end } = picked.location.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(picked.location.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
  });
}

async function showCacheStatistics(ctx: Ctx): Promise<void> {
  const { connections } = await sendOrUnavailable(ctx, (c) => c.sendRequest(GetCacheStatistics.type));
  if (connections.length === 0) {
    void vscode.window.showInformationMessage('Live Schema: no schema is cached (no connection).');
    return;
  }
  const detail = connections
    .map(
      (s) =>
        `${s.connection}: ${s.hits} hits, ${s.misses} misses, ${s.refreshes} refreshes, last refresh ${s.lastRefreshMs === null ? '–' : `${s.lastRefreshMs} ms`}, ${(s.snapshotBytes / 1024).toFixed(1)} KiB${s.takenAt ? `, taken ${new Date(s.takenAt).toLocaleString()}` : ''}`,
    )
    .join('\n');
  void vscode.window.showInformationMessage('Live Schema cache statistics', { modal: true, detail });
}

async function clearCache(ctx: Ctx, node: unknown): Promise<void> {
  const connection =
    (node as SchemaNode | undefined)?.kind === ItemKind.connection
      ? (node as { status: { name: string } }).status.name
      : undefined;
  const { connections } = await sendOrUnavailable(ctx, (c) =>
    c.sendRequest(ClearCache.type, connection ? { connection } : {}),
  );
  ctx.setStatuses(connections);
  void vscode.window.showInformationMessage('Live Schema: cache cleared; the schema is discovered again.');
}

async function exportSnapshot(ctx: Ctx, node: unknown): Promise<void> {
  const connection = await pickConnection(ctx, node, 'The connection whose schema to export');
  if (!connection) return;
  const result = await sendOrUnavailable(ctx, (c) => c.sendRequest(ExportSnapshot.type, { connection }));
  const open = await vscode.window.showInformationMessage(
    `Live Schema: exported ${result.relations} tables and views of "${connection}" to ${vscode.workspace.asRelativePath(vscode.Uri.parse(result.uri))}.`,
    'Open',
  );
  if (open) await vscode.window.showTextDocument(vscode.Uri.parse(result.uri));
}

async function findSchemaElement(ctx: Ctx): Promise<void> {
  const query = await vscode.window.showInputBox({
    title: 'Find Schema Element',
    prompt: 'A business term ("customer email", "invoice total"): matched against names, comments and synonyms',
  });
  if (!query?.trim()) return;
  const { matches } = await sendOrUnavailable(ctx, (c) => c.sendRequest(FindSchemaElement.type, { query }));
  if (matches.length === 0) {
    void vscode.window.showInformationMessage(`Live Schema: nothing in the schema matches "${query}".`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    matches.map((m: SchemaElementMatch) => ({
      label: m.column ? `${m.schema}.${m.relation}.${m.column}` : `${m.schema}.${m.relation}`,
      description: m.connection,
      detail: m.reason,
      match: m,
    })),
    { title: `Schema elements matching "${query}"`, matchOnDetail: true },
  );
  if (!picked) return;
  const document = await vscode.workspace.openTextDocument(
    ddlUri(picked.match.connection, picked.match.schema, picked.match.relation),
  );
  await vscode.window.showTextDocument(document, { preview: true });
}
