import * as vscode from 'vscode';
import {
  GetStaticDependencies,
  StaticDependenciesChanged,
  type StaticDependency,
} from '../../../server/src/protocol/customMessages';
import { FeatureUnavailable, sendOrUnavailable, type Ctx } from '../context';
import { Command, ItemKind } from '../ids';

type DependencyNode =
  | { kind: ItemKind.dependencyCategory; code: string; items: StaticDependency[] }
  | { kind: ItemKind.dependencyFile; code: string; uri: string; items: StaticDependency[] }
  | { kind: ItemKind.dependency; dependency: StaticDependency }
  | { kind: ItemKind.message; label: string };

const CATEGORY_TITLES: Record<string, string> = {
  'sql-template': 'SQL templates',
  'hardcoded-table': 'Hard-coded tables',
  'hardcoded-column': 'Hard-coded columns',
  'static-mapping': 'Static mappings',
};

/**
 * Static Dependencies: hard-coded names, static mappings and SQL templates found by the server's
 * workspace index, grouped by category and file with counts. Empty until the server has indexed.
 */
export class StaticDependenciesView implements vscode.TreeDataProvider<DependencyNode> {
  private readonly changed = new vscode.EventEmitter<DependencyNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.pushExtCleanup(
      this.changed,
      ctx.onDidChangeClient((client) => {
        if (client) ctx.pushClientCleanup(client.onNotification(StaticDependenciesChanged.type, () => this.refresh()));
        this.refresh();
      }),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: DependencyNode): vscode.TreeItem {
    switch (node.kind) {
      case ItemKind.dependencyCategory: {
        const item = new vscode.TreeItem(
          CATEGORY_TITLES[node.code] ?? node.code,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.description = String(node.items.length);
        item.contextValue = ItemKind.dependencyCategory;
        return item;
      }
      case ItemKind.dependencyFile: {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${vscode.workspace.asRelativePath(uri)} · ${node.items.length}`;
        item.resourceUri = uri;
        item.contextValue = ItemKind.dependencyFile;
        return item;
      }
      case ItemKind.dependency: {
        const { dependency } = node;
        const item = new vscode.TreeItem(dependency.message, vscode.TreeItemCollapsibleState.None);
        item.description = `line ${dependency.range.start.line + 1}`;
        item.contextValue = dependency.migratable ? `${ItemKind.dependency}.migratable` : ItemKind.dependency;
        item.command = { command: Command.openDependency, title: 'Go to', arguments: [dependency] };
        return item;
      }
      case ItemKind.message:
        return Object.assign(new vscode.TreeItem(node.label), { contextValue: ItemKind.message });
    }
  }

  async getChildren(node?: DependencyNode): Promise<DependencyNode[]> {
    if (node?.kind === ItemKind.dependencyCategory) {
      const byFile = groupBy(node.items, (d) => d.uri);
      return [...byFile].map(([uri, items]) => ({ kind: ItemKind.dependencyFile, code: node.code, uri, items }));
    }
    if (node?.kind === ItemKind.dependencyFile)
      return node.items.map((dependency) => ({ kind: ItemKind.dependency, dependency }));
    if (node) return [];
    // No connection: the view's welcome content says what to do.
    if (!this.ctx.client || this.ctx.connections.length === 0) return [];
    try {
      const { dependencies } = await sendOrUnavailable(this.ctx, (c) => c.sendRequest(GetStaticDependencies.type));
      const byCode = groupBy(dependencies, (d) => d.code);
      return [...byCode].map(([code, items]) => ({ kind: ItemKind.dependencyCategory, code, items }));
    } catch (error) {
      return [
        {
          kind: ItemKind.message,
          label:
            error instanceof FeatureUnavailable
              ? 'Not available yet: this language server does not index static dependencies.'
              : `Could not list static dependencies: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
