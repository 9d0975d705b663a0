import * as vscode from 'vscode';
import {
  GetSchemaTree,
  type ConnectionStatus,
  type SchemaTreeColumn,
  type SchemaTreeRelation,
  type SchemaTreeSchema,
} from '../../../server/src/protocol/customMessages';
import type { Ctx } from '../context';
import { describeStatus, STATE_ICON } from '../format';
import { ItemKind } from '../ids';

/** A node of the Schema Explorer; `path` is connection, schema, relation, column as far as it goes. */
export type SchemaNode =
  | { kind: ItemKind.connection; status: ConnectionStatus }
  | { kind: ItemKind.schema; connection: string; schema: SchemaTreeSchema }
  | { kind: ItemKind.table | ItemKind.view; connection: string; schema: string; relation: SchemaTreeRelation }
  | { kind: ItemKind.column; connection: string; schema: string; relation: string; column: SchemaTreeColumn }
  | { kind: ItemKind.key | ItemKind.index; id: string; label: string }
  | { kind: ItemKind.message; id: string; label: string; detail?: string };

/**
 * Schema Explorer: connections → schemas → tables/views → columns, keys, indexes. Everything comes
 * from the server (`liveSchema/schemaTree`); each connection's tree is fetched once and kept until
 * `refresh()` or a state change reported by the server.
 */
export class SchemaExplorer implements vscode.TreeDataProvider<SchemaNode> {
  private readonly changed = new vscode.EventEmitter<SchemaNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly trees = new Map<string, Promise<GetSchemaTree.Result | null>>();

  constructor(private readonly ctx: Ctx) {
    ctx.pushExtCleanup(
      this.changed,
      ctx.onDidChangeStatus(() => this.refresh()),
      ctx.onDidChangeClient(() => this.refresh()),
    );
  }

  /** Forgets every fetched tree and redraws. */
  refresh(): void {
    this.trees.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: SchemaNode): vscode.TreeItem {
    switch (node.kind) {
      case ItemKind.connection: {
        const item = new vscode.TreeItem(node.status.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `connection/${node.status.name}`;
        item.description = describeStatus(node.status);
        item.tooltip = `${node.status.name} (${node.status.driver}): ${describeStatus(node.status)}, ${node.status.tables} tables${node.status.message ? `\n${node.status.message}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(STATE_ICON[node.status.state]);
        item.contextValue = ItemKind.connection;
        return item;
      }
      case ItemKind.schema: {
        const item = new vscode.TreeItem(node.schema.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `connection/${node.connection}/${node.schema.name}`;
        item.description = `${node.schema.relations.length} relations`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = ItemKind.schema;
        return item;
      }
      case ItemKind.table:
      case ItemKind.view: {
        const { relation } = node;
        const item = new vscode.TreeItem(relation.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `connection/${node.connection}/${node.schema}/${relation.name}`;
        item.description = relation.kind === 'table' ? undefined : relation.kind;
        item.tooltip = relation.comment ?? undefined;
        item.iconPath = new vscode.ThemeIcon(node.kind === ItemKind.view ? 'eye' : 'table');
        item.contextValue = node.kind;
        return item;
      }
      case ItemKind.column: {
        const { column } = node;
        const item = new vscode.TreeItem(column.name, vscode.TreeItemCollapsibleState.None);
        item.id = `connection/${node.connection}/${node.schema}/${node.relation}/${column.name}`;
        item.description = `${column.type}${column.nullable ? '' : ' not null'}${column.primaryKey ? ' · primary key' : ''}`;
        item.tooltip = column.comment ?? undefined;
        item.iconPath = new vscode.ThemeIcon(column.primaryKey ? 'key' : 'symbol-field');
        item.contextValue = ItemKind.column;
        return item;
      }
      case ItemKind.key:
      case ItemKind.index: {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.kind === ItemKind.key ? 'references' : 'list-ordered');
        item.contextValue = node.kind;
        return item;
      }
      case ItemKind.message: {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = ItemKind.message;
        return item;
      }
    }
  }

  async getChildren(node?: SchemaNode): Promise<SchemaNode[]> {
    if (!node) return this.ctx.connections.map((status) => ({ kind: ItemKind.connection, status }));
    switch (node.kind) {
      case ItemKind.connection:
        return this.connectionChildren(node.status);
      case ItemKind.schema:
        return node.schema.relations.map((relation) => ({
          kind: relation.kind.includes('view') ? ItemKind.view : ItemKind.table,
          connection: node.connection,
          schema: node.schema.name,
          relation,
        }));
      case ItemKind.table:
      case ItemKind.view: {
        const base = `connection/${node.connection}/${node.schema}/${node.relation.name}`;
        return [
          ...node.relation.columns.map((column) => ({
            kind: ItemKind.column as const,
            connection: node.connection,
            schema: node.schema,
            relation: node.relation.name,
            column,
          })),
          ...node.relation.foreignKeys.map((label) => ({
            kind: ItemKind.key as const,
            id: `${base}#fk/${label}`,
            label,
          })),
          ...node.relation.indexes.map((label) => ({
            kind: ItemKind.index as const,
            id: `${base}#ix/${label}`,
            label,
          })),
        ];
      }
      default:
        return [];
    }
  }

  private async connectionChildren(status: ConnectionStatus): Promise<SchemaNode[]> {
    const client = this.ctx.client;
    if (!client) return [];
    let tree = this.trees.get(status.name);
    if (!tree) {
      tree = Promise.resolve(client.sendRequest(GetSchemaTree.type, { connection: status.name }));
      this.trees.set(status.name, tree);
    }
    const id = `connection/${status.name}#message`;
    try {
      const result = await tree;
      if (!result || result.schemas.length === 0) {
        const why = result?.status.message ?? status.message;
        return [
          {
            kind: ItemKind.message,
            id,
            label: why ? 'No schema: ' + why : 'No schema discovered yet',
            detail: why ?? undefined,
          },
        ];
      }
      return result.schemas.map((schema) => ({ kind: ItemKind.schema, connection: status.name, schema }));
    } catch (error) {
      this.trees.delete(status.name);
      const message = error instanceof Error ? error.message : String(error);
      return [{ kind: ItemKind.message, id, label: `Could not load the schema: ${message}`, detail: message }];
    }
  }
}
