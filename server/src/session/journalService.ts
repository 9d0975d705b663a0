/**
 * The migration journal as the language server shows and uses it: every folder's entries for the
 * Migrations view, a file's text before and after an entry, and rollbacks applied to the editor's
 * documents (journaled first, like migrations).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { JournalError, type JournalConflict } from '../migrate/journal/entry';
import { readJournal, removeEntry } from '../migrate/journal/journalStore';
import { locateRange } from '../migrate/journal/locateRange';
import { listEntries, prepareRollback, type JournalListing, type ReadText } from '../migrate/journal/migrationJournal';
import { editorTexts, type FileChange, type MigrationHost } from './migrationService';
import type { Session } from './session';

export interface RollbackOutcome {
  id: string | null;
  restoredFiles: string[];
  conflicts: (JournalConflict & { uri: string })[];
  failure?: string;
}

export class JournalService {
  private readonly readText: ReadText;

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly session: Session,
    private readonly host: MigrationHost,
  ) {
    this.readText = editorTexts(documents);
  }

  /** Rolls back `id`, or the newest applied migration of any workspace folder. */
  async rollBack(id: string | undefined): Promise<RollbackOutcome> {
    const root = id ? await this.rootHolding(id) : await this.rootWithNewestMigration();
    if (!root)
      return {
        id: null,
        restoredFiles: [],
        conflicts: [],
        ...(id ? { failure: `There is no journal entry "${id}".` } : {}),
      };
    let prepared;
    try {
      prepared = await prepareRollback(root, id ?? 'last', this.readText);
    } catch (error) {
      const reason =
        error instanceof JournalError ? error.message : `the journal could not be written: ${String(error)}`;
      return { id: null, restoredFiles: [], conflicts: [], failure: reason };
    }
    const uriOf = (file: string) => pathToFileURL(path.join(root, ...file.split('/'))).toString();
    if (!prepared.entry) {
      const conflicts = prepared.conflicts.map((c) => ({ ...c, uri: uriOf(c.file) }));
      return { id: id ?? null, restoredFiles: [], conflicts };
    }
    const entry = prepared.entry;
    const changes: FileChange[] = [];
    for (const file of entry.files) {
      const uri = uriOf(file.path);
      const text = (await this.readText(root, file.path)) ?? '';
      const edits = file.edits
        .filter((e) => e.originalText !== e.newText)
        .map((e) => ({ start: e.start, end: e.end, newText: e.newText }));
      if (edits.length > 0) changes.push({ uri, version: this.documents.get(uri)?.version ?? null, text, edits });
    }
    const applied =
      changes.length === 0 || (await this.host.applyChanges(changes, 'Roll back migration', false).catch(() => false));
    if (!applied) {
      await removeEntry(root, entry.id);
      return {
        id: entry.undoes ?? null,
        restoredFiles: [],
        conflicts: [],
        failure: 'The editor did not apply the rollback.',
      };
    }
    this.host.journalChanged();
    return { id: entry.undoes ?? null, restoredFiles: changes.map((c) => c.uri), conflicts: [] };
  }

  /** Every folder's journal, newest first. */
  async entries(): Promise<(JournalListing & { root: string })[]> {
    const all: (JournalListing & { root: string })[] = [];
    for (const { root } of this.session.folderRoots()) {
      try {
        all.push(...(await listEntries(root)).map((e) => ({ ...e, root })));
      } catch (error) {
        if (!(error instanceof JournalError)) throw error;
      }
    }
    return all.sort((a, b) => b.time.localeCompare(a.time) || b.id.localeCompare(a.id));
  }

  /** The file as it was before entry `id` and as it is now, for a diff. */
  async diff(id: string, uri: string): Promise<{ original: string; migrated: string } | null> {
    const root = await this.rootHolding(id);
    if (!root) return null;
    const entry = (await readJournal(root)).find((e) => e.id === id);
    const file = entry?.files.find((f) => pathToFileURL(path.join(root, ...f.path.split('/'))).toString() === uri);
    if (!file) return null;
    const current = (await this.readText(root, file.path)) ?? '';
    let original = '';
    let cursor = 0;
    for (const edit of file.edits) {
      const where = locateRange(current, edit);
      if (!where.found || where.start < cursor) {
        // The file moved on too far to place the ranges: show the journaled pieces side by side.
        return {
          original: file.edits.map((e) => e.originalText).join('\n…\n'),
          migrated: file.edits.map((e) => e.newText).join('\n…\n'),
        };
      }
      original += current.slice(cursor, where.start) + edit.originalText;
      cursor = where.end;
    }
    return { original: original + current.slice(cursor), migrated: current };
  }

  private async rootHolding(id: string): Promise<string | undefined> {
    return (await this.entries()).find((e) => e.id === id)?.root;
  }

  private async rootWithNewestMigration(): Promise<string | undefined> {
    return (await this.entries()).find((e) => e.kind === 'migration' && e.state.state === 'applied')?.root;
  }
}
