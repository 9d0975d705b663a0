import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { DatabaseError, type DiscoveryResult, type DiscoveryWarning, type SchemaDriver } from '../driver';
import { introspectPostgres, POSTGRES_QUERY_COUNT } from '../postgres/introspect';
import { pgliteAssets } from './pgliteAssets';
import { findSchemaFiles, lineAndColumn, type SchemaFileSet } from './schemaFiles';

/**
 * The embedded PostgreSQL: builds the schema from the project's own DDL and migration files in an
 * in-process PGlite (no server), then reads it with the same catalog queries as `PostgresDriver`.
 * Each file is applied as one unit: a file PostgreSQL rejects is reported with its path, line and
 * message and leaves nothing half-applied; the files before and after it still count.
 */
export class PgliteDriver implements SchemaDriver {
  private database: PGlite | undefined;

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
    await this.close();
    const database = new PGlite(await pgliteAssets());
    this.database = database;
    const warnings: DiscoveryWarning[] = [...found.skipped];
    for (const file of found.files) {
      try {
        await database.exec(file.text);
      } catch (error) {
        warnings.push(describeFileError(error, file.path, file.text));
      }
    }
    const snapshot = await database.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION READ ONLY');
      return introspectPostgres(
        async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params as unknown[])).rows,
        this.settings.schemas,
        'pglite',
      );
    });
    snapshot.server.database = this.root;
    return { snapshot, queryCount: POSTGRES_QUERY_COUNT, durationMs: performance.now() - started, warnings };
  }

  /** The schema changes exactly when a schema file changes, so the files' content is the fingerprint. */
  async fingerprint(): Promise<string> {
    return fingerprintFiles(await findSchemaFiles(this.root, this.settings.schemaFiles));
  }

  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    await database?.close().catch(() => undefined);
  }
}

function fingerprintFiles(set: SchemaFileSet): string {
  const hash = createHash('sha256');
  for (const file of set.files) hash.update(file.path).update('\0').update(file.text).update('\0');
  for (const skipped of set.skipped) hash.update(skipped.message).update('\0');
  return hash.digest('hex');
}

function describeFileError(error: unknown, file: string, text: string): DiscoveryWarning {
  const e = error as { message?: string; position?: string | number };
  const position = Number(e.position);
  const where = Number.isFinite(position) && position > 0 ? lineAndColumn(text, position - 1) : undefined;
  const message = e.message ?? String(error);
  return {
    file,
    line: where?.line,
    column: where?.column,
    message: `${file}${where ? `:${where.line}:${where.column}` : ''}: not applied, PostgreSQL says: ${message}`,
  };
}
