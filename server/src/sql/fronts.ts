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

/** MySQL fronts per snapshot's server facts: analyses of one document run once per edit. */
const mysqlFronts = new WeakMap<ServerFacts, DialectFront>();

/** The front for `dialect`; `server` (from the snapshot) tells MySQL from MariaDB and their SQL modes. */
export function frontFor(dialect: Dialect, server?: ServerFacts): DialectFront {
  if (dialect === 'mysql' && server) {
    let front = mysqlFronts.get(server);
    if (!front) mysqlFronts.set(server, (front = createMysqlFront(server)));
    return front;
  }
  return fronts[dialect] ?? unsupported;
}
