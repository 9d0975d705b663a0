import path from 'node:path';
import {
  JournalError,
  sha256,
  type FileEdit,
  type JournalConflict,
  type JournalEdit,
  type JournalEntry,
} from './entry';
import { projectFile, readSourceText, writeSourceText } from './fileText';
import { entryStates, nextEntryId, readJournal, removeEntry, writeEntry, type EntryState } from './journalStore';
import { CONTEXT_LENGTH, locateOriginal, locateRange } from './locateRange';

/** What a migration is, for the journal and the Migrations view. */
export interface MigrationInfo {
  /** The builder the code was migrated to: `kysely`, `knex`, `sqlalchemy`, …. */
  target: string;
  description: string;
}

/** Outcome of applying an entry: the files changed, or the conflicts that stopped it (nothing written). */
export interface ApplyResult {
  applied: string[];
  conflicts: JournalConflict[];
}

/**
 * Outcome of a rollback: the files changed, or the conflicts that stopped it (then no file
 * changed). With an entry but no restored file, the files already held the original text.
 */
export interface RollbackResult {
  /** The journal entry that records the rollback (absent when there were conflicts). */
  entry?: JournalEntry;
  restored: string[];
  conflicts: JournalConflict[];
}

/** One row of the Migrations view. */
export interface JournalListing {
  id: string;
  time: string;
  kind: JournalEntry['kind'];
  target: string;
  description: string;
  files: string[];
  /** How many ranges the entry changes in each of `files`. */
  editCounts: number[];
  undoes?: string;
  state: EntryState;
}

/**
 * Where the current text of a project file comes from: the disk for the CLI, the editor's open
 * documents (falling back to the disk) for the language server.
 */
export type ReadText = (root: string, file: string) => Promise<string | undefined>;

export const readFromDisk: ReadText = async (root, file) => readSourceText(await projectFile(root, file));

function toPosix(file: string): string {
  return path.normalize(file).split(path.sep).join('/').replace(/\\/g, '/');
}

/** Builds an entry's record of one file from its current text; throws when an edit does not fit it. */
function fileRecord(file: string, text: string, edits: Omit<FileEdit, 'file'>[]): JournalEntry['files'][number] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let newText = '';
  let cursor = 0;
  const positioned: { edit: Omit<FileEdit, 'file'>; newStart: number }[] = [];
  for (const edit of sorted) {
    if (edit.start < cursor || (positioned.length > 0 && edit.start === positioned.at(-1)!.edit.start))
      throw new JournalError(`${file}: the edits overlap`);
    if (edit.end > text.length || edit.end - edit.start !== edit.originalText.length)
      throw new JournalError(`${file}: an edit lies outside the file or its length does not match its text`);
    if (text.slice(edit.start, edit.end) !== edit.originalText)
      throw new JournalError(`${file}: the text at ${edit.start}–${edit.end} is no longer the expected original`);
    newText += text.slice(cursor, edit.start);
    positioned.push({ edit, newStart: newText.length });
    newText += edit.newText;
    cursor = edit.end;
  }
  newText += text.slice(cursor);
  const journaled: JournalEdit[] = positioned.map(({ edit, newStart }) => {
    const newEnd = newStart + edit.newText.length;
    return {
      start: edit.start,
      end: edit.end,
      originalText: edit.originalText,
      newText: edit.newText,
      originalHash: sha256(edit.originalText),
      newHash: sha256(edit.newText),
      newStart,
      contextBefore: newText.slice(Math.max(0, newStart - CONTEXT_LENGTH), newStart),
      contextAfter: newText.slice(newEnd, newEnd + CONTEXT_LENGTH),
    };
  });
  return { path: file, edits: journaled };
}

async function readRequired(root: string, file: string, read: ReadText): Promise<string> {
  const text = await read(root, file);
  if (text === undefined) throw new JournalError(`${file} does not exist`);
  return text;
}

async function buildEntry(
  root: string,
  journal: JournalEntry[],
  info: MigrationInfo & { kind: JournalEntry['kind']; undoes?: string },
  edits: FileEdit[],
  read: ReadText,
): Promise<JournalEntry> {
  if (edits.length === 0) throw new JournalError('a migration needs at least one edit');
  const byFile = new Map<string, Omit<FileEdit, 'file'>[]>();
  for (const { file, ...edit } of edits) {
    const key = toPosix(file);
    if (path.isAbsolute(key) || key.split('/').includes('..'))
      throw new JournalError(`${file} is not inside the project folder`);
    byFile.set(key, [...(byFile.get(key) ?? []), edit]);
  }
  const files = await Promise.all(
    [...byFile].map(async ([file, fileEdits]) => fileRecord(file, await readRequired(root, file, read), fileEdits)),
  );
  const time = new Date();
  return {
    version: 1,
    id: nextEntryId(journal, time),
    time: time.toISOString(),
    kind: info.kind,
    target: info.target,
    description: info.description,
    ...(info.undoes === undefined ? {} : { undoes: info.undoes }),
    files,
  };
}

/**
 * Journals a migration BEFORE it is applied: validates the edits against the files' current text
 * and writes the entry atomically. Apply it with {@link applyEntry}.
 */
export async function recordMigration(
  root: string,
  edits: FileEdit[],
  info: MigrationInfo,
  read: ReadText = readFromDisk,
): Promise<JournalEntry> {
  const entry = await buildEntry(root, await readJournal(root), { ...info, kind: 'migration' }, edits, read);
  await writeEntry(root, entry);
  return entry;
}

/**
 * Applies a journaled entry to the files on disk. Every range must still hold its recorded
 * original text; if any does not, nothing is written and the conflicts are returned.
 */
export async function applyEntry(root: string, entry: JournalEntry): Promise<ApplyResult> {
  const conflicts: JournalConflict[] = [];
  const updates: [string, string][] = [];
  const originals = new Map<string, string>();
  const realPaths = new Map<string, string>();
  // Every file is resolved before any is read, so one outside the project refuses the whole entry.
  for (const { path: file } of entry.files) realPaths.set(file, await projectFile(root, file));
  for (const { path: file, edits } of entry.files) {
    const text = await readSourceText(realPaths.get(file)!);
    if (text === undefined) {
      conflicts.push({
        file,
        range: { start: 0, end: 0 },
        expected: edits[0].originalText,
        actual: '',
        reason: 'missing-file',
      });
      continue;
    }
    let updated = '';
    let cursor = 0;
    for (const edit of edits) {
      const actual = text.slice(edit.start, edit.end);
      if (actual !== edit.originalText || edit.end > text.length)
        conflicts.push({
          file,
          range: { start: edit.start, end: edit.end },
          expected: edit.originalText,
          actual,
          reason: 'changed',
        });
      updated += text.slice(cursor, edit.start) + edit.newText;
      cursor = edit.end;
    }
    updates.push([file, updated + text.slice(cursor)]);
    originals.set(file, text);
  }
  if (conflicts.length > 0) return { applied: [], conflicts };
  const changed = updates.filter(([file, text]) => text !== originals.get(file));
  for (const [file, text] of changed) await writeSourceText(realPaths.get(file)!, text);
  return { applied: changed.map(([file]) => file), conflicts: [] };
}

/**
 * Journals and applies a migration in one step. When the files changed between the two and the
 * edit is refused, the entry is removed again: the journal only lists edits that landed.
 */
export async function applyMigration(
  root: string,
  edits: FileEdit[],
  info: MigrationInfo,
): Promise<ApplyResult & { entry: JournalEntry }> {
  const entry = await recordMigration(root, edits, info);
  const result = await applyEntry(root, entry);
  if (result.conflicts.length > 0) await removeEntry(root, entry.id);
  return { entry, ...result };
}

/** Every entry with its state, oldest first, for the Migrations view. */
export async function listEntries(root: string): Promise<JournalListing[]> {
  const entries = await readJournal(root);
  const states = entryStates(entries);
  return entries.map((entry) => ({
    id: entry.id,
    time: entry.time,
    kind: entry.kind,
    target: entry.target,
    description: entry.description,
    files: entry.files.map((f) => f.path),
    editCounts: entry.files.map((f) => f.edits.length),
    ...(entry.undoes === undefined ? {} : { undoes: entry.undoes }),
    state: states.get(entry.id)!,
  }));
}

function pickEntry(entries: JournalEntry[], states: Map<string, EntryState>, which: string): JournalEntry {
  if (which === 'last') {
    const last = entries.findLast((e) => e.kind === 'migration' && states.get(e.id)?.state === 'applied');
    if (!last) throw new JournalError('there is no applied migration to roll back');
    return last;
  }
  const entry = entries.find((e) => e.id === which);
  if (!entry) throw new JournalError(`there is no journal entry "${which}"`);
  const state = states.get(entry.id);
  if (state?.state === 'rolled back') throw new JournalError(`${entry.id} was already rolled back by ${state.by}`);
  return entry;
}

/**
 * Rolls back an entry (`'last'`: the newest applied migration; a rollback's id undoes the
 * rollback). Each range is found by its recorded text, since the user may have edited elsewhere;
 * a range edited since, or found more than once, is a conflict, and then no file is changed.
 * A range that holds its original text again (the edit never landed, or was undone by hand) needs
 * no change. The rollback is journaled before it is applied, so it can be rolled back in turn.
 */
export async function rollback(root: string, which: string): Promise<RollbackResult> {
  const prepared = await prepareRollback(root, which, readFromDisk);
  if (!prepared.entry) return prepared;
  const result = await applyEntry(root, prepared.entry);
  if (result.conflicts.length > 0) {
    await removeEntry(root, prepared.entry.id);
    return { restored: [], conflicts: result.conflicts };
  }
  return { entry: prepared.entry, restored: result.applied, conflicts: [] };
}

/**
 * Finds the ranges to restore and journals the rollback, without applying it (the language
 * server applies it to the editor's documents; {@link rollback} to the files on disk). With
 * conflicts, nothing is journaled.
 */
export async function prepareRollback(root: string, which: string, read: ReadText): Promise<RollbackResult> {
  const entries = await readJournal(root);
  const target = pickEntry(entries, entryStates(entries), which);
  const conflicts: JournalConflict[] = [];
  const reverse: FileEdit[] = [];
  for (const { path: file, edits } of target.files) {
    const text = await read(root, file);
    if (text === undefined) {
      conflicts.push({
        file,
        range: { start: 0, end: 0 },
        expected: edits[0].newText,
        actual: '',
        reason: 'missing-file',
      });
      continue;
    }
    const located = edits.map((edit) => {
      const where = locateRange(text, edit);
      const original = !where.found && where.reason === 'changed' ? locateOriginal(text, edit) : undefined;
      // Already the original text: rolling it back changes nothing, but is journaled like the rest.
      return original
        ? { edit: { ...edit, newText: edit.originalText }, where: { found: true as const, ...original } }
        : { edit, where };
    });
    const ordered = located.flatMap(({ where }) => (where.found ? [where] : [])).sort((a, b) => a.start - b.start);
    const overlapping = ordered.some(
      (r, i) => i > 0 && (r.start < ordered[i - 1].end || r.start === ordered[i - 1].start),
    );
    for (const { edit, where } of located) {
      if (!where.found || overlapping) {
        const reason = where.found ? 'ambiguous' : where.reason;
        const actual = where.found ? text.slice(where.start, where.end) : where.actual;
        const expected = (!where.found && where.expected) || edit.newText;
        conflicts.push({ file, range: { start: where.start, end: where.end }, expected, actual, reason });
      } else {
        reverse.push({
          file,
          start: where.start,
          end: where.end,
          originalText: edit.newText,
          newText: edit.originalText,
        });
      }
    }
  }
  if (conflicts.length > 0) return { restored: [], conflicts };
  const entry = await buildEntry(
    root,
    entries,
    {
      kind: 'rollback',
      undoes: target.id,
      target: target.target,
      description: `Roll back ${target.id}: ${target.description}`,
    },
    reverse,
    read,
  );
  await writeEntry(root, entry);
  return { entry, restored: entry.files.map((f) => f.path), conflicts: [] };
}
