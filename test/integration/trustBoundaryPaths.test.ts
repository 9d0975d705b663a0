/**
 * The repository never makes the CLI read or write outside the workspace (issue 18, items 4–5):
 * the built `live-schema` run as a process in a temporary repository whose symbolic links, journal
 * and settings point into a temporary "outside" folder. Outside files stay untouched, and no
 * message quotes a byte of them.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const BOUND_MS = 60_000;
/** What the outside files hold: no output may contain it. */
const SECRET = 'TOPSECRET-root:x:0:0';

let scratch: string;
/** The repository under test and the folder its links point into, both new for every test. */
let project: string;
let outside: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  scratch = await mkdtemp(path.join(tmpdir(), 'ls-paths-'));
});
after(() => rm(scratch, { recursive: true, force: true }));

beforeEach(async (context) => {
  const name = context.name.replace(/\W+/g, '-').slice(0, 40);
  project = path.join(scratch, name, 'project');
  outside = path.join(scratch, name, 'outside');
  await mkdir(project, { recursive: true });
  await mkdir(outside, { recursive: true });
});

interface Run {
  code: number;
  output: string;
}

/** Runs the built CLI in the project; fails the test when it does not end within its bound. */
function liveSchema(...args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: path.join(scratch, 'user-cache') };
    delete env.NODE_OPTIONS;
    execFile(process.execPath, [cli, ...args], { cwd: project, env, timeout: BOUND_MS }, (error, stdout, stderr) => {
      if (Date.now() - started >= BOUND_MS) reject(new Error(`live-schema ${args.join(' ')} did not end in time`));
      else resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

async function outsideFiles(): Promise<string[]> {
  return (await readdir(outside, { recursive: true })).sort();
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A well-formed journal entry that, rolled back, would write `original` over `current` in `file`. */
function forgedEntry(file: string, current: string, original: string) {
  return {
    version: 1,
    id: '000001-20260101T120000Z',
    time: '2026-01-01T12:00:00.000Z',
    kind: 'migration',
    target: 'kysely',
    description: 'looks harmless',
    files: [
      {
        path: file,
        edits: [
          {
            start: 0,
            end: original.length,
            originalText: original,
            newText: current,
            originalHash: sha256(original),
            newHash: sha256(current),
            newStart: 0,
            contextBefore: '',
            contextAfter: ' world\n',
          },
        ],
      },
    ],
  };
}

describe('rollback and the journal', () => {
  test('rollback refuses a journaled file behind a symlinked folder and leaves it untouched', async () => {
    await writeFile(path.join(outside, 'victim.txt'), 'hello world\n');
    await symlink(outside, path.join(project, 'lnkdir'));
    const journal = path.join(project, '.live-schema/journal');
    await mkdir(journal, { recursive: true });
    const entry = forgedEntry('lnkdir/victim.txt', 'hello', 'HACKD');
    await writeFile(path.join(journal, `${entry.id}.json`), JSON.stringify(entry));

    const result = await liveSchema('rollback', '--last');
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /lnkdir\/victim\.txt lies outside the workspace/);
    assert.equal(await readFile(path.join(outside, 'victim.txt'), 'utf8'), 'hello world\n');
    assert.deepEqual(await readdir(journal), [`${entry.id}.json`], 'no rollback entry was journaled');
  });

  test('a .live-schema that links out of the project receives no journal entry and no migrated edit', async () => {
    const code = [
      "import { pool } from './pool';",
      'export async function ids() {',
      "  const { rows } = await pool.query('select id from customers');",
      '  return rows;',
      '}',
      '',
    ].join('\n');
    await writeFile(path.join(project, 'orders.ts'), code);
    await writeFile(path.join(project, 'live-schema.json'), JSON.stringify({ migrations: { builderImport: './db' } }));
    await symlink(outside, path.join(project, '.live-schema'));

    const migrated = await liveSchema('migrate', 'orders.ts', '--apply');
    assert.equal(migrated.code, 2, migrated.output);
    assert.match(migrated.output, /lies outside the workspace/);
    assert.equal(await readFile(path.join(project, 'orders.ts'), 'utf8'), code);

    const exported = await liveSchema('snapshot');
    assert.equal(exported.code, 2, exported.output);
    assert.match(exported.output, /schema\.json lies outside the workspace/);
    assert.deepEqual(await outsideFiles(), [], 'nothing was written outside');
  });

  test('a journal read through a .live-schema link out of the project is refused', async () => {
    await writeFile(path.join(project, 'victim.txt'), 'hello world\n');
    const entry = forgedEntry('victim.txt', 'hello', 'HACKD');
    await mkdir(path.join(outside, 'journal'));
    await writeFile(path.join(outside, 'journal', `${entry.id}.json`), JSON.stringify(entry));
    await symlink(outside, path.join(project, '.live-schema'));

    const result = await liveSchema('rollback', '--last');
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /\.live-schema\/journal lies outside the workspace/);
    assert.equal(await readFile(path.join(project, 'victim.txt'), 'utf8'), 'hello world\n');
  });

  test('a package.json that links outside does not choose the migration target', async () => {
    const code = [
      "import { pool } from './pool';",
      'export async function ids() {',
      "  const { rows } = await pool.query('select id from customers');",
      '  return rows;',
      '}',
      '',
    ].join('\n');
    await writeFile(path.join(project, 'orders.ts'), code);
    const knexProject = JSON.stringify({ dependencies: { knex: '3.1.0' } });
    await writeFile(path.join(outside, 'package.json'), knexProject);
    await symlink(path.join(outside, 'package.json'), path.join(project, 'package.json'));
    const linked = await liveSchema('migrate', 'orders.ts');
    assert.equal(linked.code, 0, linked.output);
    assert.match(linked.output, /\.selectFrom\('customers'\)/, 'the default target, Kysely');

    await rm(path.join(project, 'package.json'));
    await writeFile(path.join(project, 'package.json'), knexProject);
    const own = await liveSchema('migrate', 'orders.ts');
    assert.doesNotMatch(own.output, /selectFrom/, "the project's own package.json still chooses Knex");
  });

  test('a configured schema module path through a symlinked folder is not written', async () => {
    await symlink(outside, path.join(project, 'generated'));
    await mkdir(path.join(project, 'db'));
    await writeFile(path.join(project, 'db/schema.sql'), 'create table orders (id int primary key);\n');
    await writeFile(
      path.join(project, 'live-schema.json'),
      JSON.stringify({ migrations: { typescriptSchemaModule: 'generated/db.ts' } }),
    );
    const result = await liveSchema('generate');
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /generated\/db\.ts lies outside the workspace/);
    assert.deepEqual(await outsideFiles(), []);
  });
});

describe('schema sources the repository names', () => {
  beforeEach(async () => {
    await writeFile(path.join(outside, 'secret.txt'), `${SECRET}\n`);
    await writeFile(path.join(outside, 'secret.sql'), `${SECRET} create table stolen (id int);\n`);
    await writeFile(path.join(project, 'query.sql'), 'select id from orders;\nselect id from stolen;\n');
  });

  test('a snapshot connection whose path lies outside is refused without quoting the file', async () => {
    for (const snapshotPath of [path.join(outside, 'secret.txt'), '../outside/secret.txt']) {
      await writeFile(
        path.join(project, 'live-schema.json'),
        JSON.stringify({ connections: [{ name: 'snap', driver: 'snapshot', path: snapshotPath }] }),
      );
      const result = await liveSchema('check', 'query.sql');
      assert.equal(result.code, 2, result.output);
      assert.match(result.output, /lies outside the workspace/);
      assert.doesNotMatch(result.output, /TOPSECRET|root:x/);
    }
  });

  test('a schema.json that is a symlink to an outside file is refused without quoting it', async () => {
    await mkdir(path.join(project, '.live-schema'));
    await symlink(path.join(outside, 'secret.txt'), path.join(project, '.live-schema/schema.json'));
    await writeFile(
      path.join(project, 'live-schema.json'),
      JSON.stringify({ connections: [{ name: 'snap', driver: 'snapshot' }] }),
    );
    const result = await liveSchema('check', 'query.sql');
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /schema\.json lies outside the workspace/);
    assert.doesNotMatch(result.output, /TOPSECRET|root:x/);
  });

  test('schemaFiles globs that leave the project are skipped with a note, never applied or quoted', async () => {
    await mkdir(path.join(project, 'db'));
    await writeFile(path.join(project, 'db/schema.sql'), 'create table orders (id int primary key);\n');
    await symlink(path.join(outside, 'secret.sql'), path.join(project, 'db/linked.sql'));
    await writeFile(
      path.join(project, 'live-schema.json'),
      JSON.stringify({
        connections: [{ name: 'embedded', driver: 'pglite', schemaFiles: ['db/*.sql', '../outside/*.sql'] }],
      }),
    );
    const result = await liveSchema('check', 'query.sql', '--format', 'json');
    assert.doesNotMatch(result.output, /TOPSECRET|root:x/);
    assert.match(result.output, /\.\.\/outside\/secret\.sql: skipped, it lies outside the workspace/);
    assert.match(result.output, /db\/linked\.sql: skipped, it lies outside the workspace/);
    assert.match(result.output, /Table \\"stolen\\" does not exist/, 'the outside DDL was not applied');
    assert.doesNotMatch(result.output, /Table \\"orders\\" does not exist/);
  });

  test('a live-schema.json that links outside is refused without quoting it', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(project, 'live-schema.json'));
    const result = await liveSchema('check', 'query.sql');
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /lies outside the workspace/);
    assert.doesNotMatch(result.output, /TOPSECRET|root:x/);
  });
});
