import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type Connection,
  type Diagnostic,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument } from '../session/checkDocument';
import type { EmbeddedDocuments } from '../session/embeddedDocuments';
import type { Session } from '../session/session';
import { toDiagnostic } from './convert';

export const diagnosticsCapability: Pick<ServerCapabilities, 'diagnosticProvider'> = {
  diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
};

/**
 * Diagnostics: pulled by clients that support `textDocument/diagnostic` (VS Code), pushed after a
 * debounce for the others. `refresh()` re-checks every open document after a schema change.
 */
export function registerDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  session: Session,
  embedded: EmbeddedDocuments,
  pull: () => boolean,
) {
  /** Checks a document; undefined when the check was cancelled (a newer version, a cancelled request). */
  const compute = async (
    document: TextDocument,
    force: boolean,
    signal: AbortSignal,
  ): Promise<Diagnostic[] | undefined> => {
    try {
      const doc = {
        uri: document.uri,
        languageId: document.languageId,
        version: document.version,
        text: document.getText(),
      };
      const findings = await checkDocument(session, embedded, doc, force, signal);
      return findings?.map((f) => toDiagnostic(document, f));
    } catch (error) {
      connection.console.error(
        `Checking ${document.uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return [];
    }
  };

  /** Documents the user asked to check although they are over the size limit. */
  const forced = new Set<string>();

  connection.languages.diagnostics.on(async (params, token) => {
    await session.loaded;
    const document = documents.get(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const items = await compute(document, forced.has(document.uri), controller.signal);
    if (!items) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The document changed while it was checked.');
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });

  /** The running push check of each document: a newer one cancels it. */
  const running = new Map<string, AbortController>();

  const timers = new Map<string, NodeJS.Timeout>();
  const push = (document: TextDocument, force = false) => {
    const version = document.version;
    running.get(document.uri)?.abort();
    const controller = new AbortController();
    running.set(document.uri, controller);
    void session.loaded.then(async () => {
      const diagnostics = await compute(document, force || forced.has(document.uri), controller.signal);
      if (running.get(document.uri) === controller) running.delete(document.uri);
      // A newer version arrived while checking: its own check will publish.
      if (!diagnostics || documents.get(document.uri)?.version !== version) return;
      await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
    });
  };
  const schedule = (document: TextDocument) => {
    if (pull()) return;
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        push(document);
      }, session.settingsFor(document.uri).validation.debounceMs),
    );
  };
  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    running.get(e.document.uri)?.abort();
    forced.delete(e.document.uri);
    embedded.forget(e.document.uri);
    if (!pull()) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  return {
    /** Re-checks every open document: after a schema change or a settings change. */
    refresh(): void {
      if (pull()) void connection.languages.diagnostics.refresh();
      else for (const document of documents.all()) push(document);
    },
    /** Checks one document now, ignoring the size limit ("Check This File"). */
    checkNow(uri: string): void {
      const document = documents.get(uri);
      if (!document) return;
      forced.add(uri);
      if (pull()) void connection.languages.diagnostics.refresh();
      else push(document, true);
    },
  };
}
