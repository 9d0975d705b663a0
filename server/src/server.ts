/**
 * The Live Schema language server: LSP wiring only. Each feature lives in `features/`; all
 * mutable state lives in the `Session`.
 */
import {
  createConnection,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerCacheRequests } from './features/cacheRequests';
import { userCacheDirectory } from './schema/cacheLocation';
import { publishIndexChanged, registerIndexRequests } from './features/indexRequests';
import { referencesCapability, registerReferences, toBrokenReference } from './features/references';
import { codeActionsCapability, registerCodeActions } from './features/codeActions';
import {
  completionCapability,
  completionClientSupport,
  registerCompletion,
  type CompletionClientSupport,
} from './features/completion';
import { definitionCapability, registerDefinition } from './features/definition';
import { diagnosticsCapability, registerDiagnostics } from './features/diagnostics';
import { executeCommandCapability, registerExecuteCommand } from './features/executeCommand';
import { hoverCapability, registerHover } from './features/hover';
import { createMigrationServices, registerMigrationRequests, runMigrateAt } from './features/migrationRequests';
import { publishConnectionStatus, registerSchemaRequests } from './features/schemaRequests';
import { registerVirtualDocuments } from './features/virtualDocuments';
import { GetPassword, MAX_BROKEN_REFERENCES, SchemaChanged } from './protocol/customMessages';
import { describeChange } from './schema/schemaDiff';
import { EmbeddedDocuments } from './session/embeddedDocuments';
import { regenerateSchemaModules } from './session/schemaModules';
import { passwordTarget } from './session/passwordTarget';
import { Session } from './session/session';
import { WorkspaceIndexes, type IndexProgress } from './session/workspaceIndexes';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const embedded = new EmbeddedDocuments();
let folderUris: string[] = [];
let pullDiagnostics = false;
let completionSupport: CompletionClientSupport = { editRangeDefault: false };

const session = new Session({
  fetchSettings: (folderUri) => connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'liveSchema' }),
  requestPassword: async (settings) => {
    const target = passwordTarget(settings);
    if (!target) return undefined;
    const answer = await connection
      .sendRequest(GetPassword.type, { connection: settings.name, target })
      .catch(() => null);
    return answer?.password ?? undefined;
  },
  connectionChanged: () => {
    publishConnectionStatus(connection, session);
    diagnostics.refresh();
  },
  schemaChanged: (source, event) => {
    const broken = indexes.schemaChanged(source, event);
    void regenerateSchemaModules(session, source).then(
      (files) => files.forEach((file) => connection.console.info(`Regenerated ${file} after the schema change`)),
      (error: unknown) =>
        connection.console.warn(`Could not regenerate the schema module: ${(error as Error).message}`),
    );
    const changes = event.diff.changes.map(describeChange);
    connection.console.info(`Schema of ${source.name} changed: ${changes.join('; ')}`);
    void connection.sendNotification(SchemaChanged.type, {
      connection: source.name,
      changes,
      broken:
        broken === undefined
          ? null
          : {
              total: broken.length,
              references: broken.slice(0, MAX_BROKEN_REFERENCES).map(toBrokenReference),
            },
    });
  },
  startProgress,
  cacheMessage: (message) => connection.console.warn(`Schema cache: ${message.message}`),
  settingsErrors: (folderUri, errors) => {
    for (const error of errors) connection.console.warn(`Settings of ${folderUri}: ${error.key}: ${error.message}`);
    const [first] = errors;
    if (first)
      void connection.window.showWarningMessage(
        `Live Schema: ${first.key}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more; see the output)` : ''}`,
      );
  },
});

connection.onInitialize((params): InitializeResult => {
  folderUris = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (folderUris.length === 0 && params.rootUri) folderUris = [params.rootUri];
  pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
  completionSupport = completionClientSupport(params.capabilities);
  session.useCacheDirectory(cacheDirectory(params.initializationOptions));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...(pullDiagnostics ? diagnosticsCapability : {}),
      ...completionCapability,
      ...hoverCapability,
      ...definitionCapability,
      ...referencesCapability,
      ...codeActionsCapability,
      ...executeCommandCapability,
    },
    serverInfo: { name: 'live-schema' },
  };
});

/** The client's storage folder (`initializationOptions.cacheDir`), else the user's cache folder. */
function cacheDirectory(options: unknown): string {
  const given = (options as { cacheDir?: unknown } | null)?.cacheDir;
  if (typeof given === 'string' && given.length > 0) return given;
  return userCacheDirectory();
}

connection.onInitialized(() => {
  void reloadSettings();
});

connection.onDidChangeConfiguration(() => {
  void reloadSettings();
});

async function reloadSettings(): Promise<void> {
  await session.loadSettings(folderUris);
  indexes.prune(session.allConnections());
  publishConnectionStatus(connection, session);
  diagnostics.refresh();
  // The workspace index builds in the background, with progress; requests never wait for it.
  void indexes.buildAll();
}

/** Work-done progress in the editor; a client that cannot show it gets none, and the work goes on. */
async function startProgress(title: string): Promise<IndexProgress> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin(title, 0, undefined, false);
  return {
    report: (done, total) => progress?.report(total ? Math.round((done / total) * 100) : 0, `${done}/${total} files`),
    done: () => progress?.done(),
  };
}

const indexes = new WorkspaceIndexes(session, startProgress, () => publishIndexChanged(connection));

const { migrations, journal } = createMigrationServices(connection, documents, session);

/** Editor changes reach the index after a pause in typing; saved and external changes at once. */
const indexTimers = new Map<string, NodeJS.Timeout>();
documents.onDidChangeContent(({ document }) => {
  clearTimeout(indexTimers.get(document.uri));
  indexTimers.set(
    document.uri,
    setTimeout(() => {
      indexTimers.delete(document.uri);
      void indexes.fileChanged(document.uri, document.getText());
    }, 500),
  );
});
documents.onDidClose(({ document }) => {
  void indexes.fileChanged(document.uri);
  migrations.forget(document.uri);
});
connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) {
    if (change.type === FileChangeType.Deleted) indexes.fileDeleted(change.uri);
    else void indexes.fileChanged(change.uri);
  }
});

const diagnostics = registerDiagnostics(connection, documents, session, embedded, () => pullDiagnostics);
const editing = { documents, session, embedded };
registerCompletion(connection, editing, () => completionSupport);
registerHover(connection, editing);
registerDefinition(connection, editing);
registerReferences(connection, editing, indexes);
registerIndexRequests(connection, session, indexes);
registerCodeActions(connection, documents, migrations);
registerMigrationRequests(connection, documents, session, migrations, journal);
registerExecuteCommand(connection, {
  checkFile: (uri) => diagnostics.checkNow(uri),
  migrateAt: (argument) => runMigrateAt(connection, migrations, argument),
  referenceSchemaModuleAt: (argument) => runMigrateAt(connection, migrations, argument, 'reference'),
});
registerSchemaRequests(connection, session);
registerCacheRequests(connection, session);
registerVirtualDocuments(connection, session);

connection.onShutdown(() => session.dispose());
documents.listen(connection);
connection.listen();
