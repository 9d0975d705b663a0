/**
 * The Live Schema language server: LSP wiring only. Each feature lives in `features/`; all
 * mutable state lives in the `Session`.
 */
import os from 'node:os';
import path from 'node:path';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerCacheRequests } from './features/cacheRequests';
import { codeActionsCapability, registerCodeActions } from './features/codeActions';
import { completionCapability, registerCompletion } from './features/completion';
import { definitionCapability, registerDefinition } from './features/definition';
import { diagnosticsCapability, registerDiagnostics } from './features/diagnostics';
import { executeCommandCapability, registerExecuteCommand } from './features/executeCommand';
import { hoverCapability, registerHover } from './features/hover';
import { publishConnectionStatus, registerSchemaRequests } from './features/schemaRequests';
import { registerVirtualDocuments } from './features/virtualDocuments';
import { GetPassword, SchemaChanged } from './protocol/customMessages';
import { describeChange } from './schema/schemaDiff';
import { EmbeddedDocuments } from './session/embeddedDocuments';
import { Session } from './session/session';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const embedded = new EmbeddedDocuments();
let folderUris: string[] = [];
let pullDiagnostics = false;

const session = new Session({
  fetchSettings: (folderUri) => connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'liveSchema' }),
  requestPassword: async (name) =>
    (await connection.sendRequest(GetPassword.type, { connection: name }).catch(() => null))?.password ?? undefined,
  connectionChanged: () => {
    publishConnectionStatus(connection, session);
    diagnostics.refresh();
  },
  schemaChanged: (source, event) => {
    const changes = event.diff.changes.map(describeChange);
    connection.console.info(`Schema of ${source.name} changed: ${changes.join('; ')}`);
    void connection.sendNotification(SchemaChanged.type, { connection: source.name, changes });
  },
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
  session.useCacheDirectory(cacheDirectory(params.initializationOptions));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...(pullDiagnostics ? diagnosticsCapability : {}),
      ...completionCapability,
      ...hoverCapability,
      ...definitionCapability,
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
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'live-schema');
}

connection.onInitialized(() => {
  void reloadSettings();
});

connection.onDidChangeConfiguration(() => {
  void reloadSettings();
});

async function reloadSettings(): Promise<void> {
  await session.loadSettings(folderUris);
  publishConnectionStatus(connection, session);
  diagnostics.refresh();
}

const diagnostics = registerDiagnostics(connection, documents, session, embedded, () => pullDiagnostics);
const editing = { documents, session, embedded };
registerCompletion(connection, editing);
registerHover(connection, editing);
registerDefinition(connection, editing);
registerCodeActions(connection);
registerExecuteCommand(connection, { checkFile: (uri) => diagnostics.checkNow(uri) });
registerSchemaRequests(connection, session);
registerCacheRequests(connection, session);
registerVirtualDocuments(connection, session);

connection.onShutdown(() => session.dispose());
documents.listen(connection);
connection.listen();
