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
import { liveCheck } from '../../server/src/sql/liveCheck/liveCheck';
import type { Finding } from '../../server/src/sql/findings';
import {
  databaseVerdict,
  loadCorpus,
  oracleSchema,
  typesAndFunctionsClasses,
  type Verdict,
} from '../fixtures/sql/postgres/oracle';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';

const corpus = loadCorpus();

/** The statements of `typesAndFunctions.txt` by class (`-- class: function`), for per-class figures. */
const classes = typesAndFunctionsClasses();
/** The finding each class is about. */
const CLASS_CODE: Record<string, string> = {
  function: 'unknown-function',
  comparison: 'type-mismatch',
  assignment: 'type-mismatch',
};

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
let driver: PostgresDriver;
/** The database's verdict per statement, asked once. */
const verdicts = new Map<string, Verdict>();

before(async () => {
  db = await createPostgresDatabase(oracleSchema());
  client = new pg.Client({ ...pgServer, database: db.name });
  await client.connect();
  const parsed = parseConnection({ name: 'oracle', driver: 'postgres', ...pgServer, database: db.name }, {}, 'test');
  if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
  driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
  snapshot = (await driver.discover()).snapshot;
  for (const statement of corpus) verdicts.set(statement, await databaseVerdict(client, statement));
});

after(async () => {
  await driver?.close();
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
  const classFigures = new Map(
    [...classes.keys()].map((name) => [name, { found: 0, rejected: 0, falseErrors: 0, accepted: 0 }]),
  );
  for (const statement of corpus) {
    const verdict = verdicts.get(statement) as Verdict;
    const { findings } = await analyzeSql(statement, { dialect: 'postgres', snapshot });
    const blocking = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    const describe = (): string =>
      `${statement}\n    database: ${verdict.ok ? 'accepts' : `${verdict.code} ${verdict.message} @${verdict.position}`}\n    ours: ${findings.map((f) => `${f.code} @${f.start} ${f.message}`).join(' | ') || 'none'}`;
    for (const [name, statements] of classes) {
      if (!statements.includes(statement)) continue;
      const figures = classFigures.get(name) as {
        found: number;
        rejected: number;
        falseErrors: number;
        accepted: number;
      };
      if (verdict.ok) {
        figures.accepted++;
        if (blocking.length > 0) figures.falseErrors++;
      } else {
        figures.rejected++;
        if (blocking.some((f) => f.code === CLASS_CODE[name])) figures.found++;
        else if (process.env.ORACLE_VERBOSE) process.stdout.write(`not found (${name}): ${describe()}\n`);
      }
    }
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
  for (const [name, f] of classFigures) {
    process.stdout.write(
      `  offline, class ${name} (${CLASS_CODE[name]}): found ${f.found}/${f.rejected} rejected; false errors ${f.falseErrors}/${f.accepted} accepted\n`,
    );
    // The statements the class's rule is written for (the rest are overloads and forms it leaves alone).
    assert.ok(f.found >= f.rejected * 0.75, `${name}: found only ${f.found} of ${f.rejected}`);
  }
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

test('with the live check (the default for live connections): the rejected statements are found, no false error', async () => {
  let rejected = 0;
  let found = 0;
  const falseErrors: string[] = [];
  const notFound: string[] = [];
  for (const statement of corpus) {
    const verdict = verdicts.get(statement) as Verdict;
    const analysis = await analyzeSql(statement, { dialect: 'postgres', snapshot });
    const live = await liveCheck(statement, analysis, 'postgres', driver);
    assert.equal(live.stoppedBecause, undefined);
    const blocking = [...analysis.findings, ...live.findings].filter(
      (f) => f.severity === 'error' || f.severity === 'warning',
    );
    const described = `${statement}\n    database: ${verdict.ok ? 'accepts' : `${verdict.code} ${verdict.message}`}\n    ours: ${blocking.map((f) => `${f.code} ${f.message}`).join(' | ') || 'none'}`;
    if (verdict.ok) {
      if (blocking.length > 0) falseErrors.push(described);
      continue;
    }
    rejected++;
    if (blocking.length > 0) found++;
    else notFound.push(described);
  }
  process.stdout.write(
    `PostgreSQL oracle with the live check: found ${found}/${rejected} rejected (${((100 * found) / rejected).toFixed(1)} %); false errors ${falseErrors.length}/${corpus.length - rejected} accepted\n`,
  );
  for (const miss of notFound) process.stdout.write(`  not found: ${miss}\n`);
  assert.deepEqual(falseErrors, []);
  assert.ok(found >= rejected * 0.95, `recall ${found}/${rejected} is below 95 %`);
});
