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
import { GetPassword } from './protocol/customMessages';
import { publishConnectionStatus, registerSchemaRequests } from './features/schemaRequests';
import { registerVirtualDocuments } from './features/virtualDocuments';
import { Session } from './session/session';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let folderUris: string[] = [];

const session = new Session({
  fetchSettings: (folderUri) => connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'liveSchema' }),
  requestPassword: async (name) =>
    (await connection.sendRequest(GetPassword.type, { connection: name }).catch(() => null))?.password ?? undefined,
  connectionChanged: () => publishConnectionStatus(connection, session),
  settingsErrors: (folderUri, errors) => {
    for (const error of errors) connection.console.warn(`Settings of ${folderUri}: ${error.key}: ${error.message}`);
    if (errors.length > 0)
      void connection.window.showWarningMessage(
        `Live Schema: ${errors[0].key}: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more; see the output)` : ''}`,
      );
  },
});

connection.onInitialize((params): InitializeResult => {
  folderUris = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (folderUris.length === 0 && params.rootUri) folderUris = [params.rootUri];
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
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
  await Promise.all(session.allConnections().map((c) => c.ready()));
}

registerSchemaRequests(connection, session);
registerVirtualDocuments(connection, session);

connection.onShutdown(() => session.dispose());
documents.listen(connection);
connection.listen();
