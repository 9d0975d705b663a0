/**
 * Migrations inside the language server: plans from the core, texts from the editor's open
 * documents (else the disk), and the journal written BEFORE each `workspace/applyEdit`. Rollbacks
 * are in `journalService.ts`; LSP payloads are built in `features/migrationRequests.ts`; this
 * class speaks in files, offsets and results.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { extractEmbedded, hostLanguageOf, type EmbeddedExtraction } from '../embedded/extract';
import type { SchemaSnapshot } from '../schema/snapshot';
import { TARGET_TITLES } from '../migrate/builderTarget';
import { chooseTarget, pythonModuleName } from '../migrate/chooseTarget';
import { schemaReference, type SchemaReference } from '../migrate/schemaReferences';
import { isGeneratedModule } from '../migrate/schemaModule/writeSchemaModule';
import { JournalError, type FileEdit, type JournalEntry } from '../migrate/journal/entry';
import { projectFile, readSourceText } from '../migrate/journal/fileText';
import { removeEntry } from '../migrate/journal/journalStore';
import { recordMigration, type ReadText } from '../migrate/journal/migrationJournal';
import { planFileMigration, type FileMigrationPlan, type Refusal } from '../migrate/planMigration';
import { WorkspaceFilter } from '../index/workspaceFilter';
import type { Session } from './session';

/** One file's edits as the editor applies them: offsets into the text the editor has now. */
export interface FileChange {
  uri: string;
  /** The open document's version, or null for a file not open. */
  version: number | null;
  text: string;
  edits: { start: number; end: number; newText: string }[];
}

export interface MigrationHost {
  /** Applies the changes in the editor; false when the editor refused (or the user cancelled the preview). */
  applyChanges(changes: FileChange[], label: string, preview: boolean): Promise<boolean>;
  journalChanged(): void;
}

export interface OfferedMigration {
  title: string;
  /** Set when the SQL cannot be converted faithfully: why. */
  refused?: string;
}

export interface MigrationOutcome {
  migrated: number;
  refused: { uri: string; offset: number; reason: string }[];
  /** Set when nothing was applied although something was planned. */
  failure?: string;
}

/** The journal's target for hard-coded names replaced by schema module references. */
const SCHEMA_MODULE_TARGET = 'schema module';

/** The current text of a project file: the open document's, else the disk's. */
export function editorTexts(documents: TextDocuments<TextDocument>): ReadText {
  return async (root, file) => {
    // Resolved first, open or not: the editor would write a rollback through a symlinked folder too.
    const real = await projectFile(root, file);
    const absolute = path.join(root, ...file.split('/'));
    return documents.get(pathToFileURL(absolute).toString())?.getText() ?? (await readSourceText(real));
  };
}

export class MigrationService {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly session: Session,
    private readonly host: MigrationHost,
  ) {
    this.readText = editorTexts(documents);
  }

  private readonly readText: ReadText;

  /** The statement regions of the last version of each document asked about: most cursor moves end here. */
  /**
   * The extraction of the last version of each document asked about (with the snapshot it used):
   * most cursor moves end here, without planning anything.
   */
  private readonly extractions = new Map<
    string,
    { version: number; snapshot: SchemaSnapshot | undefined; extraction: Promise<EmbeddedExtraction> }
  >();

  private extraction(document: TextDocument): Promise<EmbeddedExtraction> {
    const snapshot = this.session.connectionFor(document.uri)?.snapshot;
    const cached = this.extractions.get(document.uri);
    if (cached?.version === document.version && cached.snapshot === snapshot) return cached.extraction;
    const dialect =
      snapshot?.dialect ??
      (this.session.connectionFor(document.uri)?.settings.driver === 'mysql' ? 'mysql' : 'postgres');
    const extraction = extractEmbedded(fileURLToPath(document.uri), document.getText(), { dialect, snapshot });
    this.extractions.set(document.uri, { version: document.version, snapshot, extraction });
    return extraction;
  }

  private async onSqlString(document: TextDocument, offset: number): Promise<boolean> {
    const { regions } = await this.extraction(document);
    return regions.some((r) => r.kind === 'statement' && r.hostStart <= offset && offset <= r.hostEnd);
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    this.extractions.delete(uri);
  }

  /** What migrating the SQL string at `offset` would do: the action's title, or why it is refused. */
  async offerAt(uri: string, offset: number): Promise<OfferedMigration | undefined> {
    const document = this.documents.get(uri);
    if (!document || !uri.startsWith('file:') || !(await this.onSqlString(document, offset))) return undefined;
    const text = document.getText();
    const planned = await this.plan(uri, text, offset);
    if (!planned || (planned.plan.converted === 0 && planned.plan.refusals.length === 0)) return undefined;
    const title = `Migrate to ${TARGET_TITLES[planned.target]}`;
    if (planned.plan.converted > 0) return { title };
    return { title, refused: planned.plan.refusals[0].reason };
  }

  /** Migrates the SQL string at `offset` of an open document (the code action's command). */
  async migrateAt(uri: string, version: number, offset: number): Promise<MigrationOutcome> {
    const document = this.documents.get(uri);
    if (!document || document.version !== version)
      return { migrated: 0, refused: [], failure: 'The document changed since the action was offered; try again.' };
    const planned = await this.plan(uri, document.getText(), offset);
    if (!planned) return { migrated: 0, refused: [], failure: 'The file is not in a workspace folder.' };
    return this.applyPlans(
      planned.root,
      [{ uri, text: document.getText(), plan: planned.plan }],
      planned.target,
      false,
    );
  }

  /** Migrates files, folders or (empty `uris`) every workspace folder; previewed first when asked. */
  async migrate(uris: string[], preview: boolean): Promise<MigrationOutcome> {
    const starts = uris.length > 0 ? uris.map((u) => fileURLToPath(u)) : this.session.folderRoots().map((f) => f.root);
    const byRoot = new Map<string, string[]>();
    for (const start of starts) {
      const root = this.session.rootFor(pathToFileURL(start).toString());
      if (!root) continue;
      const files = hostLanguageOf(start) ? [start] : await new WorkspaceFilter({ root }).files(start);
      byRoot.set(root, [...(byRoot.get(root) ?? []), ...files.filter((f) => hostLanguageOf(f))]);
    }
    const outcome: MigrationOutcome = { migrated: 0, refused: [] };
    for (const [root, files] of byRoot) {
      const planned: { uri: string; text: string; plan: FileMigrationPlan }[] = [];
      let targetTitle = '';
      for (const file of files) {
        const uri = pathToFileURL(file).toString();
        const text = await this.readText(root, toProjectPath(root, file)).catch(() => undefined);
        if (text === undefined) continue;
        const result = await this.plan(uri, text);
        if (!result) continue;
        targetTitle = result.target;
        planned.push({ uri, text, plan: result.plan });
      }
      const done = await this.applyPlans(root, planned, targetTitle, preview);
      outcome.migrated += done.migrated;
      outcome.refused.push(...done.refused);
      outcome.failure ??= done.failure;
    }
    return outcome;
  }

  private async plan(
    uri: string,
    text: string,
    at?: number,
  ): Promise<{ root: string; target: keyof typeof TARGET_TITLES; plan: FileMigrationPlan } | undefined> {
    const root = this.session.rootFor(uri);
    if (!root || !uri.startsWith('file:')) return undefined;
    const fileName = fileURLToPath(uri);
    const language = hostLanguageOf(fileName);
    if (!language) return undefined;
    const choice = await chooseTarget(root, language, this.session.settingsFor(uri).migrations);
    const dialect = this.session.connectionFor(uri)?.settings.driver === 'mysql' ? 'mysql' : 'postgres';
    const plan = await planFileMigration({
      file: toProjectPath(root, fileName),
      fileName,
      text,
      dialect,
      ...choice,
      ...(at === undefined ? {} : { at }),
    });
    return { root, target: choice.target, plan };
  }

  /** Journals, then applies; an edit the editor refuses leaves no journal entry behind. */
  private async applyPlans(
    root: string,
    planned: { uri: string; text: string; plan: FileMigrationPlan }[],
    target: string,
    preview: boolean,
  ): Promise<MigrationOutcome> {
    const refused = planned.flatMap(({ uri, plan }) =>
      plan.refusals.map((r: Refusal) => ({ uri, offset: r.offset, reason: r.reason })),
    );
    const withEdits = planned.filter(({ plan }) => plan.edits.length > 0);
    const migrated = withEdits.reduce((sum, { plan }) => sum + plan.converted, 0);
    if (withEdits.length === 0) return { migrated: 0, refused };
    const title = TARGET_TITLES[target as keyof typeof TARGET_TITLES] ?? target;
    const where = withEdits.length === 1 ? withEdits[0].plan.edits[0].file : `${withEdits.length} files`;
    const what = target === SCHEMA_MODULE_TARGET ? 'hard-coded' : 'SQL';
    const items = target === SCHEMA_MODULE_TARGET ? ['name', 'names'] : ['template', 'templates'];
    const description = `${migrated} ${what} ${migrated === 1 ? items[0] : items[1]} → ${title} in ${where}`;
    let entry: JournalEntry;
    try {
      entry = await recordMigration(
        root,
        withEdits.flatMap(({ plan }) => plan.edits),
        { target, description },
        this.readText,
      );
    } catch (error) {
      // Nothing is applied without its journal entry: a corrupt journal or an unwritable folder stops here.
      const reason =
        error instanceof JournalError ? error.message : `the journal could not be written: ${String(error)}`;
      return { migrated: 0, refused, failure: reason };
    }
    const changes = withEdits.map(({ uri, text, plan }) => ({
      uri,
      version: this.documents.get(uri)?.version ?? null,
      text,
      edits: plan.edits.map(({ start, end, newText }: FileEdit) => ({ start, end, newText })),
    }));
    const applied = await this.host.applyChanges(changes, `Migrate to ${title}`, preview).catch(() => false);
    if (!applied) {
      await removeEntry(root, entry.id);
      return {
        migrated: 0,
        refused,
        failure: preview ? 'The migration was cancelled.' : 'The editor did not apply the migration.',
      };
    }
    this.host.journalChanged();
    return { migrated, refused };
  }

  /** The reference into the schema module that can replace the hard-coded name at `offset`, or why not. */
  async schemaReferenceAt(
    uri: string,
    offset: number,
  ): Promise<(SchemaReference & { root: string; text: string }) | undefined> {
    const document = this.documents.get(uri);
    const root = this.session.rootFor(uri);
    if (!document || !root || !uri.startsWith('file:')) return undefined;
    const fileName = fileURLToPath(uri);
    const language = hostLanguageOf(fileName);
    const source = this.session.connectionFor(uri);
    const snapshot = source?.snapshot;
    if (!language || !snapshot) return undefined;
    const text = document.getText();
    const { dependencies } = await this.extraction(document);
    const dependency = dependencies.find(
      (d) => (d.code === 'hardcoded-table' || d.code === 'hardcoded-column') && d.start <= offset && offset <= d.end,
    );
    if (!dependency) return undefined;
    const settings = this.session.settingsFor(uri).migrations;
    const moduleFile = path.join(
      root,
      language === 'python' ? settings.pythonSchemaModule : settings.typescriptSchemaModule,
    );
    if (!(await isGeneratedModule(root, moduleFile)))
      return {
        root,
        text,
        refused: `there is no generated schema module at ${toProjectPath(root, moduleFile)} yet: run Generate Schema Module`,
      };
    const reference = schemaReference({
      file: toProjectPath(root, fileName),
      fileName,
      text,
      language,
      snapshot,
      dependency,
      moduleFile,
      pythonModule: pythonModuleName(settings.pythonSchemaModule),
    });
    return { ...reference, root, text };
  }

  /** Replaces the hard-coded name at `offset` by its schema module reference, journaled like a migration. */
  async referenceSchemaModuleAt(uri: string, version: number, offset: number): Promise<MigrationOutcome> {
    if (this.documents.get(uri)?.version !== version)
      return { migrated: 0, refused: [], failure: 'The document changed since the action was offered; try again.' };
    const reference = await this.schemaReferenceAt(uri, offset);
    if (!reference) return { migrated: 0, refused: [], failure: 'There is no hard-coded schema name here any more.' };
    if ('refused' in reference) return { migrated: 0, refused: [], failure: reference.refused };
    const plan: FileMigrationPlan = { edits: reference.edits, converted: 1, refusals: [] };
    return this.applyPlans(reference.root, [{ uri, text: reference.text, plan }], SCHEMA_MODULE_TARGET, false);
  }
}

export function toProjectPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
