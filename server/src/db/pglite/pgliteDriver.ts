import { createHash } from 'node:crypto';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { DatabaseError, type DiscoveryResult, type SchemaDriver } from '../driver';
import { POSTGRES_QUERY_COUNT } from '../postgres/introspect';
import { buildEmbeddedSchema } from './embeddedBuild';
import { findSchemaFiles, type SchemaFileSet } from './schemaFiles';
import { uncertainNames } from './uncertainNames';

/**
 * The embedded PostgreSQL: builds the schema from the project's own DDL and migration files in an
 * embedded PGlite (no server), then reads it with the same catalog queries as `PostgresDriver`.
 * Each file is applied as one unit: a file PostgreSQL rejects, or one that runs too long or breaks
 * PGlite, is reported with its path (and line where known) and leaves nothing half-applied; the
 * files before and after it still count. The build runs in a worker thread (`embeddedBuild.ts`).
 */
export class PgliteDriver implements SchemaDriver {
  constructor(
    private readonly settings: ConnectionSettings,
    /** The folder the `schemaFiles` globs are relative to. */
    private readonly root: string,
  ) {}

  async discover(): Promise<DiscoveryResult> {
    const started = performance.now();
    const found = await findSchemaFiles(this.root, this.settings.schemaFiles);
    if (found.files.length === 0) {
      throw new DatabaseError(
        'schema-files',
        `No schema files found under ${this.root} (looked for ${this.settings.schemaFiles.join(', ')}${found.skipped.length ? `; skipped ${found.skipped.length} unreadable` : ''}).`,
      );
    }
    const { snapshot, failed } = await buildEmbeddedSchema(found.files, this.settings.schemas, {
      buildTimeoutMs: this.settings.buildTimeoutMs,
      fileTimeoutMs: Math.min(this.settings.statementTimeoutMs, this.settings.buildTimeoutMs / 4),
    });
    snapshot.server.database = this.root;
    const uncertain = await uncertainNames(failed);
    if (uncertain) snapshot.uncertain = uncertain;
    return {
      snapshot,
      queryCount: POSTGRES_QUERY_COUNT,
      durationMs: performance.now() - started,
      warnings: [...found.skipped, ...failed.map((f) => f.warning)],
    };
  }

  /** The schema changes exactly when a schema file changes, so the files' content is the fingerprint. */
  async fingerprint(): Promise<string> {
    return fingerprintFiles(await findSchemaFiles(this.root, this.settings.schemaFiles));
  }

  /** Each build's worker ends with the build: nothing stays open. */
  async close(): Promise<void> {}
}

function fingerprintFiles(set: SchemaFileSet): string {
  const hash = createHash('sha256');
  for (const file of set.files) hash.update(file.path).update('\0').update(file.text).update('\0');
  for (const skipped of set.skipped) hash.update(skipped.message).update('\0');
  return hash.digest('hex');
}
