/**
 * Which front parses which dialect. A dialect without a front gets every statement reported as
 * not checked (Information), never as clean and never as an error.
 */
import type { Dialect, ServerFacts } from '../schema/snapshot';
import type { DialectFront } from './front';
import { createMysqlFront, mysqlFront } from './mysql/mysqlFront';
import { postgresFront } from './postgres/postgresFront';

const fronts: Partial<Record<Dialect, DialectFront>> = {
  postgres: postgresFront,
  mysql: mysqlFront,
};

const unsupported: DialectFront = {
  ready: () => Promise.resolve(),
  parse: () => ({ kind: 'not-checked', reason: 'no SQL parser is available for this dialect yet' }),
};

/** The front for `dialect`; `server` (from the snapshot) tells MySQL from MariaDB and their SQL modes. */
export function frontFor(dialect: Dialect, server?: ServerFacts): DialectFront {
  if (dialect === 'mysql' && server) return createMysqlFront(server);
  return fronts[dialect] ?? unsupported;
}
