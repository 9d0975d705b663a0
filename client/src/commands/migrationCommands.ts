import * as vscode from 'vscode';
import {
  GenerateSchemaModule,
  GetMigrationDiff,
  GetMigrations,
  Migrate,
  RollBackMigration,
  ScanWorkspace,
  type StaticDependency,
} from '../../../server/src/protocol/customMessages';
import { sendOrUnavailable, type Ctx } from '../context';
import { Command, ItemKind } from '../ids';
import type { MigrationNode } from '../views/migrations';
import { pickConnection, registerCommands } from './commandTable';

/** Scan Workspace, Migrate…, roll backs, Generate Schema Module and the two views' item actions. */
export function registerMigrationCommands(ctx: Ctx): void {
  registerCommands(ctx, {
    [Command.scanWorkspace]: { title: 'Scan Workspace', run: () => scanWorkspace(ctx) },
    [Command.openDependency]: { title: 'Go to', run: (d) => openDependency(d as StaticDependency) },
    [Command.migrate]: { title: 'Migrate…', run: (node) => migrate(ctx, node) },
    [Command.rollBackLastMigration]: { title: 'Roll Back Last Migration', run: () => rollBack(ctx, undefined) },
    [Command.rollBackMigration]: { title: 'Roll Back Migration…', run: (node) => rollBackChosen(ctx, node) },
    [Command.showMigrationDiff]: { title: 'Show Diff', run: (node) => showDiff(ctx, node as MigrationNode) },
    [Command.generateSchemaModule]: { title: 'Generate Schema Module', run: (node) => generateSchemaModule(ctx, node) },
  });
}

async function scanWorkspace(ctx: Ctx): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Live Schema: scanning the workspace' },
    () => sendOrUnavailable(ctx, (c) => c.sendRequest(ScanWorkspace.type)),
  );
  void vscode.window.showInformationMessage(
    `Live Schema: scanned ${result.files} files, ${result.dependencies} static dependencies.`,
  );
}

async function openDependency(dependency: StaticDependency): Promise<void> {
  const { start, end } = dependency.range;
  await vscode.window.showTextDocument(vscode.Uri.parse(dependency.uri), {
    selection: new vscode.Range(start.line, start.character, end.line, end.character),
  });
}

async function migrate(ctx: Ctx, node: unknown): Promise<void> {
  // From the Static Dependencies view: that file; otherwise ask for the scope.
  const fromView = (node as { kind?: string; uri?: string } | undefined)?.uri;
  let uris: string[];
  if (typeof fromView === 'string') uris = [fromView];
  else {
    const active = vscode.window.activeTextEditor?.document.uri;
    const scopes = [
      ...(active?.scheme === 'file'
        ? [{ label: 'This file', description: vscode.workspace.asRelativePath(active), uris: [active.toString()] }]
        : []),
      { label: 'A folder…', description: 'choose a folder', uris: [] as string[] },
      { label: 'The whole workspace', description: '', uris: [] as string[] },
    ];
    const scope = await vscode.window.showQuickPick(scopes, {
      title: 'Migrate static SQL to query-builder calls: what?',
    });
    if (!scope) return;
    if (scope.label === 'A folder…') {
      const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false });
      if (!folders?.length) return;
      uris = folders.map((f) => f.toString());
    } else uris = scope.uris;
  }
  const mode = await vscode.window.showQuickPick(
    [
      { label: 'Preview first', description: 'review every change in the refactor preview', preview: true },
      { label: 'Apply', description: 'apply at once (journaled: Roll Back Last Migration undoes it)', preview: false },
    ],
    { title: 'Migrate' },
  );
  if (!mode) return;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Live Schema: migrating', cancellable: false },
    () => sendOrUnavailable(ctx, (c) => c.sendRequest(Migrate.type, { uris, preview: mode.preview })),
  );
  for (const refusal of result.refused)
    ctx.output.appendLine(
      `Not migrated: ${vscode.Uri.parse(refusal.uri).fsPath}:${refusal.line + 1}: ${refusal.reason}`,
    );
  const refused = result.refused.length ? `; ${result.refused.length} left as they were (reasons in the output)` : '';
  if (result.failure) void vscode.window.showWarningMessage(`Live Schema: nothing migrated: ${result.failure}`);
  else void vscode.window.showInformationMessage(`Live Schema: migrated ${result.migrated} SQL statements${refused}.`);
}

async function rollBack(ctx: Ctx, id: string | undefined): Promise<void> {
  const result = await sendOrUnavailable(ctx, (c) => c.sendRequest(RollBackMigration.type, id ? { id } : {}));
  if (result.failure) {
    void vscode.window.showWarningMessage(`Live Schema: not rolled back: ${result.failure}`);
    return;
  }
  if (result.id === null) {
    void vscode.window.showInformationMessage('Live Schema: no migration to roll back.');
    return;
  }
  for (const conflict of result.conflicts)
    ctx.output.appendLine(
      `Not rolled back: ${vscode.Uri.parse(conflict.uri).fsPath}:${conflict.line + 1}: ${conflict.message}`,
    );
  if (result.conflicts.length)
    void vscode.window.showWarningMessage(
      `Live Schema: not rolled back: ${result.conflicts.length} ranges were edited since the migration; nothing was overwritten (details in the output).`,
    );
  else
    void vscode.window.showInformationMessage(
      `Live Schema: rolled back; restored ${result.restoredFiles.length} ${result.restoredFiles.length === 1 ? 'file' : 'files'}.`,
    );
}

async function rollBackChosen(ctx: Ctx, node: unknown): Promise<void> {
  const fromView = node as MigrationNode | undefined;
  if (fromView?.kind === ItemKind.migration) return rollBack(ctx, fromView.entry.id);
  const { entries } = await sendOrUnavailable(ctx, (c) => c.sendRequest(GetMigrations.type));
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Live Schema: the migration journal is empty.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    entries
      .filter((entry) => entry.state === 'applied')
      .map((entry) => ({
        label: entry.description,
        description: new Date(entry.appliedAt).toLocaleString(),
        entry,
      })),
    { title: 'Roll Back Migration' },
  );
  if (picked) await rollBack(ctx, picked.entry.id);
}

async function showDiff(ctx: Ctx, node: MigrationNode): Promise<void> {
  if (node.kind !== ItemKind.dependencyFile) return;
  const diff = await sendOrUnavailable(ctx, (c) =>
    c.sendRequest(GetMigrationDiff.type, { id: node.entry.id, uri: node.uri }),
  );
  if (!diff) {
    void vscode.window.showInformationMessage('Live Schema: this journal entry has no record of that file any more.');
    return;
  }
  const language = (await vscode.workspace.openTextDocument(vscode.Uri.parse(node.uri))).languageId;
  const [original, migrated] = await Promise.all([
    vscode.workspace.openTextDocument({ content: diff.original, language }),
    vscode.workspace.openTextDocument({ content: diff.migrated, language }),
  ]);
  await vscode.commands.executeCommand(
    'vscode.diff',
    original.uri,
    migrated.uri,
    `${vscode.workspace.asRelativePath(vscode.Uri.parse(node.uri))}: before ↔ after migration`,
  );
}

async function generateSchemaModule(ctx: Ctx, node: unknown): Promise<void> {
  const connection = await pickConnection(ctx, node, 'The connection whose schema to generate a module from');
  if (!connection) return;
  const language = await vscode.window.showQuickPick(
    [
      {
        label: 'TypeScript (Kysely)',
        description: 'DB interface and table/column name constants',
        language: 'typescript' as const,
      },
      { label: 'Python (SQLAlchemy Core)', description: 'a module of Table objects', language: 'python' as const },
    ],
    { title: 'Generate Schema Module' },
  );
  if (!language) return;
  const { uri } = await sendOrUnavailable(ctx, (c) =>
    c.sendRequest(GenerateSchemaModule.type, { connection, language: language.language }),
  );
  await vscode.window.showTextDocument(vscode.Uri.parse(uri));
}
