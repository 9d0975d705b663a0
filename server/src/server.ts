/**
 * The Live Schema language server: LSP wiring only. Each feature lives in `features/`; all
 * mutable state lives in the `Session`.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActionsCapability, registerCodeActions } from './features/codeActions';
import { completionCapability, registerCompletion } from './features/completion';
import { definitionCapability, registerDefinition } from './features/definition';
import { diagnosticsCapability, registerDiagnostics } from './features/diagnostics';
import { executeCommandCapability, registerExecuteCommand } from './features/executeCommand';
import { hoverCapability, registerHover } from './features/hover';
import { publishConnectionStatus, registerSchemaRequests } from './features/schemaRequests';
import { registerVirtualDocuments } from './features/virtualDocuments';
import { GetPassword } from './protocol/customMessages';
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
registerVirtualDocuments(connection, session);

connection.onShutdown(() => session.dispose());
documents.listen(connection);
connection.listen();
