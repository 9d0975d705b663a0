import type { ConnectionSettings } from '../config/connectionSettings';
import type { SchemaSnapshot } from '../schema/snapshot';

/** What a discovery produced, with the cost that the benchmark and the cache statistics report. */
export interface DiscoveryResult {
  snapshot: SchemaSnapshot;
  /** Catalog queries issued: a fixed number per connection, never one per table. */
  queryCount: number;
  durationMs: number;
  /** Problems that did not stop discovery (an embedded schema file that did not apply, …). */
  warnings: DiscoveryWarning[];
}

export interface DiscoveryWarning {
  /** The whole sentence, starting with the file (and line) when there is one: front ends print it as is. */
  message: string;
  /** The file the warning is about, with a 1-based line and column where known. */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A schema source: a live server or the embedded database. Sessions are read-only and every
 * query carries a timeout; `close` releases the connection and is safe to call twice.
 */
export interface SchemaDriver {
  discover(): Promise<DiscoveryResult>;
  /**
   * A cheap value that changes on every schema change (DDL) and never on data-only writes,
   * so a cache can tell whether a full discovery is needed.
   */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A failure the user can act on. `kind` lets front ends group them (state: offline, auth, …)
 * and `message` already says what to fix; it never contains a password.
 */
export class DatabaseError extends Error {
  constructor(
    readonly kind:
      'unreachable' | 'timeout' | 'auth' | 'missing-database' | 'connection-lost' | 'query' | 'schema-files',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseError';
  }
}

/** The smallest query surface shared by `pg`, `mysql2` and PGlite, so catalog code runs on any of them. */
export type Queryable = (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Supplies the password for a connection when it is needed; front ends decide where it lives and
 * answer for the connection's target (driver, host, port, user, database), never its name alone.
 */
export type PasswordProvider = (connection: ConnectionSettings) => Promise<string | undefined>;

/**
 * The database's own objection to a statement it was asked to PREPARE (never execute): the
 * server's error code (PG SQLSTATE, MySQL errno as text), its message, and for PostgreSQL the
 * 1-based character position it points at.
 */
export interface PrepareProblem {
  code: string;
  message: string;
  position?: number;
  /** The server would not judge the statement at all in a read-only session: no verdict, say so. */
  unjudged?: true;
}

/** A driver that can PREPARE a statement, in a read-only transaction that is rolled back, to let the server judge it. */
export interface PrepareChecker {
  prepareCheck(sql: string): Promise<PrepareProblem | undefined>;
}

/**
 * What a statement returns, as the server described it without running it. `type` is the
 * database's own type name (`int4`, `numeric`, `DECIMAL`); `nullable` is false only when the
 * server or catalog makes NULL impossible, so an unsure column is nullable.
 */
export interface DescribedColumn {
  name: string;
  type: string;
  nullable: boolean;
}

export interface StatementDescription {
  columns: DescribedColumn[];
  /** One type name per parameter, in order (`unknown` where the server cannot tell, as MySQL never can). */
  parameters: string[];
}

/** A driver that can describe a statement's result row and parameters without executing it. */
export interface StatementDescriber {
  describe(sql: string): Promise<StatementDescription>;
}
