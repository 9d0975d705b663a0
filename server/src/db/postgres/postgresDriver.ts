import pg from 'pg';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { passwordFromUrl } from '../../config/connectionSettings';
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
import { SerialQueue } from '../serialQueue';
import { describeOnServer, describePostgresStatement } from './describeStatement';
import { describePostgresError } from './errors';
import { postgresFingerprintQuery } from './fingerprintQuery';
import { introspectPostgres, POSTGRES_QUERY_COUNT } from './introspect';

/**
 * A PostgreSQL server. Every session is read-only from its first statement
 * (`default_transaction_read_only` is a startup option) and carries a statement timeout,
 * so nothing this driver sends can change the user's database or run unbounded.
 */
export class PostgresDriver implements SchemaDriver, PrepareChecker, StatementDescriber {
  private client: pg.Client | undefined;
  private readonly queue = new SerialQueue();

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
    const rows = await this.run(postgresFingerprintQuery, [this.settings.schemas]);
    return String(rows[0]?.fingerprint);
  }

  /** Runs a callback inside one REPEATABLE READ, READ ONLY transaction so every catalog query sees the same moment. */
  private async inReadOnlySnapshot<T>(work: (query: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work((sql, params) => this.run(sql, params));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error instanceof DatabaseError ? error : describePostgresError(error, this.settings);
    }
  }

  private async run(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const client = await this.connect();
    try {
      const result = await client.query(sql, params as unknown[] | undefined);
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      throw describePostgresError(error, this.settings);
    }
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const s = this.settings;
    const client = new pg.Client(postgresClientConfig(s, passwordFromUrl(s) ?? (await this.passwords(s.name))));
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
      throw describePostgresError(error, s);
    }
    this.client = client;
    return client;
  }

  private async prepareCheckNow(sql: string): Promise<PrepareProblem | undefined> {
    const client = await this.connect();
    const prefix = 'PREPARE live_schema_check AS ';
    await client.query('BEGIN READ ONLY');
    try {
      await client.query({ text: prefix + sql, queryMode: 'extended' } as pg.QueryConfig);
      await client.query('DEALLOCATE live_schema_check');
      return undefined;
    } catch (error) {
      const e = error as { code?: unknown; message?: string; position?: string };
      // Connection trouble and cancellation (timeouts) are not the statement's fault.
      if (typeof e.code !== 'string' || /^(08|57)/.test(e.code)) throw describePostgresError(error, this.settings);
      const position = e.position === undefined ? NaN : Number(e.position) - prefix.length;
      return { code: e.code, message: e.message ?? '', ...(position > 0 ? { position } : {}) };
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * The client configuration every session uses: read-only from the first statement, bounded by
 * connect, statement and lock timeouts. Exported so a test can prove a write is refused.
 */
export function postgresClientConfig(s: ConnectionSettings, password: string | undefined): pg.ClientConfig {
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    database: s.database,
    // Undefined lets pg fall back to PGPASSWORD and ~/.pgpass, as psql does.
    password,
    ssl: s.ssl === 'disable' ? false : { rejectUnauthorized: s.ssl === 'verify-full' },
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    query_timeout: s.statementTimeoutMs + 1_000,
    lock_timeout: Math.min(s.statementTimeoutMs, 2_000),
    application_name: 'live-schema',
    options: '-c default_transaction_read_only=on',
  };
}
