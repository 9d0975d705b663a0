import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeJsonSyntaxError } from '../../text/jsonSyntaxError';
import { JOURNAL_FOLDER, JournalError, journalEntrySchema, sha256, type JournalEntry } from './entry';
import { projectFile } from './fileText';

/** The state of an entry for the Migrations view: applied, or undone by a later (applied) rollback. */
export type EntryState = { state: 'applied' } | { state: 'rolled back'; by: string };

/** Real path of an entry's file; refused when `.live-schema` or its journal links out of the project. */
function entryPath(root: string, id: string): Promise<string> {
  return projectFile(root, path.join(JOURNAL_FOLDER, `${id}.json`));
}

/**
 * Reads and validates every entry, oldest first. Any corrupt or hand-edited file stops the whole
 * read with a message naming it: acting on a partly understood journal could half-apply a rollback.
 */
export async function readJournal(root: string): Promise<JournalEntry[]> {
  const folder = await projectFile(root, JOURNAL_FOLDER);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = await Promise.all(
    names.filter((name) => name.endsWith('.json')).map((name) => readEntryFile(path.join(folder, name))),
  );
  return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function readEntryFile(file: string): Promise<JournalEntry> {
  const shown = path.join(JOURNAL_FOLDER, path.basename(file));
  const fail = (problem: string) =>
    new JournalError(`journal entry ${shown} ${problem}; restore it from version control or delete it`);
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`is ${describeJsonSyntaxError(error, text)}`);
  }
  const parsed = journalEntrySchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw fail(
      `is not a journal entry: ${first ? `${first.path.join('.') || '(entry)'}: ${first.message}` : 'invalid'}`,
    );
  }
  const entry = parsed.data;
  if (`${entry.id}.json` !== path.basename(file)) throw fail(`has id ${entry.id}, which does not match its file name`);
  for (const { path: filePath, edits } of entry.files) {
    edits.forEach((edit, index) => {
      if (sha256(edit.newText) !== edit.newHash || sha256(edit.originalText) !== edit.originalHash)
        throw fail(`was edited by hand: the hash of edit ${index + 1} in ${filePath} does not match its text`);
      const previous = edits[index - 1];
      if (previous && (edit.start < previous.end || edit.start === previous.start))
        throw fail(`has overlapping edits in ${filePath}`);
    });
  }
  return entry;
}

/**
 * Writes a new entry atomically: a temporary file, then a hard link to the entry's name, which
 * (unlike a rename) fails when the name exists, so two windows journaling at once never overwrite
 * each other's entry. A crash leaves at most a stray `.tmp` file, never half an entry.
 */
export async function writeEntry(root: string, entry: JournalEntry): Promise<void> {
  const target = await entryPath(root, entry.id);
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`, { encoding: 'utf8', mode: 0o644 });
    await link(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new JournalError(`journal entry ${entry.id} was written at the same time by another process; try again`);
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Removes an entry whose edit was refused before it touched any file. */
export async function removeEntry(root: string, id: string): Promise<void> {
  await unlink(await entryPath(root, id));
}

/** The next id: a sequence number (orders entries made within one second) and the UTC time. */
export function nextEntryId(entries: JournalEntry[], time: Date): string {
  const last = entries.at(-1);
  const sequence = last ? Number(last.id.slice(0, 6)) + 1 : 1;
  const stamp = time
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${String(sequence).padStart(6, '0')}-${stamp}`;
}

/**
 * Each entry's state. Newest first: an entry is rolled back when a later rollback that is itself
 * still applied undoes it, so undoing a rollback makes the original migration applied again.
 */
export function entryStates(entries: JournalEntry[]): Map<string, EntryState> {
  const states = new Map<string, EntryState>();
  for (const entry of [...entries].reverse()) {
    const undoneBy = entries.find(
      (later) => later.undoes === entry.id && later.id > entry.id && states.get(later.id)?.state === 'applied',
    );
    states.set(entry.id, undoneBy ? { state: 'rolled back', by: undoneBy.id } : { state: 'applied' });
  }
  return states;
}
