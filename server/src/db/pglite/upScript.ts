/**
 * The part of a schema file a migration tool would run to migrate up, with everything else blanked
 * to empty lines, so that PostgreSQL's error positions still point at the right line:
 * - the down half of one-file formats: dbmate (`-- migrate:up` / `-- migrate:down`), goose
 *   (`-- +goose Up` / `-- +goose Down`; its StatementBegin/End markers are plain comments) and
 *   node-pg-migrate's SQL files (`-- Up Migration` / `-- Down Migration`);
 * - psql meta-commands (`\connect`, `\set`, `\restrict` in pg_dump output, …), which are not SQL;
 * - `COPY … FROM stdin` and its data, up to the `\.` line: rows, not schema.
 */
export function upScript(text: string): string {
  const lines = text.split('\n');
  let section: 'up' | 'down' | 'unmarked' = 'unmarked';
  let inCopyData = false;
  return lines
    .map((line) => {
      const marker = SECTION_MARKERS.find((m) => m.pattern.test(line));
      if (marker) {
        section = marker.section;
        return '';
      }
      if (inCopyData) {
        if (/^\\\.\s*$/.test(line)) inCopyData = false;
        return '';
      }
      if (section === 'down') return '';
      if (COPY_FROM_STDIN.test(line)) {
        inCopyData = true;
        return '';
      }
      return /^\s*\\[a-zA-Z!?]/.test(line) ? '' : line;
    })
    .join('\n');
}

const SECTION_MARKERS: { pattern: RegExp; section: 'up' | 'down' }[] = [
  { pattern: /^\s*--\s*migrate:up\b/i, section: 'up' },
  { pattern: /^\s*--\s*migrate:down\b/i, section: 'down' },
  { pattern: /^\s*--\s*\+goose\s+up\b/i, section: 'up' },
  { pattern: /^\s*--\s*\+goose\s+down\b/i, section: 'down' },
  { pattern: /^\s*--\s*up migration\b/i, section: 'up' },
  { pattern: /^\s*--\s*down migration\b/i, section: 'down' },
];

/** pg_dump's data form: the statement and its rows on the lines after it, ended by `\.`. */
const COPY_FROM_STDIN = /^\s*COPY\s+[^;]*\bFROM\s+stdin\b[^;]*;\s*$/i;
