import * as vscode from 'vscode';
import {
  LanguageClient,
  ResponseError,
  ErrorCodes,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  DidChangeConfigurationNotification,
} from 'vscode-languageclient/node';
import {
  ConnectionStatusChanged,
  GetConnectionStatus,
  GetPassword,
  type ConnectionStatus,
} from '../../server/src/protocol/customMessages';
import { ContextKey } from './ids';
import { PasswordStore } from './passwords';
import { redactingChannel } from './redactingChannel';
import { annotateSettingsTrust } from './settingsTrust';

/** The languages whose documents the server checks: `.sql` files and SQL inside code strings. */
const DOCUMENT_LANGUAGES = ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'];

/**
 * Everything the extension owns, with two lifetimes (as in rust-analyzer's `ctx.ts`): disposables
 * pushed with `pushExtCleanup` live until the extension deactivates; those pushed with
 * `pushClientCleanup` live until the language server stops or restarts.
 */
export class Ctx {
  readonly output: vscode.OutputChannel;
  readonly passwords: PasswordStore;
  private languageClient: LanguageClient | undefined;
  private readonly clientCleanups: vscode.Disposable[] = [];
  private statuses: ConnectionStatus[] = [];
  /** When `statuses` arrived: schema ages are counted on from there without asking the server. */
  private statusesReceivedAt = Date.now();
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  private readonly clientEmitter = new vscode.EventEmitter<LanguageClient | undefined>();
  /** Fires when connection states or schema ages change. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires when the language server has started (with the client) or stopped (undefined). */
  readonly onDidChangeClient = this.clientEmitter.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Live Schema');
    this.passwords = new PasswordStore(extension.secrets);
    this.pushExtCleanup(this.output, this.statusEmitter, this.clientEmitter);
  }

  pushExtCleanup(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  pushClientCleanup(...disposables: vscode.Disposable[]): void {
    this.clientCleanups.push(...disposables);
  }

  /** The running client, or undefined while the server is down. */
  get client(): LanguageClient | undefined {
    return this.languageClient?.state === State.Running ? this.languageClient : undefined;
  }

  /** Connection states as last reported, schema ages brought up to now. */
  get connections(): ConnectionStatus[] {
    const elapsed = Date.now() - this.statusesReceivedAt;
    return this.statuses.map((s) => ({ ...s, schemaAgeMs: s.schemaAgeMs === null ? null : s.schemaAgeMs + elapsed }));
  }

  /** Records connection states from the server (notification or request answer) and tells the views. */
  setStatuses(statuses: ConnectionStatus[]): void {
    this.statuses = statuses;
    this.statusesReceivedAt = Date.now();
    void vscode.commands.executeCommand('setContext', ContextKey.hasConnection, statuses.length > 0);
    this.statusEmitter.fire();
  }

  async start(): Promise<void> {
    const serverModule = this.extension.asAbsolutePath('server/out/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio },
      debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6010'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      synchronize: {
        configurationSection: 'liveSchema',
        // The workspace index follows files changed outside the editor (git checkout, codegen).
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{sql,ts,tsx,mts,cts,js,jsx,mjs,cjs,py}'),
      },
      middleware: { workspace: { configuration: annotateSettingsTrust } },
      outputChannel: this.output,
      // Protocol tracing (`liveSchema.trace.server`) would print getPassword answers verbatim.
      traceOutputChannel: redactingChannel(this.output),
    };
    const client = new LanguageClient('liveSchema', 'Live Schema', serverOptions, clientOptions);
    this.languageClient = client;
    this.pushClientCleanup(
      client.onRequest(GetPassword.type, async ({ target }) => ({
        password: (await this.passwords.get(target)) ?? null,
      })),
      client.onNotification(ConnectionStatusChanged.type, ({ connections }) => this.setStatuses(connections)),
      // Leaving Restricted Mode lets the workspace's connections connect: the server reads the settings again.
      vscode.workspace.onDidGrantWorkspaceTrust(
        () => void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null }),
      ),
    );
    await client.start();
    await vscode.commands.executeCommand('setContext', ContextKey.serverRunning, true);
    this.clientEmitter.fire(client);
    const { connections } = await client.sendRequest(GetConnectionStatus.type);
    this.setStatuses(connections);
  }

  async stop(): Promise<void> {
    const client = this.languageClient;
    this.languageClient = undefined;
    for (const disposable of this.clientCleanups.splice(0).reverse()) disposable.dispose();
    await vscode.commands.executeCommand('setContext', ContextKey.serverRunning, false);
    this.setStatuses([]);
    this.clientEmitter.fire(undefined);
    if (client?.needsStop()) await client.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** Raised when a command needs a server feature that the running server does not provide yet. */
export class FeatureUnavailable extends Error {}

/**
 * Sends a request; a server that does not know the method (MethodNotFound) becomes
 * `FeatureUnavailable`, so commands can say so instead of failing obscurely.
 */
export async function sendOrUnavailable<R>(ctx: Ctx, send: (client: LanguageClient) => Promise<R>): Promise<R> {
  const client = ctx.client;
  if (!client) throw new Error('the Live Schema language server is not running (see the "Live Schema" output)');
  try {
    return await send(client);
  } catch (error) {
    if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) throw new FeatureUnavailable();
    throw error;
  }
}
