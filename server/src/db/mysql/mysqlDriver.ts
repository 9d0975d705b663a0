import { createHash } from 'node:crypto';
import net from 'node:net';
import type { ExecuteValues } from 'mysql2';
import type { Connection } from 'mysql2/promise';
import type { ConnectionSettings } from '../../config/connectionSettings';
import { passwordToSend } from '../password';
import {
  DatabaseError,
  type DiscoveryResult,
  type PasswordProvider,
  type PrepareChecker,
  type PrepareProblem,
  type SchemaDriver,
  type StatementDescriber,
  type StatementDescription,
} from '../driver';
import { endWithin, SERVER_ANSWERS_FIRST_MS, withDeadline } from '../bounded';
import { SerialQueue } from '../serialQueue';
import { describeMysqlStatement, type PreparedColumn } from './describeStatement';
import { DdlCounterTier } from './ddlCounters';
import {
  describeMysqlError,
  isFatalMysqlError,
  isMysqlServerCondition,
  mysqlConnectTimeout,
  mysqlTimeout,
} from './errors';
import { mysqlFingerprintQuery } from './fingerprintQuery';
import { introspectMysql } from './introspect';

interface Session {
  connection: Connection;
  /** The session's own socket: `mysql2`'s destroy only half-closes it, which a stalled network never finishes. */
  socket: net.Socket;
  product: 'mysql' | 'mariadb';
}

/**
 * A MySQL or MariaDB server. Each session is made read-only (`SET SESSION TRANSACTION READ
 * ONLY`) and given a statement timeout before the first catalog query; every operation (session
 * setup, query, prepare, rollback, goodbye) also has a client-side deadline, past which the
 * session's socket is destroyed, so a server or network that stops answering cannot hang the
 * caller nor the calls queued behind it. A session that dies (KILL, restart, network, deadline)
 * fails the call in progress and is reopened by the next call.
 */
export class MysqlDriver implements SchemaDriver, PrepareChecker, StatementDescriber {
  private session: Promise<Session> | undefined;
  /** The open session once `session` has settled, so a dead one is forgotten synchronously. */
  private live: Session | undefined;
  /** MariaDB with PROCESS: foreign keys from InnoDB's dictionary. Turned off for good once refused. */
  private innodbForeignKeys = true;
  /** MariaDB: the DDL counters that spare most polls the full hash. */
  private readonly ddlCounters = new DdlCounterTier();
  /** Discovery, fingerprint polls and live checks share one session: one at a time. */
  private readonly queue = new SerialQueue();

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly passwords: PasswordProvider,
  ) {}

  /** The schemas (databases) discovered: the configured list, or the connection's database. */
  private get schemas(): string[] {
    return this.settings.schemas.length > 0 ? this.settings.schemas : [this.settings.database];
  }

  discover(): Promise<DiscoveryResult> {
    return this.queue.run(() => this.discoverNow());
  }

  fingerprint(): Promise<string> {
    return this.queue.run(() => this.fingerprintNow());
  }

  prepareCheck(sql: string): Promise<PrepareProblem | undefined> {
    return this.queue.run(() => this.prepareCheckNow(sql));
  }

  /**
   * The result columns and parameter count of one statement from COM_STMT_PREPARE's metadata,
   * on the same read-only session, queue and timeouts as `prepareCheck` (never executed).
   */
  describe(sql: string): Promise<StatementDescription> {
    return this.queue.run(async () => {
      const session = await this.connect();
      const connection = session.connection;
      try {
        await connection.query('START TRANSACTION READ ONLY');
        const prepared = await connection.prepare({ sql, timeout: this.settings.statementTimeoutMs + 1_000 });
        // The promise wrapper keeps the metadata on the callback API's statement.
        const info = (prepared as unknown as { statement: { columns?: PreparedColumn[]; parameters?: unknown[] } })
          .statement;
        await prepared.close();
        return describeMysqlStatement(info.columns ?? [], info.parameters?.length ?? 0);
      } catch (error) {
        if (isFatalMysqlError(error)) this.forget(session);
        throw describeMysqlError(error, this.settings);
      } finally {
        if (this.live === session) await connection.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  private async discoverNow(): Promise<DiscoveryResult> {
    const started = performance.now();
    const { product } = await this.connect();
    const result = await introspectMysql((sql, params) => this.query(sql, params), this.schemas, {
      product,
      innodbForeignKeys: product === 'mariadb' && this.innodbForeignKeys,
    });
    this.innodbForeignKeys = result.innodbForeignKeys;
    return {
      snapshot: result.snapshot,
      queryCount: result.queryCount,
      durationMs: performance.now() - started,
      warnings: result.warnings,
    };
  }

  private async fingerprintNow(): Promise<string> {
    const { product } = await this.connect();
    if (product !== 'mariadb') return this.hashedFingerprint(product);
    return this.ddlCounters.fingerprint(
      (sql) => this.query(sql),
      () => this.hashedFingerprint(product),
    );
  }

  private async hashedFingerprint(product: Session['product']): Promise<string> {
    const innodb = product === 'mariadb' && this.innodbForeignKeys;
    let fingerprint: unknown;
    try {
      const { sql, params } = mysqlFingerprintQuery(this.schemas, innodb);
      fingerprint = (await this.query(sql, params))[0]?.fingerprint;
    } catch (error) {
      const errno = (error as { cause?: { errno?: number } }).cause?.errno;
      if (!innodb || errno !== 1227) throw error; // 1227: PROCESS privilege missing
      this.innodbForeignKeys = false;
      const { sql, params } = mysqlFingerprintQuery(this.schemas, false);
      fingerprint = (await this.query(sql, params))[0]?.fingerprint;
    }
    return createHash('sha256').update(String(fingerprint)).digest('hex');
  }

  /**
   * Runs one statement on the read-only session. Protected so a test can prove, through a
   * subclass, that the session refuses writes; nothing outside the driver reaches it.
   */
  protected async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    const session = await this.connect();
    try {
      const [rows] = await this.bounded(session, session.connection.execute(sql, params as ExecuteValues[]));
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    } catch (error) {
      if (isFatalMysqlError(error)) this.forget(session);
      throw describeMysqlError(error, this.settings);
    }
  }

  /**
   * Lets the server judge one statement without running it: `COM_STMT_PREPARE` (which cannot
   * execute, nor carry a second statement), then unprepare, inside a transaction that is rolled back.
   * The transaction is always READ ONLY: MariaDB then refuses even to prepare INSERT/UPDATE/DELETE
   * (error 1792), which is no verdict, so those statements get no live check there rather than
   * a session that could write.
   */
  private async prepareCheckNow(sql: string): Promise<PrepareProblem | undefined> {
    const session = await this.connect();
    const connection = session.connection;
    try {
      await this.bounded(session, connection.query('START TRANSACTION READ ONLY'));
      await this.bounded(session, connection.prepare(sql));
      // Unprepare, not close: mysql2 caches prepared statements by text, so a closed one would be
      // handed back for the same text next time, without asking the server again.
      connection.unprepare(sql);
      return undefined;
    } catch (error) {
      const errno = (error as { errno?: unknown }).errno;
      if (isFatalMysqlError(error)) this.forget(session);
      // 1792: the server would not prepare this in a read-only transaction; that is no verdict.
      if (errno === 1792)
        return {
          code: '1792',
          message: 'the server prepares INSERT, UPDATE and DELETE only in a writable transaction',
          unjudged: true,
        };
      // Connection trouble, timeouts, lock waits and resources are not the statement's fault: no verdict.
      if (typeof errno !== 'number' || isFatalMysqlError(error) || isMysqlServerCondition(errno))
        throw describeMysqlError(error, this.settings);
      const message = (error as { sqlMessage?: string; message?: string }).sqlMessage ?? (error as Error).message;
      return { code: String(errno), message };
    } finally {
      // A session the deadline destroyed has no transaction left, and no answer to wait for.
      if (this.live === session) await this.bounded(session, connection.query('ROLLBACK')).catch(() => undefined);
    }
  }

  /** One operation within the statement timeout; past it the session is destroyed, not reused. */
  private bounded<T>(session: Session, work: Promise<T>): Promise<T> {
    return withDeadline(work, this.settings.statementTimeoutMs + SERVER_ANSWERS_FIRST_MS, () => {
      this.forget(session);
      return this.stalled(mysqlTimeout(this.settings));
    });
  }

  /** A timeout is shared with the work queued behind it: on a stalled network it would only time out again. */
  private stalled(error: DatabaseError): DatabaseError {
    this.queue.failWaiting(error);
    return error;
  }

  /** One session at a time: concurrent callers share the connection being opened. */
  private connect(): Promise<Session> {
    this.session ??= this.open().then(
      (session) => (this.live = session),
      (error: unknown) => {
        this.session = undefined;
        throw error instanceof DatabaseError ? error : describeMysqlError(error, this.settings);
      },
    );
    return this.session;
  }

  /**
   * Opens a session: handshake and session settings together within the connect timeout, since a
   * network can stall between any two of them.
   */
  private async open(): Promise<Session> {
    const s = this.settings;
    const password = (await passwordToSend(s, this.passwords)) ?? undefined;
    // Loaded on the first connection: a restarted editor checks from the cached schema before it.
    const { default: mysql } = await import('mysql2');
    const socket = net.connect(s.port, s.host).setNoDelay(true);
    const connection = mysql
      .createConnection({
        stream: socket,
        // Not for connecting (the socket is): TLS verifies the server's certificate against `host`.
        host: s.host,
        port: s.port,
        user: s.user,
        password,
        database: s.database || undefined,
        connectTimeout: s.connectTimeoutMs,
        ssl: s.ssl === 'disable' ? undefined : { rejectUnauthorized: s.ssl === 'verify-full' },
        charset: 'UTF8MB4_GENERAL_CI',
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
      })
      .promise();
    const session: Session = { connection, socket, product: 'mysql' };
    // A session that dies while idle must not crash the process: forget it, reconnect next time.
    connection.on('error', () => this.forget(session));
    const setup = this.setUpSession(session);
    try {
      await withDeadline(setup, s.connectTimeoutMs, () => mysqlConnectTimeout(s));
    } catch (error) {
      this.forget(session);
      const failure = describeMysqlError(error, s);
      throw failure.kind === 'timeout' ? this.stalled(failure) : failure;
    }
    return session;
  }

  /** Learns the product, then makes the session read-only and bounds its statements and lock waits. */
  private async setUpSession(session: Session): Promise<void> {
    const s = this.settings;
    const connection = session.connection;
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = (rows as { version?: string }[])[0]?.version ?? '';
    session.product = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    await connection.query('SET SESSION TRANSACTION READ ONLY');
    // Waiting on a metadata lock held by someone's migration must not outlast the statement timeout.
    const lockWaitSeconds = Math.max(1, Math.ceil(s.statementTimeoutMs / 1_000));
    if (session.product === 'mariadb') {
      await connection.query('SET SESSION max_statement_time = ?, lock_wait_timeout = ?', [
        s.statementTimeoutMs / 1_000,
        lockWaitSeconds,
      ]);
    } else {
      // MySQL 5.7.8+; the client-side deadline still bounds older servers.
      await connection
        .query('SET SESSION max_execution_time = ?, lock_wait_timeout = ?', [s.statementTimeoutMs, lockWaitSeconds])
        .catch((error: { code?: string }) => {
          if (error.code !== 'ER_UNKNOWN_SYSTEM_VARIABLE') throw error;
        });
    }
  }

  /** Drops the session at once: its socket is destroyed, not half-closed, so nothing waits on the server. */
  private forget(session: Session): void {
    if (this.live === session) {
      this.live = undefined;
      this.session = undefined;
    }
    session.connection.destroy();
    session.socket.destroy();
  }

  async close(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    this.live = undefined;
    const session = await pending?.catch(() => undefined);
    if (session) await endWithin(session.socket, () => session.connection.end(), this.settings.connectTimeoutMs);
  }
}
