import {
  CodeActionKind,
  type CodeAction,
  type Connection,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DescribeCache } from '../resultTypes/describeCache';
import type { MigrationService } from '../session/migrationService';
import type { DiagnosticData } from './convert';
import type { EditingServices } from './editingContext';
import { migrationCodeActions } from './migrationRequests';
import { DIAGNOSTIC_SOURCE } from '../protocol/rules';
import { pythonRowTypeActions } from './pythonRowTypeAction';
import { rowTypeActions } from './rowTypeAction';

export const codeActionsCapability: Pick<ServerCapabilities, 'codeActionProvider'> = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
};

/**
 * Quick fixes from a diagnostic's "did you mean" suggestions ("Change to `total_cents`"), and
 * "Migrate to …" on a SQL string in code.
 */
export function registerCodeActions(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  migrations: MigrationService,
  resultTypes: { editing: EditingServices; cache: DescribeCache },
): void {
  connection.onCodeAction(async (params) => {
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
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
    if (!params.context.only || params.context.only.some((kind) => kind.startsWith('quickfix')))
      actions.push(
        ...(await rowTypeActions(resultTypes.editing, resultTypes.cache, params.textDocument.uri, params.range)),
        ...(await pythonRowTypeActions(resultTypes.editing, resultTypes.cache, params.textDocument.uri, params.range)),
      );
    if (!params.context.only || params.context.only.some((kind) => /^(refactor|quickfix)/.test(kind)))
      actions.push(
        ...(await migrationCodeActions(
          migrations,
          documents,
          params.textDocument.uri,
          params.range,
          params.context.diagnostics,
        )),
      );
    return actions;
  });
}
