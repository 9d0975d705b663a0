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
import { publishIndexChanged, registerIndexRequests } from './features/indexRequests';
import { referencesCapability, registerReferences } from './features/references';
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
import { inlayHintsCapability, registerResultTypeInlayHints } from './features/resultTypeInlayHints';
import { DescribeCache } from './resultTypes/describeCache';
import { createMigrationServices, registerMigrationRequests, runMigrateAt } from './features/migrationRequests';
import { publishConnectionStatus, publishSchemaChange, registerSchemaRequests } from './features/schemaRequests';
import { registerVirtualDocuments } from './features/virtualDocuments';
import { GetPassword } from './protocol/customMessages';
import { EmbeddedDocuments } from './session/embeddedDocuments';
import { followSchemaChange } from './session/schemaChange';
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
  schemaChanged: (source, event) =>
    publishSchemaChange(connection, followSchemaChange({ session, indexes, log: connection.console }, source, event)),
  startProgress,
  log: connection.console,
  showWarning: (message) => void connection.window.showWarningMessage(message),
});

connection.onInitialize(async (params): Promise<InitializeResult> => {
  folderUris = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (folderUris.length === 0 && params.rootUri) folderUris = [params.rootUri];
  pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
  completionSupport = completionClientSupport(params.capabilities);
  await session.useCacheDirectory((params.initializationOptions as { cacheDir?: unknown } | undefined)?.cacheDir);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...(pullDiagnostics ? diagnosticsCapability : {}),
      ...completionCapability,
      ...hoverCapability,
      ...inlayHintsCapability,
      ...definitionCapability,
      ...referencesCapability,
      ...codeActionsCapability,
      ...executeCommandCapability,
    },
    serverInfo: { name: 'live-schema' },
  };
});

connection.onInitialized(() => {
  void reloadSettings();
});

connection.onDidChangeConfiguration(() => {
  void reloadSettings();
});

async function reloadSettings(): Promise<void> {
  await session.loadSettings(folderUris);
  indexes.followSettings();
  publishConnectionStatus(connection, session);
  diagnostics.refresh();
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

documents.onDidChangeContent(({ document }) => indexes.documentEdited(document.uri, () => document.getText()));
documents.onDidClose(({ document }) => {
  void indexes.documentClosed(document.uri);
  migrations.forget(document.uri);
});
connection.onDidChangeWatchedFiles(({ changes }) =>
  indexes.filesChangedOnDisk(changes.map(({ uri, type }) => ({ uri, deleted: type === FileChangeType.Deleted }))),
);

const diagnostics = registerDiagnostics(connection, documents, session, embedded, () => pullDiagnostics);
const editing = { documents, session, embedded };
registerCompletion(connection, editing, () => completionSupport);
const resultTypes = new DescribeCache();
registerHover(connection, editing, resultTypes);
registerResultTypeInlayHints(connection, editing, resultTypes);
registerDefinition(connection, editing);
registerReferences(connection, editing, indexes);
registerIndexRequests(connection, session, indexes);
registerCodeActions(connection, documents, migrations, { editing, cache: resultTypes });
registerMigrationRequests(connection, documents, session, migrations, journal);
registerExecuteCommand(connection, {
  checkFile: (uri) => diagnostics.checkNow(uri),
  migrateAt: (argument) => runMigrateAt(connection, migrations, argument),
  referenceSchemaModuleAt: (argument) => runMigrateAt(connection, migrations, argument, 'reference'),
});
registerSchemaRequests(connection, session);
registerCacheRequests(connection, session);
registerVirtualDocuments(connection, session);

connection.onShutdown(async () => {
  indexes.dispose();
  await session.dispose();
});
documents.listen(connection);
connection.listen();
