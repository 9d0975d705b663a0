import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationTokenSource,
  ConfigurationRequest,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  ApplyWorkspaceEditRequest,
  type ApplyWorkspaceEditParams,
  type ClientCapabilities,
  type Diagnostic,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { CAPABILITIES_FIXTURE } from './clientCapabilitiesFixture';
import { configurationFor, type Settings, type SettingsLayers } from './vscodeSettings';

/**
 * What `vscode-languageclient` (the client this extension ships) announces in `initialize`,
 * recorded from its own features by test/support/recordClientCapabilities.ts. It pulls diagnostics.
 */
export const VSCODE_CAPABILITIES: ClientCapabilities = JSON.parse(
  readFileSync(CAPABILITIES_FIXTURE, 'utf8'),
) as ClientCapabilities;
/** Kept for the tests that name the completion support: it is VS Code's whole set. */
export const VSCODE_COMPLETION = VSCODE_CAPABILITIES;

export interface TestClientOptions {
  /** The user's settings (`settings` given to the constructor are the workspace's). */
  user?: Settings;
  /** Per-folder settings by folder path, for a multi-root workspace. */
  folders?: Record<string, Settings>;
  /** Restricted Mode when false. */
  workspaceTrusted?: boolean;
}

const SERVER = path.resolve(import.meta.dirname, '../../server/out/server.js');

/**
 * A language client for tests: spawns the built server with `--stdio` and speaks LSP to it the
 * way VS Code does. `workspace/configuration` is answered as VS Code answers it (manifest
 * defaults, user, workspace and folder settings by scope, the trust annotation). Diagnostics are
 * pulled as VS Code pulls them (on open, on change, on `workspace/diagnostic/refresh`), or
 * recorded as published for a client without pull support; tests wait on them (never on sleeps).
 */
export class TestLanguageClient {
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  /** The diagnostics the editor shows per document: the last pulled or published ones. */
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  /** The running pull of each document: VS Code cancels it when it pulls again. */
  private readonly pulling = new Map<string, CancellationTokenSource>();
  private pullDiagnostics = false;
  private readonly layers: SettingsLayers;
  private readonly waiters: { uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] =
    [];
  private versions = new Map<string, number>();
  /** The text of each open document, as the server was told it (edits it applies included). */
  readonly texts = new Map<string, string>();
  /** Every `workspace/applyEdit` the server sent, in order. */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  /** Answer `workspace/applyEdit` with `applied: false` (a user cancelling the refactor preview). */
  refuseEdits = false;
  private readonly cleanups: (() => void)[] = [];
  /** Every message the server showed the user. */
  readonly messages: { type: number; message: string }[] = [];
  /** Every line the server wrote to its output (`window/logMessage`), in order. */
  readonly logs: string[] = [];
  /** Work-done progress the server reported, by token, in the order it began. */
  readonly progress = new Map<string | number, { title: string; ended: boolean }>();
  private readonly messageWaiters: { test: (message: string) => boolean; resolve: (message: string) => void }[] = [];

  constructor(
    settings: Settings,
    private readonly passwords: Record<string, string> = {},
    options: TestClientOptions = {},
  ) {
    this.layers = {
      user: options.user ?? {},
      workspace: settings,
      folders: options.folders ?? {},
      workspaceTrusted: options.workspaceTrusted ?? true,
    };
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => configurationFor(this.layers, item)),
    );
    this.connection.onRequest('liveSchema/getPassword', (params: { connection: string }) => ({
      password: this.passwords[params.connection] ?? null,
    }));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification(
      '$/progress',
      ({ token, value }: { token: string | number; value: { kind: string; title?: string } }) => {
        if (value.kind === 'begin') this.progress.set(token, { title: value.title ?? '', ended: false });
        const entry = this.progress.get(token);
        if (value.kind === 'end' && entry) entry.ended = true;
      },
    );
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => this.applyEdit(params));
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      for (const uri of this.texts.keys()) this.pull(uri);
      return null;
    });
    // Messages shown to the user arrive as a request (with or without actions) or a notification.
    const shown = (params: { type: number; message: string }) => {
      this.messages.push(params);
      for (const waiter of [...this.messageWaiters]) {
        if (waiter.test(params.message)) {
          this.messageWaiters.splice(this.messageWaiters.indexOf(waiter), 1);
          waiter.resolve(params.message);
        }
      }
    };
    this.connection.onRequest('window/showMessageRequest', (params: { type: number; message: string }) => {
      shown(params);
      return null;
    });
    this.connection.onNotification('window/showMessage', shown);
    this.connection.onNotification('window/logMessage', (params: { message: string }) =>
      this.logs.push(params.message),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.pushes++;
      this.show(params);
    });
    this.connection.listen();
  }

  /** How many `workspace/diagnostic/refresh` requests and diagnostics notifications the server sent. */
  refreshes = 0;
  pushes = 0;

  /** The workspace's settings (`.vscode/settings.json`). */
  get settings(): Settings {
    return this.layers.workspace;
  }

  private show(params: PublishDiagnosticsParams): void {
    this.published.set(params.uri, params);
    for (const waiter of [...this.waiters]) {
      if (waiter.uri === params.uri && waiter.test(params.diagnostics)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(params.diagnostics);
      }
    }
  }

  /**
   * Pulls a document's diagnostics as vscode-languageclient does: a newer pull cancels the running
   * one; a failed or cancelled pull leaves the shown diagnostics as they were.
   */
  private pull(uri: string): void {
    if (!this.pullDiagnostics) return;
    this.pulling.get(uri)?.cancel();
    const source = new CancellationTokenSource();
    this.pulling.set(uri, source);
    this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, source.token).then(
      (report) => {
        if (this.pulling.get(uri) !== source) return;
        this.pulling.delete(uri);
        if (report.kind === DocumentDiagnosticReportKind.Full && this.texts.has(uri))
          this.show({ uri, diagnostics: report.items });
      },
      () => {
        if (this.pulling.get(uri) === source) this.pulling.delete(uri);
      },
    );
  }

  /** The server process's id: benchmarks read its memory from `/proc/<pid>/status`. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Initialises like VS Code does, with its capabilities unless `capabilities` stands for another
   * client (`{}`: a basic one, which gets pushed diagnostics). `folders` are the workspace's roots.
   * Without `initializationOptions` the server gets a fresh cache folder of its own, so no test
   * reads a snapshot another run left behind.
   */
  async initialize(
    folders: string | readonly string[],
    capabilities: ClientCapabilities = VSCODE_CAPABILITIES,
    initializationOptions?: unknown,
  ): Promise<void> {
    const roots = typeof folders === 'string' ? [folders] : folders;
    this.pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
    if (initializationOptions === undefined) {
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'ls-lsp-cache-'));
      this.cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
      initializationOptions = { cacheDir };
    }
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      initializationOptions,
      rootUri: pathToFileURL(roots[0]).href,
      workspaceFolders: roots.map((root) => ({ uri: pathToFileURL(root).href, name: path.basename(root) })),
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, ...capabilities },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /**
   * Applies a workspace edit as VS Code does: to the open document (then tells the server, as a
   * change), or to the file on disk when it is not open. A versioned edit for an outdated version fails.
   */
  private async applyEdit(params: ApplyWorkspaceEditParams): Promise<{ applied: boolean; failureReason?: string }> {
    this.appliedEdits.push(params);
    if (this.refuseEdits) return { applied: false, failureReason: 'refused by the test' };
    for (const change of params.edit.documentChanges ?? []) {
      if (!('textDocument' in change)) return { applied: false, failureReason: 'only text edits are supported' };
      const { uri, version } = change.textDocument;
      const open = this.texts.get(uri);
      if (open !== undefined && version !== null && version !== this.versions.get(uri))
        return { applied: false, failureReason: `version ${version} is outdated` };
      const before = open ?? readFileSync(fileURLToPath(uri), 'utf8');
      const after = TextDocument.applyEdits(TextDocument.create(uri, '', 0, before), change.edits);
      if (open !== undefined) await this.change(uri, after);
      else writeFileSync(fileURLToPath(uri), after);
    }
    return { applied: true };
  }

  async open(file: string, text: string, languageId = 'sql'): Promise<string> {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    this.pull(uri);
    return uri;
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    this.pull(uri);
  }

  async close(uri: string): Promise<void> {
    this.texts.delete(uri);
    this.pulling.get(uri)?.cancel();
    this.pulling.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Replaces the workspace's settings (or, with `folder`, that folder's) and tells the server, as VS Code does. */
  async changeSettings(settings: Settings, folder?: string): Promise<void> {
    if (folder === undefined) this.layers.workspace = settings;
    else this.layers.folders[folder] = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { liveSchema: configurationFor(this.layers, { section: 'liveSchema' }) },
    });
  }

  /** The user trusts the workspace: the extension tells the server to read the settings again. */
  async trustWorkspace(): Promise<void> {
    this.layers.workspaceTrusted = true;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Resolves with the first message shown to the user (already shown ones count) that matches. */
  shownMessage(pattern: RegExp): Promise<string> {
    const already = this.messages.find((m) => pattern.test(m.message));
    if (already) return Promise.resolve(already.message);
    return new Promise((resolve) => this.messageWaiters.push({ test: (m) => pattern.test(m), resolve }));
  }

  /** Resolves with the next notification `method` whose params satisfy `test`. */
  notification<T>(method: string, test: (params: T) => boolean = () => true): Promise<T> {
    return new Promise((resolve) => {
      const disposable = this.connection.onNotification(method, (params: T) => {
        if (!test(params)) return;
        disposable.dispose();
        resolve(params);
      });
    });
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `test` (already published ones count). */
  diagnostics(uri: string, test: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const current = this.published.get(uri);
    if (current && test(current.diagnostics)) return Promise.resolve(current.diagnostics);
    return new Promise((resolve) => this.waiters.push({ uri, test, resolve }));
  }

  async shutdown(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 3_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
    for (const cleanup of this.cleanups) cleanup();
  }
}

/** The position just after the first occurrence of `needle` (or at its start with `atStart`). */
export function positionOf(text: string, needle: string, atStart = false): Position {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  const offset = atStart ? index : index + needle.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
