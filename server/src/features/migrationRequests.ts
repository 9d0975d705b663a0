/**
 * LSP adapters for migrations: the "Migrate to …" code action (its command journals, then applies
 * through `workspace/applyEdit`), bulk Migrate with the refactor preview, rollback, the
 * Migrations view's entries and diffs.
 */
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  TextDocumentEdit,
  type AnnotatedTextEdit,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Range,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import { hostLanguageOf } from '../embedded/extract';
import {
  GenerateSchemaModule,
  GetMigrationDiff,
  GetMigrations,
  Migrate,
  MigrationsChanged,
  RollBackMigration,
  type MigrationEntry,
} from '../protocol/customMessages';
import { documentFileName } from '../session/embeddedDocuments';
import { generateSchemaModule } from '../session/schemaModules';
import { JournalService } from '../session/journalService';
import { MigrationService, type FileChange, type MigrationHost } from '../session/migrationService';
import type { Session } from '../session/session';
import { ServerCommands } from './executeCommand';
import { DIAGNOSTIC_SOURCE } from '../protocol/rules';

const migrateAtArguments = z.object({ uri: z.string(), version: z.number().int(), offset: z.number().int().min(0) });

const PREVIEW_ANNOTATION = 'liveSchema.migration';

/** The migration and journal services, applying edits through `workspace/applyEdit`. */
export function createMigrationServices(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  session: Session,
): { migrations: MigrationService; journal: JournalService } {
  const host: MigrationHost = {
    applyChanges: async (changes, label, preview) =>
      (await connection.workspace.applyEdit({ label, edit: workspaceEdit(changes, label, preview) })).applied,
    journalChanged: () => void connection.sendNotification(MigrationsChanged.type),
  };
  return {
    migrations: new MigrationService(documents, session, host),
    journal: new JournalService(documents, session, host),
  };
}

function workspaceEdit(changes: FileChange[], label: string, preview: boolean): WorkspaceEdit {
  const documentChanges = changes.map(({ uri, version, text, edits }) => {
    const positions = TextDocument.create(uri, '', 0, text);
    return TextDocumentEdit.create(
      { uri, version },
      edits.map(({ start, end, newText }) => {
        const range = { start: positions.positionAt(start), end: positions.positionAt(end) };
        return preview
          ? ({ range, newText, annotationId: PREVIEW_ANNOTATION } satisfies AnnotatedTextEdit)
          : { range, newText };
      }),
    );
  });
  return {
    documentChanges,
    ...(preview
      ? {
          changeAnnotations: {
            [PREVIEW_ANNOTATION]: {
              label,
              needsConfirmation: true,
              description: 'journaled: Roll Back Last Migration undoes it',
            },
          },
        }
      : {}),
  };
}

/** The "Migrate to …" action on the SQL string under the cursor: enabled, or disabled with the reason. */
export async function migrationCodeActions(
  migrations: MigrationService,
  documents: TextDocuments<TextDocument>,
  uri: string,
  range: Range,
  diagnostics: Diagnostic[],
): Promise<CodeAction[]> {
  const document = documents.get(uri);
  if (!document || !hostLanguageOf(documentFileName(uri))) return [];
  const offset = document.offsetAt(range.start);
  const offered = await migrations.offerAt(uri, offset);
  const hardcodedNames = diagnostics.filter(
    (d) => d.source === DIAGNOSTIC_SOURCE && (d.code === 'hardcoded-table' || d.code === 'hardcoded-column'),
  );
  const actions: CodeAction[] = [];
  if (offered) {
    const action: CodeAction = { title: offered.title, kind: CodeActionKind.RefactorRewrite };
    if (offered.refused) action.disabled = { reason: offered.refused };
    else
      action.command = {
        title: offered.title,
        command: ServerCommands.migrateAt,
        arguments: [{ uri, version: document.version, offset }],
      };
    actions.push(action);
  }
  const reference = await migrations.schemaReferenceAt(uri, offset);
  if (reference) {
    const title = 'title' in reference ? reference.title : 'Use the schema module';
    const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: hardcodedNames };
    if ('refused' in reference) action.disabled = { reason: reference.refused };
    else
      action.command = {
        title,
        command: ServerCommands.referenceSchemaModuleAt,
        arguments: [{ uri, version: document.version, offset }],
      };
    actions.push(action);
  }
  return actions;
}

/** Runs one of the code actions' commands: `migrate` the SQL string, or `reference` the schema module. */
export async function runMigrateAt(
  connection: Connection,
  migrations: MigrationService,
  argument: unknown,
  kind: 'migrate' | 'reference' = 'migrate',
): Promise<void> {
  const parsed = migrateAtArguments.safeParse(argument);
  if (!parsed.success) {
    void connection.window.showErrorMessage('Live Schema: the migrate command got arguments it does not understand.');
    return;
  }
  const { uri, version, offset } = parsed.data;
  const outcome =
    kind === 'migrate'
      ? await migrations.migrateAt(uri, version, offset)
      : await migrations.referenceSchemaModuleAt(uri, version, offset);
  const reason = outcome.failure ?? (outcome.migrated === 0 ? outcome.refused[0]?.reason : undefined);
  if (reason) void connection.window.showWarningMessage(`Live Schema: not migrated: ${reason}`);
}

export function registerMigrationRequests(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  session: Session,
  migrations: MigrationService,
  journal: JournalService,
): void {
  connection.onRequest(GenerateSchemaModule.type, async (params) => {
    try {
      return { uri: await generateSchemaModule(session, params.connection, params.language) };
    } catch (error) {
      throw new ResponseError(ErrorCodes.InvalidRequest, (error as Error).message);
    }
  });

  const lineOf = (uri: string, offset: number): number => {
    const text = documents.get(uri)?.getText();
    return text === undefined ? 0 : TextDocument.create(uri, '', 0, text).positionAt(offset).line;
  };

  connection.onRequest(GetMigrations.type, async () => ({
    entries: (await journal.entries()).map((e): MigrationEntry => ({
      id: e.id,
      appliedAt: e.time,
      description: e.description,
      files: e.files.map((file, i) => ({ uri: uriIn(e.root, file), edits: e.editCounts[i] })),
      kind: e.kind,
      state: e.state.state,
    })),
  }));

  connection.onRequest(GetMigrationDiff.type, (params) => journal.diff(params.id, params.uri));

  connection.onRequest(Migrate.type, async (params) => {
    const outcome = await migrations.migrate(params.uris, params.preview);
    for (const refusal of outcome.refused) connection.console.info(`Not migrated: ${refusal.uri}: ${refusal.reason}`);
    return {
      migrated: outcome.migrated,
      refused: outcome.refused.map((r) => ({ uri: r.uri, line: lineOf(r.uri, r.offset), reason: r.reason })),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
    };
  });

  connection.onRequest(RollBackMigration.type, async (params) => {
    const outcome = await journal.rollBack(params.id);
    return {
      id: outcome.id,
      restoredFiles: outcome.restoredFiles,
      conflicts: outcome.conflicts.map((c) => ({
        uri: c.uri,
        line: lineOf(c.uri, c.range.start),
        message:
          c.reason === 'missing-file'
            ? 'the file is gone'
            : `edited since the migration: expected ${JSON.stringify(c.expected)}, found ${JSON.stringify(c.actual)}`,
      })),
      ...(outcome.failure ? { failure: outcome.failure } : {}),
    };
  });
}

function uriIn(root: string, file: string): string {
  return pathToFileURL(path.join(root, ...file.split('/'))).toString();
}
