import { existsSync } from 'node:fs';
import type { Extensions } from '@electric-sql/pglite';

/**
 * The contrib extensions PGlite ships (`citext`, `pg_trgm`, `uuid-ossp`, `hstore`, `ltree`, …) that
 * the schema files create, ready for PGlite's `extensions` option. Only those named in a
 * `CREATE EXTENSION` are loaded: most projects need none, and each costs start-up time. One PGlite
 * does not ship (PostGIS, …) is left to fail in its file with PostgreSQL's own message.
 */
export function extensionsCreatedBy(texts: readonly string[]): Extensions {
  const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
  const extensions: Extensions = {};
  for (const text of texts) {
    for (const [, quoted, bare] of text.matchAll(CREATE_EXTENSION)) {
      const name = (quoted ?? bare ?? '').toLowerCase();
      const bundlePath = new URL(`./${name}.tar.gz`, dist);
      if (!/^[a-z0-9_-]+$/.test(name) || !existsSync(bundlePath)) continue;
      extensions[name.replaceAll('-', '_')] = { name, setup: () => Promise.resolve({ bundlePath }) };
    }
  }
  return extensions;
}

const CREATE_EXTENSION = /\bCREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"([^"]+)"|([\w-]+))/gi;
