import type pg from 'pg';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { passwordToSend } from '../password';
import {
  DatabaseError,
  type DiscoveryResult,
  type PasswordProvider,
  type PrepareChecker,
  type PrepareProblem,
  type Queryable,
  type SchemaDriver,
  type StatementDescriber,
  type StatementDescription,
} from '../driver';
import { endWithin, SERVER_ANSWERS_FIRST_MS, withDeadline } from '../bounded';
import { SerialQueue } from '../serialQueue';
import { CatalogVersionTier } from './catalogVersions';
import { describeOnServer, describePostgresStatement } from './describeStatement';
import { describePostgresError, isPostgresServerCondition, postgresTimeout } from './errors';
import { postgresFingerprintQuery } from './fingerprintQuery';
import { introspectPostgres, POSTGRES_QUERY_COUNT } from './introspect';

/**
 * A PostgreSQL server. Every session is read-only from its first statement
 * (`default_transaction_read_only` is a startup option) and carries a statement timeout,
 * so nothing this driver sends can change the user's database or run unbounded. Every query
 * also has a client-side deadline: a connection that passes it is destroyed (a stalled one would
 * stay busy forever) and the next call opens a fresh one.
 */
export class PostgresDriver implements SchemaDriver, PrepareChecker, StatementDescriber {
  private client: pg.Client | undefined;
  private readonly queue = new SerialQueue();
  private readonly catalogVersions = new CatalogVersionTier();

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly passwords: PasswordProvider,
  ) {}

  discover(): Promise<DiscoveryResult> {
    return this.queue.run(() => this.discoverNow());
  }

  fingerprint(): Promise<string> {
    return this.queue.run(() => this.fingerprintNow());
  }

  /**
   * Lets the server judge one statement without running it: PREPARE inside a READ ONLY
   * transaction that is always rolled back, then DEALLOCATE (prepared statements outlive
   * transactions). The extended query protocol refuses a second command, so nothing after a
   * stray `;` can run.
   */
  prepareCheck(sql: string): Promise<PrepareProblem | undefined> {
    return this.queue.run(() => this.prepareCheckNow(sql));
  }

  /**
   * The result columns and parameter types of one statement, from Parse/Describe on the same
   * read-only session and queue (never Bind/Execute). A statement the server rejects throws.
   */
  describe(sql: string): Promise<StatementDescription> {
    return this.queue.run(async () => {
      const client = await this.connect();
      try {
        const raw = await describeOnServer(client, sql);
        return await describePostgresStatement(raw, sql, (text, params) => this.run(text, params));
      } catch (error) {
        throw error instanceof DatabaseError ? error : describePostgresError(error, this.settings);
      }
    });
  }

  private async discoverNow(): Promise<DiscoveryResult> {
    const started = performance.now();
    const snapshot = await this.inReadOnlySnapshot((query) =>
      introspectPostgres(query, this.settings.schemas, 'postgres'),
    );
    return { snapshot, queryCount: POSTGRES_QUERY_COUNT, durationMs: performance.now() - started, warnings: [] };
  }

  private async fingerprintNow(): Promise<string> {
    return this.catalogVersions.fingerprint(
      (sql, params) => this.run(sql, params),
      async () => String((await this.run(postgresFingerprintQuery, [this.settings.schemas]))[0]?.fingerprint),
    );
  }

  /** Runs a callback inside one REPEATABLE READ, READ ONLY transaction so every catalog query sees the same moment. */
  private async inReadOnlySnapshot<T>(work: (query: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await this.query(client, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work((sql, params) => this.run(sql, params));
      await this.query(client, 'COMMIT');
      return result;
    } catch (error) {
      await this.rollback(client);
      throw describePostgresError(error, this.settings);
    }
  }

  private async run(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const client = await this.connect();
    try {
      return (await this.query(client, sql, params)).rows as Record<string, unknown>[];
    } catch (error) {
      throw describePostgresError(error, this.settings);
    }
  }

  /** One query within the statement timeout; past it the connection is destroyed, not reused. */
  private query(client: pg.Client, sql: string | pg.QueryConfig, params?: readonly unknown[]): Promise<pg.QueryResult> {
    return withDeadline(
      client.query(sql, params as unknown[] | undefined),
      this.settings.statementTimeoutMs + SERVER_ANSWERS_FIRST_MS,
      () => {
        this.drop(client);
        return this.stalled(postgresTimeout(this.settings));
      },
    );
  }

  /** Ends the transaction; on a connection already dropped there is nothing to roll back, and no reason to wait. */
  private async rollback(client: pg.Client): Promise<void> {
    if (this.client === client) await this.query(client, 'ROLLBACK').catch(() => undefined);
  }

  /** A timeout is shared with the work queued behind it: on a stalled network it would only time out again. */
  private stalled(error: DatabaseError): DatabaseError {
    this.queue.failWaiting(error);
    return error;
  }

  /** Forgets the connection and destroys its socket at once: no goodbye, which a stalled network would swallow. */
  private drop(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.connection.stream.destroy();
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const s = this.settings;
    const password = await passwordToSend(s, this.passwords);
    // Loaded on the first connection: a restarted editor checks from the cached schema before it.
    const { Client } = (await import('pg')).default;
    const client = new Client(postgresClientConfig(s, password));
    // A connection that dies while idle must not crash the process: forget it, reconnect next time.
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      const failure = describePostgresError(error, s);
      throw failure.kind === 'timeout' ? this.stalled(failure) : failure;
    }
    this.client = client;
    return client;
  }

  private async prepareCheckNow(sql: string): Promise<PrepareProblem | undefined> {
    const client = await this.connect();
    const prefix = 'PREPARE live_schema_check AS ';
    try {
      await this.query(client, 'BEGIN READ ONLY');
      await this.query(client, { text: prefix + sql, queryMode: 'extended' } as pg.QueryConfig);
      await this.query(client, 'DEALLOCATE live_schema_check');
      return undefined;
    } catch (error) {
      const e = error as { code?: unknown; message?: string; position?: string };
      // Connection trouble, timeouts, lock waits and resources are not the statement's fault: no verdict.
      if (typeof e.code !== 'string' || isPostgresServerCondition(e.code))
        throw describePostgresError(error, this.settings);
      const position = e.position === undefined ? NaN : Number(e.position) - prefix.length;
      return { code: e.code, message: e.message ?? '', ...(position > 0 ? { position } : {}) };
    } finally {
      await this.rollback(client);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await endWithin(client.connection.stream, () => client.end(), this.settings.connectTimeoutMs);
  }
}

/**
 * The client configuration every session uses: read-only from the first statement, bounded by
 * connect, statement and lock timeouts. Exported so a test can prove a write is refused.
 */
export function postgresClientConfig(s: ConnectionSettings, password: string | null | undefined): pg.ClientConfig {
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    database: s.database,
    // Undefined lets pg fall back to PGPASSWORD and ~/.pgpass, as psql does; a function is the only
    // way to stop that fallback (an empty string would not), and it runs only if the server asks.
    password: password === null ? () => '' : password,
    ssl: s.ssl === 'disable' ? false : { rejectUnauthorized: s.ssl === 'verify-full' },
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    lock_timeout: Math.min(s.statementTimeoutMs, 2_000),
    application_name: 'live-schema',
    options: '-c default_transaction_read_only=on',
  };
}
