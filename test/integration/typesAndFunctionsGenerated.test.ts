/**
 * Seeded generated cases beside the hand-written `typesAndFunctions.txt`: column-against-literal
 * comparisons and assignments with literals near every edge of the input functions (padding, signs, `0x`, `_`,
 * exponents, NaN and infinity, boolean prefixes, uuid spellings, enum labels in other cases), and
 * calls to built-in and user function names with typos. PostgreSQL's PREPARE is the verdict: what
 * it accepts must get no error; a `type-mismatch` or `unknown-function` must be on a statement it
 * rejects for that reason. `ORACLE_SEED` replays a run; the seed is printed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { Random } from '../support/sqlGenerator/random';

const seed = Number(process.env.ORACLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = 600;

/** Columns of the oracle schema, one per type the comparison check knows, and text (never judged). */
const COLUMNS = [
  ['orders', 'total_cents'],
  ['order_items', 'qty'],
  ['audit.events', 'id'],
  ['sessions', 'active'],
  ['sessions', 'id'],
  ['sessions', 'score'],
  ['sessions', 'ratio'],
  ['orders', 'status'],
  ['customers', 'name'],
  ['"MixedCase"', 'lower_col'],
] as const;

const WORDS = [
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  't',
  'f',
  'y',
  'n',
  'o',
  'of',
  'tru',
  'TRUE',
  'Yes',
  'NaN',
  'nan',
  'inf',
  '-inf',
  'Infinity',
  '+infinity',
  'infinit',
  'new',
  'paid',
  'Paid',
  'shipped',
  'cancelled',
  'canceled',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
  'a0eebc999c0b4ef8bb6d6bb9bd380a11',
  'a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1',
  '0x1F',
  '0o17',
  '0b101',
  '1_000',
  '_1',
  '1__0',
  '1e3',
  '1.5',
  '.5',
  '5.',
  '-',
  '+',
  '',
  '12abc',
  'abc',
  'x',
];
const CHARACTERS = '0123456789abcdefxoABn_.-+ {}e';
const PADDING = ['', '', '', ' ', '  ', '\t'];

const FUNCTIONS = [
  'length',
  'upper',
  'lower',
  'now',
  'abs',
  'round',
  'coalesce_x',
  'md5',
  'trim',
  'btrim',
  'order_count',
];
const CALLS: Record<string, string> = {
  length: 'length(name)',
  upper: 'upper(name)',
  lower: 'lower(name)',
  now: 'now()',
  abs: 'abs(id)',
  round: 'round(id)',
  md5: 'md5(name)',
  btrim: 'btrim(name)',
  order_count: 'order_count(id)',
};

function literal(random: Random): string {
  if (random.chance(0.5)) return random.pick(PADDING) + random.pick(WORDS) + random.pick(PADDING);
  let text = '';
  for (let i = random.int(0, 6); i > 0; i--) text += random.pick([...CHARACTERS]);
  return text;
}

function comparison(random: Random): string {
  const [table, column] = random.pick(COLUMNS);
  const value = `'${literal(random)}'`;
  const ref = random.chance(0.5) ? `t.${column}` : column;
  const condition = random.chance(0.2)
    ? `${ref} IN (${value}, '${literal(random)}')`
    : random.chance(0.5)
      ? `${ref} ${random.pick(['=', '<>', '<', '>=', '!='])} ${value}`
      : `${value} ${random.pick(['=', '<>', '>'])} ${ref}`;
  return `SELECT 1 FROM ${table} t WHERE ${condition}`;
}

function assignment(random: Random): string {
  const [table, column] = random.pick(COLUMNS);
  return random.chance(0.5)
    ? `UPDATE ${table} SET ${column} = '${literal(random)}'`
    : `INSERT INTO ${table} (${column}) VALUES ('${literal(random)}')`;
}

function call(random: Random): string {
  const name = random.pick(FUNCTIONS);
  const template = CALLS[name] ?? `${name}(name)`;
  if (random.chance(0.5)) return `SELECT ${template} FROM customers`;
  // A typo: a letter dropped, doubled or swapped.
  const at = random.int(0, name.length - 2);
  const typo = random.pick([
    name.slice(0, at) + name.slice(at + 1),
    name.slice(0, at) + name[at] + name.slice(at),
    name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2),
  ]);
  return `SELECT ${template.replace(name, typo)} FROM customers`;
}

let db: TestDatabase;
let client: pg.Client;
let snapshot: SchemaSnapshot;

before(async () => {
  db = await createPostgresDatabase(
    readFileSync(new URL('../fixtures/sql/postgres/schema.sql', import.meta.url), 'utf8'),
  );
  client = new pg.Client({ ...pgServer, database: db.name });
  await client.connect();
  const parsed = parseConnection({ name: 'generated', driver: 'postgres', ...pgServer, database: db.name }, {}, 'test');
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

async function verdict(statement: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  await client.query('BEGIN');
  try {
    await client.query(`PREPARE generated AS ${statement}`);
    return { ok: true };
  } catch (error) {
    const e = error as { code: string; message: string };
    return { ok: false, code: e.code, message: e.message };
  } finally {
    await client.query('ROLLBACK');
    await client.query('DEALLOCATE ALL');
  }
}

/** The SQLSTATEs each code's statements are rejected with. */
const REASONS: Record<string, string[]> = {
  'type-mismatch': ['22P02'],
  'unknown-function': ['42883'],
  'syntax-error': ['42601'],
};

test(`${COUNT} generated comparisons and calls, judged by PostgreSQL (seed ${seed})`, async (t) => {
  const random = new Random(seed);
  const figures = { accepted: 0, rejected: 0, found: 0 };
  const wrong: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const kind = random.next();
    const statement = kind < 0.55 ? comparison(random) : kind < 0.75 ? assignment(random) : call(random);
    const database = await verdict(statement);
    const { findings } = await analyzeSql(statement, { dialect: 'postgres', snapshot });
    const errors = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    const said = `${statement}\n    database: ${database.ok ? 'accepts' : `${database.code} ${database.message}`}\n    ours: ${errors.map((f) => `${f.code} ${f.message}`).join(' | ') || 'none'}`;
    if (database.ok) {
      figures.accepted++;
      if (errors.length > 0) wrong.push(`false error: ${said}`);
      continue;
    }
    figures.rejected++;
    if (errors.length > 0) figures.found++;
    else if (process.env.ORACLE_VERBOSE) t.diagnostic(`not found: ${said}`);
    for (const f of errors) if (!(REASONS[f.code] ?? []).includes(database.code)) wrong.push(`wrong reason: ${said}`);
  }
  t.diagnostic(
    `seed ${seed}: ${figures.accepted} accepted, ${figures.rejected} rejected; found ${figures.found}/${figures.rejected} offline; ${wrong.length} wrong`,
  );
  assert.deepEqual(wrong, []);
  assert.ok(figures.accepted > COUNT / 5 && figures.rejected > COUNT / 5, 'the generator must produce both verdicts');
});
