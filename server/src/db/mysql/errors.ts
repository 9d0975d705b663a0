import type { ConnectionSettings } from '../../config/connectionSettings';
import { DatabaseError } from '../driver';
import { passwordAdvice } from '../password';

interface Mysql2LikeError {
  code?: string;
  errno?: number;
  message?: string;
  fatal?: boolean;
}

/** Error codes after which the session is gone: the driver forgets it and reconnects next time. */
const CONNECTION_LOST = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ECONNRESET',
  'EPIPE',
]);

/**
 * Server errors about the server or the moment, not about the statement: a lock wait timeout
 * (1205) or deadlock (1213), a statement timeout (MariaDB 1969, MySQL 3024), an interrupted query
 * (1317), resources (1037, 1038, 1040, 1041) and a lost server (2006, 2013). A live check that
 * meets one has no verdict on the statement.
 */
const SERVER_CONDITIONS = new Set([1205, 1213, 1969, 3024, 1317, 1037, 1038, 1040, 1041, 2006, 2013]);

export function isMysqlServerCondition(errno: number): boolean {
  return SERVER_CONDITIONS.has(errno);
}

/** The statement timeout passed, by the server's own limit or the client's deadline. */
export function mysqlTimeout(s: ConnectionSettings, cause?: unknown): DatabaseError {
  return new DatabaseError(
    'timeout',
    `MySQL/MariaDB at ${s.host}:${s.port} did not answer within the statement timeout (${s.statementTimeoutMs} ms). Raise statementTimeoutMs if the schema is very large.`,
    { cause },
  );
}

/** Opening the session (handshake and session settings) passed the connect timeout. */
export function mysqlConnectTimeout(s: ConnectionSettings, cause?: unknown): DatabaseError {
  return new DatabaseError(
    'timeout',
    `Cannot reach MySQL/MariaDB at ${s.host}:${s.port}: no answer within the connect timeout (${s.connectTimeoutMs} ms). Check host, port and any firewall, or raise connectTimeoutMs.`,
    { cause },
  );
}

/** Turns whatever `mysql2` threw into a sentence that says what happened and what to fix. Never includes a password. */
export function describeMysqlError(error: unknown, s: ConnectionSettings): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = (error ?? {}) as Mysql2LikeError;
  const where = `MySQL/MariaDB at ${s.host}:${s.port}`;
  const text = e.message ?? String(error);
  const make = (kind: DatabaseError['kind'], message: string) => new DatabaseError(kind, message, { cause: error });
  switch (e.code) {
    case 'ECONNREFUSED':
      return make(
        'unreachable',
        `Cannot reach ${where}: connection refused. Is the server running, and are host and port right?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(
        'unreachable',
        `Cannot reach ${where}: the host name does not resolve. Check liveSchema.connections → host.`,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return make('unreachable', `Cannot reach ${where}: ${e.code}. Check the host and any VPN or firewall.`);
    case 'ETIMEDOUT':
      return mysqlConnectTimeout(s, error);
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return make(
        'auth',
        `${where} refused user "${s.user}" (wrong password or no such user from this host). ${passwordAdvice(s, 'LIVE_SCHEMA_PASSWORD (CLI and MCP)')}`,
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return make(
        'auth',
        `${where}: user "${s.user}" may not use database "${s.database}". Grant SELECT on it or pick another database.`,
      );
    case 'ER_BAD_DB_ERROR':
      return make(
        'missing-database',
        `${where} has no database "${s.database}". Check liveSchema.connections → database.`,
      );
    case 'ER_CON_COUNT_ERROR':
      return make('unreachable', `${where} has too many connections open; try again when some have closed.`);
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return make(
        'unreachable',
        `${where} does not offer SSL; set liveSchema.connections → ssl to "disable" or enable SSL on the server.`,
      );
    case 'ER_STATEMENT_TIMEOUT': // MariaDB max_statement_time
    case 'ER_QUERY_TIMEOUT': // MySQL max_execution_time
      return mysqlTimeout(s, error);
    case 'ER_LOCK_WAIT_TIMEOUT':
    case 'ER_LOCK_DEADLOCK':
      return make(
        'timeout',
        `${where} is busy: another session holds a lock this statement needs (error ${e.errno}). Nothing was judged; try again when the lock is released.`,
      );
  }
  if (e.code !== undefined && CONNECTION_LOST.has(e.code)) {
    return make(
      'connection-lost',
      `The connection to ${where} was lost (${text}). It is reopened on the next refresh.`,
    );
  }
  if (/closed state|connection.*(closed|lost)/i.test(text)) {
    return make(
      'connection-lost',
      `The connection to ${where} was lost (${text}). It is reopened on the next refresh.`,
    );
  }
  return make('query', `${where} reported an error: ${text}`);
}

/** Whether the session is unusable after this error, so the next call must open a new one. */
export function isFatalMysqlError(error: unknown): boolean {
  const e = (error ?? {}) as Mysql2LikeError;
  return e.fatal === true || (e.code !== undefined && CONNECTION_LOST.has(e.code));
}
