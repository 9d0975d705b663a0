import type { ConnectionSettings } from '../../config/connectionSettings';
import { DatabaseError } from '../driver';
import { passwordAdvice } from '../password';

/**
 * SQLSTATEs about the server or the moment, not about the statement: connection (08), transaction
 * rollback such as a deadlock (40), resources (53), lock not available and object in use (55P03,
 * 55006), cancel, timeout and shutdown (57), system (58) and internal (XX) errors. A live check
 * that meets one has no verdict on the statement.
 */
export function isPostgresServerCondition(code: string): boolean {
  return /^(08|40|53|57|58|XX)/.test(code) || code === '55P03' || code === '55006';
}

/** The statement timeout passed, by the server's cancel or the client's own deadline. */
export function postgresTimeout(s: ConnectionSettings, cause?: unknown): DatabaseError {
  return new DatabaseError(
    'timeout',
    `PostgreSQL at ${s.host}:${s.port} did not answer within the statement timeout (${s.statementTimeoutMs} ms).`,
    { cause },
  );
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Turns whatever `pg` threw into a sentence that says what happened and what to fix. Never includes a password. */
export function describePostgresError(error: unknown, s: ConnectionSettings): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = (error ?? {}) as PgLikeError;
  const where = `PostgreSQL at ${s.host}:${s.port}`;
  const text = e.message ?? String(error);
  // pg's own refusal to answer a SCRAM challenge without a password: the server wants one we did not give.
  if (e.code === undefined && /^SASL: .*client password must be/.test(text))
    return new DatabaseError(
      'auth',
      `${where} asks user "${s.user}" for a password. ${passwordAdvice(s, 'PGPASSWORD')}`,
      {
        cause: error,
      },
    );
  switch (e.code) {
    case 'ECONNREFUSED':
      return new DatabaseError(
        'unreachable',
        `Cannot reach ${where}: connection refused. Is the server running, and are host and port right?`,
        { cause: error },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseError('unreachable', `Cannot reach ${where}: the host name does not resolve.`, {
        cause: error,
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return new DatabaseError(
        'unreachable',
        `Cannot reach ${where}: ${e.code}. Check the host and any VPN or firewall.`,
        { cause: error },
      );
    case '28P01':
    case '28000':
      return new DatabaseError(
        'auth',
        `${where} refused user "${s.user}": ${text}. ${passwordAdvice(s, 'PGPASSWORD')}`,
        { cause: error },
      );
    case '3D000':
      return new DatabaseError(
        'missing-database',
        `${where} has no database "${s.database}". Check liveSchema.connections → database.`,
        { cause: error },
      );
    case '57014':
      return postgresTimeout(s, error);
    case '55P03':
    case '40P01':
      return new DatabaseError(
        'timeout',
        `${where} is busy: another session holds a lock this statement needs (SQLSTATE ${e.code}). Nothing was judged; try again when the lock is released.`,
        { cause: error },
      );
    case '57P01':
    case '57P02':
    case '57P03':
      return new DatabaseError('connection-lost', `${where} closed the connection: ${text}.`, { cause: error });
  }
  if (/^timeout expired$|connection timeout/i.test(text)) {
    return new DatabaseError(
      'timeout',
      `Cannot reach ${where}: no answer within the connect timeout (${s.connectTimeoutMs} ms).`,
      { cause: error },
    );
  }
  if (
    /terminat|ECONNRESET|Connection closed|not queryable/i.test(text) ||
    e.code === 'ECONNRESET' ||
    e.code === 'EPIPE'
  ) {
    return new DatabaseError('connection-lost', `The connection to ${where} was lost: ${text}.`, { cause: error });
  }
  return new DatabaseError('query', `${where} reported an error: ${text}`, { cause: error });
}
