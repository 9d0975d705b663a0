import { createHash } from 'node:crypto';
import type { PasswordTarget } from '../../server/src/protocol/customMessages';

/**
 * Every identifier the client shares with `package.json`: command ids, view ids, setting keys,
 * tree item `contextValue`s and `when`-clause context keys. `package.json` must spell them the
 * same way; `test/unit/clientManifest.test.ts` checks that it does.
 */

/** Command ids (`liveSchema.<verb><Noun>`). */
export const Command = {
  addConnection: 'liveSchema.addConnection',
  setPassword: 'liveSchema.setPassword',
  refreshSchema: 'liveSchema.refreshSchema',
  scanWorkspace: 'liveSchema.scanWorkspace',
  migrate: 'liveSchema.migrate',
  rollBackLastMigration: 'liveSchema.rollBackLastMigration',
  rollBackMigration: 'liveSchema.rollBackMigration',
  generateSchemaModule: 'liveSchema.generateSchemaModule',
  exportSchemaSnapshot: 'liveSchema.exportSchemaSnapshot',
  showCacheStatistics: 'liveSchema.showCacheStatistics',
  clearCache: 'liveSchema.clearCache',
  findSchemaElement: 'liveSchema.findSchemaElement',
  showOutput: 'liveSchema.showOutput',
  restartServer: 'liveSchema.restartServer',
  checkFile: 'liveSchema.checkFile',
  // Tree item actions: not in the command palette.
  copyName: 'liveSchema.copyName',
  findReferences: 'liveSchema.findReferences',
  showDdl: 'liveSchema.showDdl',
  openDependency: 'liveSchema.openDependency',
  showMigrationDiff: 'liveSchema.showMigrationDiff',
} as const;

/** The activity-bar container and its views. */
export const View = {
  container: 'liveSchema',
  schemaExplorer: 'liveSchema.schemaExplorer',
  staticDependencies: 'liveSchema.staticDependencies',
  migrations: 'liveSchema.migrations',
} as const;

/** The MCP server definition provider (`contributes.mcpServerDefinitionProviders`, VS Code 1.101+). */
export const McpProvider = {
  id: 'liveSchema.mcpServers',
} as const;

/** Setting keys under the `liveSchema` section. */
export const Setting = {
  section: 'liveSchema',
  connections: 'connections',
  allowEnv: 'allowEnv',
} as const;

/** `TreeItem.contextValue`s; `view/item/context` menus match on them. */
export enum ItemKind {
  connection = 'connection',
  schema = 'schema',
  table = 'table',
  view = 'view',
  column = 'column',
  key = 'key',
  index = 'index',
  folder = 'folder',
  dependencyCategory = 'dependencyCategory',
  dependencyFile = 'dependencyFile',
  dependency = 'dependency',
  migration = 'migration',
  message = 'message',
}

/** Context keys set with `setContext`, used in `when` clauses. */
export const ContextKey = {
  serverRunning: 'liveSchema.serverRunning',
  /** At least one connection (configured, or the embedded default) exists: the views' welcome text depends on it. */
  hasConnection: 'liveSchema.hasConnection',
} as const;

/** The URI scheme of the read-only DDL documents the server generates. */
export const DDL_SCHEME = 'live-schema-ddl';

/**
 * SecretStorage key holding a password: a hash of everything it authenticates to, so a workspace
 * connection that reuses a name but points elsewhere never receives it (it is asked for again).
 */
export const passwordSecretKey = (target: PasswordTarget) =>
  `liveSchema.password/${createHash('sha256')
    .update(JSON.stringify([target.driver, target.host, target.port, target.user, target.database]))
    .digest('hex')}`;
