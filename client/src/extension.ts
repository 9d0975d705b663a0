import * as vscode from 'vscode';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerMigrationCommands } from './commands/migrationCommands';
import { registerSchemaCommands } from './commands/schemaCommands';
import { registerServerCommands } from './commands/serverCommands';
import { Ctx } from './context';
import { registerDdlDocuments } from './ddlDocuments';
import { View } from './ids';
import { registerMcpServers, type McpCapableApi } from './mcp/mcpServerProvider';
import { registerSchemaChangeNotice } from './schemaChangeNotice';
import { createStatusBar } from './statusBar';
import { MigrationsView } from './views/migrations';
import { SchemaExplorer } from './views/schemaExplorer';
import { StaticDependenciesView } from './views/staticDependencies';

let ctx: Ctx | undefined;

/** Activation only: build the context, register views and commands, start the server. */
export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  ctx = new Ctx(extension);
  const explorer = new SchemaExplorer(ctx);
  ctx.pushExtCleanup(
    vscode.window.createTreeView(View.schemaExplorer, { treeDataProvider: explorer, showCollapseAll: true }),
    vscode.window.createTreeView(View.staticDependencies, { treeDataProvider: new StaticDependenciesView(ctx) }),
    vscode.window.createTreeView(View.migrations, { treeDataProvider: new MigrationsView(ctx) }),
  );
  registerDdlDocuments(ctx);
  createStatusBar(ctx);
  registerSchemaChangeNotice(ctx);
  registerConnectionCommands(ctx);
  registerSchemaCommands(ctx, explorer);
  registerMigrationCommands(ctx);
  registerServerCommands(ctx);
  // VS Code 1.101+ only; the runtime check is inside (engines.vscode stays ^1.90). An editor API
  // that still throws must not cost the rest of the extension.
  try {
    const mcpServers = registerMcpServers(vscode as unknown as McpCapableApi, {
      extensionPath: extension.extensionPath,
      storagePath: extension.globalStorageUri.fsPath,
      passwords: ctx.passwords,
    });
    if (mcpServers) ctx.pushExtCleanup(mcpServers);
  } catch (error) {
    ctx.output.appendLine(`The MCP server was not registered with VS Code: ${String(error)}`);
  }
  // Commands exist even when the server fails to start; they say it is not running.
  await ctx.start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    ctx?.output.appendLine(`The language server did not start: ${message}`);
    void vscode.window.showErrorMessage(`Live Schema: the language server did not start: ${message}`);
  });
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
