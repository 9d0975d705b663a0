import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Queryable } from '../../server/src/db/driver';
import { DdlCounterTier, ddlCountersQuery, otherStatementsQuery } from '../../server/src/db/mysql/ddlCounters';

/**
 * The tier's decisions, fed the answers a MariaDB server gives. Restarts and FLUSH STATUS cannot be
 * done to the shared test server, so they are given here as what the server then reports: counters
 * back near zero and a new `Uptime_since_flush_status`. The counters themselves are proven on the
 * real server in test/integration/mariadbDdlCounters.test.ts.
 */
interface ServerState {
  now: number;
  sinceReset: number;
  ddl: number;
  running: number;
  seesAll: number;
  schema: string;
}

function server(state: ServerState): { query: Queryable; fullHash: () => Promise<string>; hashes: () => number } {
  let hashes = 0;
  const query: Queryable = (sql) => {
    if (sql === ddlCountersQuery)
      return Promise.resolve([{ server_now: state.now, since_reset: state.sinceReset, ddl_statements: state.ddl }]);
    if (sql === otherStatementsQuery) return Promise.resolve([{ sees_all: state.seesAll, running: state.running }]);
    throw new Error(`unexpected query ${sql}`);
  };
  return {
    query,
    fullHash: () => {
      hashes++;
      return Promise.resolve(`hash of ${state.schema}`);
    },
    hashes: () => hashes,
  };
}

const later = (state: ServerState, seconds: number) => {
  state.now += seconds;
  state.sinceReset += seconds;
};

describe('the DDL counter tier in front of the MariaDB fingerprint', () => {
  const start = (): ServerState => ({ now: 1_000_000, sinceReset: 500, ddl: 40, running: 0, seesAll: 1, schema: 'v1' });

  test('unchanged counters answer without the full hash; a DDL counter move runs it', async () => {
    const state = start();
    const s = server(state);
    const tier = new DdlCounterTier();
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v1');
    later(state, 30);
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v1');
    assert.equal(s.hashes(), 1);
    state.ddl += 1;
    state.schema = 'v2';
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v2');
    assert.equal(s.hashes(), 2);
  });

  test('a restart between two polls is noticed even when the counters climb back to the same sum', async () => {
    const state = start();
    const s = server(state);
    const tier = new DdlCounterTier();
    await tier.fingerprint(s.query, s.fullHash);
    // Restarted 20 s later; by the next poll, 40 DDL statements (some of them schema changes) since.
    state.now += 50;
    state.sinceReset = 30;
    state.schema = 'v2';
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v2');
    assert.equal(s.hashes(), 2);
  });

  test('FLUSH STATUS right after a poll is noticed (baseline kept only 3 s after a reset)', async () => {
    const state = { ...start(), sinceReset: 1 };
    const s = server(state);
    const tier = new DdlCounterTier();
    await tier.fingerprint(s.query, s.fullHash); // 1 s after a reset: not a baseline
    later(state, 1);
    state.schema = 'v2';
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v2');
    later(state, 30);
    state.sinceReset = 0.5; // flushed, and the DDL counted since sum to the old value
    state.schema = 'v3';
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v3');
    assert.equal(s.hashes(), 3);
  });

  test('a DDL still running in another session when its counter moved is not trusted as landed', async () => {
    const state = start();
    const s = server(state);
    const tier = new DdlCounterTier();
    await tier.fingerprint(s.query, s.fullHash);
    state.ddl += 1; // an ALTER started: counted, not yet applied
    state.running = 1;
    later(state, 30);
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v1');
    state.running = 0; // it lands; the counters do not move again
    state.schema = 'v2';
    later(state, 30);
    assert.equal(await tier.fingerprint(s.query, s.fullHash), 'hash of v2');
  });

  test('without PROCESS (other sessions unseen) every poll is a full hash', async () => {
    const state = { ...start(), seesAll: 0 };
    const s = server(state);
    const tier = new DdlCounterTier();
    for (let i = 0; i < 3; i++) {
      await tier.fingerprint(s.query, s.fullHash);
      later(state, 30);
    }
    assert.equal(s.hashes(), 3);
  });

  test('a full hash at least every 10 minutes, whatever the counters say', async () => {
    const state = start();
    const s = server(state);
    const tier = new DdlCounterTier();
    await tier.fingerprint(s.query, s.fullHash, 0);
    state.schema = 'v2'; // changed behind the server's back (files copied in)
    assert.equal(await tier.fingerprint(s.query, s.fullHash, 5 * 60_000), 'hash of v1');
    assert.equal(await tier.fingerprint(s.query, s.fullHash, 10 * 60_000), 'hash of v2');
  });
});
