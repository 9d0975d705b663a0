import type { StatementDescription } from '../db/driver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { describerFor } from '../resultTypes/offlineDescribe';
import { rowFields, type RowField } from '../resultTypes/rowType';
import { splitStatements, type StatementSpan } from '../sql/splitStatements';
import type { Session } from './session';
import type { SqlAtOffset } from './sqlAtOffset';

/** What the statement under a cursor returns, as the live server (or, offline, the snapshot) describes it. */
export interface ResultTypeAt {
  /** The statement, in the coordinates of `sql.text`. */
  statement: StatementSpan;
  description: StatementDescription;
  fields: RowField[];
}

/**
 * The result row and parameters of the statement at the cursor, from the connection's live
 * server (Parse/Describe or COM_STMT_PREPARE, never executed) or the snapshot's certain facts.
 * Undefined when neither can describe it: no type is better than a guessed one.
 */
export async function resultTypeAt(
  session: Session,
  uri: string,
  sql: SqlAtOffset,
  cache: DescribeCache,
): Promise<ResultTypeAt | undefined> {
  // Without a server that can describe, what the snapshot makes certain (PostgreSQL only).
  const liveCheck = session.settingsFor(uri).validation.liveCheck;
  const describer = describerFor(liveCheck, session.connectionFor(uri)?.describer, sql.snapshot);
  if (!describer) return undefined;
  const dialect = sql.snapshot.dialect;
  const statement = splitStatements(sql.text, dialect).find((s) => sql.offset >= s.start && sql.offset <= s.end);
  if (!statement || statement.unterminated) return undefined;
  const description = await cache.describe(describer, sql.snapshot, statement.text);
  return description && { statement, description, fields: rowFields(description, dialect) };
}
