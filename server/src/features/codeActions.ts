import { CodeActionKind, type CodeAction, type Connection, type ServerCapabilities } from 'vscode-languageserver';
import type { DiagnosticData } from './convert';

export const codeActionsCapability: Pick<ServerCapabilities, 'codeActionProvider'> = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

/** Quick fixes from a diagnostic's "did you mean" suggestions: "Change to `total_cents`". */
export function registerCodeActions(connection: Connection): void {
  connection.onCodeAction((params) => {
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'live-schema') continue;
      const suggestions = (diagnostic.data as Partial<DiagnosticData> | undefined)?.suggestions;
      if (!Array.isArray(suggestions)) continue;
      suggestions.slice(0, 5).forEach((suggestion, index) => {
        if (typeof suggestion !== 'string') return;
        actions.push({
          title: `Change to \`${suggestion}\``,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: index === 0,
          edit: { changes: { [params.textDocument.uri]: [{ range: diagnostic.range, newText: suggestion }] } },
        });
      });
    }
    return actions;
  });
}
