import * as vscode from 'vscode';
import { GetMigrations, MigrationsChanged, type MigrationEntry } from '../../../server/src/protocol/customMessages';
import { FeatureUnavailable, sendOrUnavailable, type Ctx } from '../context';
import { Command, ItemKind } from '../ids';

/** A journal entry, or one file it changed. */
export type MigrationNode =
  | { kind: ItemKind.migration; entry: MigrationEntry }
  | { kind: ItemKind.dependencyFile; entry: MigrationEntry; uri: string; edits: number }
  | { kind: ItemKind.message; label: string };

/** Migrations: the journal of applied migrations, newest first; each can be diffed and rolled back. */
export class MigrationsView implements vscode.TreeDataProvider<MigrationNode> {
  private readonly changed = new vscode.EventEmitter<MigrationNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.pushExtCleanup(
      this.changed,
      ctx.onDidChangeClient((client) => {
        if (client) ctx.pushClientCleanup(client.onNotification(MigrationsChanged.type, () => this.refresh()));
        this.refresh();
      }),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: MigrationNode): vscode.TreeItem {
    switch (node.kind) {
      case ItemKind.migration: {
        const item = new vscode.TreeItem(node.entry.description, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `migration/${node.entry.id}`;
        const state = node.entry.state === 'rolled back' ? ' · rolled back' : '';
        item.description = `${new Date(node.entry.appliedAt).toLocaleString()}${state}`;
        item.iconPath = new vscode.ThemeIcon(node.entry.kind === 'rollback' ? 'discard' : 'history');
        item.contextValue = ItemKind.migration;
        return item;
      }
      case ItemKind.dependencyFile: {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
        item.description = `${vscode.workspace.asRelativePath(uri)} · ${node.edits} edits`;
        item.contextValue = ItemKind.dependencyFile;
        item.command = { command: Command.showMigrationDiff, title: 'Show Diff', arguments: [node] };
        return item;
      }
      case ItemKind.message:
        return Object.assign(new vscode.TreeItem(node.label), { contextValue: ItemKind.message });
    }
  }

  async getChildren(node?: MigrationNode): Promise<MigrationNode[]> {
    if (node?.kind === ItemKind.migration)
      return node.entry.files.map((f) => ({
        kind: ItemKind.dependencyFile,
        entry: node.entry,
        uri: f.uri,
        edits: f.edits,
      }));
    if (node) return [];
    // No connection: the view's welcome content says what to do.
    if (!this.ctx.client || this.ctx.connections.length === 0) return [];
    try {
      const { entries } = await sendOrUnavailable(this.ctx, (c) => c.sendRequest(GetMigrations.type));
      return entries.map((entry) => ({ kind: ItemKind.migration, entry }));
    } catch (error) {
      return [
        {
          kind: ItemKind.message,
          label:
            error instanceof FeatureUnavailable
              ? 'Not available yet: this language server does not keep a migration journal.'
              : `Could not read the migration journal: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    }
  }
}
