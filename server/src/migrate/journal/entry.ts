import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/** Where a project keeps its migration journal, relative to the project root. */
export const JOURNAL_FOLDER = path.join('.live-schema', 'journal');

/** A problem with the journal itself (corrupt or hand-edited entry, unknown id): a usage error. */
export class JournalError extends Error {
  override name = 'JournalError';
}

/** sha256 of a text's UTF-8 bytes, hex: what the journal records to notice later changes. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');
const offset = z.number().int().nonnegative();

/** A path relative to the project root that cannot leave it (a hand-edited entry must not reach other files). */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !p.includes('\\') && !p.split('/').includes('..'), {
    message: 'a path inside the project, with "/" separators',
  });

/**
 * One replaced range. Offsets count UTF-16 code units of the file's text (as editors and LSP do):
 * `start`/`end` in the text before the edit, `newStart` in the text after all edits of the entry.
 * The context around the new text lets a later rollback find the range after the user moved it.
 */
export const journalEditSchema = z
  .object({
    start: offset,
    end: offset,
    originalText: z.string(),
    newText: z.string(),
    originalHash: hash,
    newHash: hash,
    newStart: offset,
    contextBefore: z.string(),
    contextAfter: z.string(),
  })
  .strict()
  .refine((e) => e.end - e.start === e.originalText.length, { message: 'end - start must be the original length' });

/** The edits of one entry in one file, in ascending, non-overlapping order. */
export const journalFileSchema = z.object({ path: relativePath, edits: z.array(journalEditSchema).min(1) }).strict();

/** One applied migration, or one rollback (which undoes the entry `undoes` and can itself be rolled back). */
export const journalEntrySchema = z
  .object({
    version: z.literal(1),
    id: z.string().regex(/^\d{6}-\d{8}T\d{6}Z$/, 'a journal id such as 000001-20260101T120000Z'),
    time: z.iso.datetime(),
    kind: z.enum(['migration', 'rollback']),
    target: z.string().min(1),
    description: z.string(),
    undoes: z.string().optional(),
    files: z.array(journalFileSchema).min(1),
  })
  .strict()
  .refine((e) => (e.kind === 'rollback') === (e.undoes !== undefined), {
    message: 'a rollback names the entry it undoes, a migration does not',
  });

export type JournalEdit = z.infer<typeof journalEditSchema>;
export type JournalFile = z.infer<typeof journalFileSchema>;
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** One replacement a migration wants to make, against the file's current text (UTF-16 offsets). */
export interface FileEdit {
  /** Path relative to the project root (either separator). */
  file: string;
  start: number;
  end: number;
  originalText: string;
  newText: string;
}

/** A range whose current text is not what the journal expects: reported, never overwritten. */
export interface JournalConflict {
  file: string;
  /** Where the range is now (best guess when it could not be found). */
  range: { start: number; end: number };
  expected: string;
  actual: string;
  reason: 'changed' | 'ambiguous' | 'missing-file';
}
