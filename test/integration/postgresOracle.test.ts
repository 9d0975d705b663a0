/**
 * The database is the oracle: every corpus statement is PREPAREd (or, for statements PREPARE does
 * not take, run) on the real PostgreSQL inside a transaction that is rolled back; its SQLSTATE
 * and position are the expected verdict. `analyzeSql` must agree: no error or warning on what the
 * database accepts, and the right code on the right identifier for what it rejects.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import type { Finding } from '../../server/src/sql/findings';
import { databaseVerdict, loadCorpus, oracleSchema } from '../fixtures/sql/postgres/oracle';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

const corpus = loadCorpus();

const EXPECTED_CODE: Record<string, string[]> = {
  '42601': ['syntax-error', 'column-count-mismatch'],
  '42P01': ['unknown-table', 'unknown-schema'],
  '3F000': ['unknown-schema'],
  '42703': ['unknown-column'],
  '42702': ['ambiguous-column'],
};

let db: TestDatabase;
let client: pg.Client;
let snapshot: SchemaSnapshot;

before(async () => {
  db = await createPostgresDatabase(oracleSchema());
  client = new pg.Client({ ...pgServer, database: db.name });
  await client.connect();
  const parsed = parseConnection({ name: 'oracle', driver: 'postgres', ...pgServer, database: db.name }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
  try {
    snapshot = (await driver.discover()).snapshot;
  } finally {
    await driver.close();
  }
});

after(async () => {
  await client?.end().catch(() => undefined);
  await db?.drop();
});

/** True when `f` sits on the name the database points at: the dotted chain starting at `position`. */
function onIdentifier(statement: string, position: number, f: Finding): boolean {
  // "at end of input" points past the last token: the finding covers that token.
  if (f.start === position || (f.start <= position && position <= f.end)) return true;
  if (f.start < position) return false;
  return /^[\w"$]+(\s*\.\s*[\w"$]+)*\s*\.\s*$/.test(statement.slice(position, f.start));
}

test(`analyzeSql agrees with PostgreSQL on ${corpus.length} statements`, async () => {
  const falseErrors: string[] = [];
  const misses: string[] = [];
  const otherRejections: string[] = [];
  const unfounded: string[] = [];
  let accepted = 0;
  let agreed = 0;
  for (const statement of corpus) {
    const verdict = await databaseVerdict(client, statement);
    const { findings } = await analyzeSql(statement, { dialect: 'postgres', snapshot });
    const blocking = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    const describe = (): string =>
      `${statement}\n    database: ${verdict.ok ? 'accepts' : `${verdict.code} ${verdict.message} @${verdict.position}`}\n    ours: ${findings.map((f) => `${f.code} @${f.start} ${f.message}`).join(' | ') || 'none'}`;
    if (verdict.ok) {
      accepted++;
      if (blocking.length > 0) falseErrors.push(describe());
      else agreed++;
      continue;
    }
    const expected = EXPECTED_CODE[verdict.code ?? ''];
    if (!expected) {
      // A rejection we do not model (types, functions, grouping): saying nothing is fine, but an
      // error of ours must be a real one, where the database points, not a wrong one that happens
      // to land on a wrong statement.
      otherRejections.push(describe());
      const { position } = verdict;
      const real = position === undefined || blocking.some((f) => onIdentifier(statement, position, f));
      if (blocking.length === 0 || real) agreed++;
      else unfounded.push(describe());
      continue;
    }
    const hit = blocking.find(
      (f) =>
        expected.includes(f.code) && (verdict.position === undefined || onIdentifier(statement, verdict.position, f)),
    );
    if (hit) agreed++;
    else misses.push(describe());
  }
  const rate = ((agreed / corpus.length) * 100).toFixed(1);
  process.stdout.write(
    `PostgreSQL oracle: ${corpus.length} statements, ${accepted} accepted by the database, ${corpus.length - accepted} rejected; ` +
      `agreement ${agreed}/${corpus.length} (${rate} %); false errors ${falseErrors.length}; missed ${misses.length}; ` +
      `rejections outside our codes ${otherRejections.length} (our errors elsewhere on them ${unfounded.length})\n`,
  );
  assert.equal(
    accepted >= 120 && corpus.length - accepted >= 120,
    true,
    'the corpus must be about half valid, half wrong',
  );
  if (process.env.ORACLE_VERBOSE) process.stdout.write(`${[...falseErrors, ...misses, ...unfounded].join('\n')}\n`);
  assert.deepEqual(falseErrors, [], 'statements the database accepts must get no error');
  assert.deepEqual(misses, [], 'statements the database rejects must get the right finding on the right identifier');
  assert.deepEqual(unfounded, [], 'on a rejection we do not model, an error of ours must be where the database points');
});
