/**
 * Passwords from `~/.pgpass` (README, "Passwords never live in settings"), through the built CLI
 * as a process with HOME (or PGPASSFILE) pointing at a temporary folder. The real PostgreSQL here
 * trusts loopback logins, so it cannot tell a right password from none: the test logs in to it as
 * a role with a password (the check works, the password appears nowhere in output or files), and a
 * recording server that asks for the password in clear text shows which password the CLI sends.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, type CliRun } from '../support/cli';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
import { startRecordingPostgres } from '../support/recordingServer';

const PASSWORD = `pgpass-${process.pid}-c41e`;
const ROLE = `ls_test_pgpass_${process.pid}`;

/** Runs the built CLI in `cwd` with the user's environment: HOME as given, no password variables. */
function runCli(cwd: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  const base = { ...process.env } as Record<string, string>;
  for (const name of [
    'NODE_OPTIONS',
    'PGPASSWORD',
    'PGPASSFILE',
    'LIVE_SCHEMA_PASSWORD',
    'LIVE_SCHEMA_PASSWORD_TARGETS',
  ])
    delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...base, ...env }, timeout: 30_000 },
      (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Every file under `folder`, as text. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(folder, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'));
}

describe('passwords from ~/.pgpass', () => {
  let db: TestDatabase;
  let home: string;
  let project: string;

  before(async () => {
    db = await createPostgresDatabase('CREATE TABLE orders (id bigint PRIMARY KEY, total_cents integer NOT NULL);');
    await db.admin(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await db.admin(`GRANT SELECT ON orders TO ${ROLE}`);
    home = mkdtempSync(path.join(tmpdir(), 'ls-pgpass-home-'));
    project = mkdtempSync(path.join(tmpdir(), 'ls-pgpass-project-'));
    writeFileSync(path.join(project, 'q.sql'), 'select totl_cents from orders;\n');
  });

  after(async () => {
    await db?.admin(`DROP OWNED BY ${ROLE}`).catch(() => undefined);
    await db?.drop();
    const root = await createPostgresDatabase();
    await root.admin(`DROP ROLE IF EXISTS ${ROLE}`);
    await root.drop();
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  /** Writes a pgpass file (owner-only, or libpq and pg ignore it). */
  function pgpass(file: string, lines: string[]): void {
    writeFileSync(file, `${lines.join('\n')}\n`);
    chmodSync(file, 0o600);
  }

  test('check and snapshot log in to the real PostgreSQL as a role from ~/.pgpass; the password is nowhere', async () => {
    pgpass(path.join(home, '.pgpass'), [`${pgServer.host}:${pgServer.port}:${db.name}:${ROLE}:${PASSWORD}`]);
    const url = `postgres://${ROLE}@${pgServer.host}:${pgServer.port}/${db.name}`;
    const checked = await runCli(project, ['check', 'q.sql', '--url', url], { HOME: home });
    assert.equal(checked.code, 1, checked.stderr);
    assert.match(checked.stdout, /q\.sql:1:8: error unknown-column Column "totl_cents" does not exist on "orders"/);
    const snapshot = await runCli(project, ['snapshot', '--url', url], { HOME: home });
    assert.equal(snapshot.code, 0, snapshot.stderr);
    for (const text of [checked.stdout, checked.stderr, snapshot.stdout, snapshot.stderr, ...filesUnder(project)])
      assert.ok(!text.includes(PASSWORD), 'the password appears in output or a file');
  });

  test('the password of the matching ~/.pgpass line goes to the URL the user gave, and only that one', async () => {
    const fake = await startRecordingPostgres('cleartext');
    try {
      pgpass(path.join(home, '.pgpass'), [
        `127.0.0.1:${fake.port}:other:app:wrong-database-${PASSWORD}`,
        `127.0.0.1:${fake.port}:shop:app:${PASSWORD}`,
      ]);
      const run = await runCli(project, ['check', 'q.sql', '--url', `postgres://app@127.0.0.1:${fake.port}/shop`], {
        HOME: home,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.ok(fake.received().includes(`${PASSWORD}\0`), 'the password of the matching line was sent');
      assert.ok(!fake.received().includes('wrong-database'), 'the line for another database was not');
      assert.ok(!run.stderr.includes(PASSWORD) && !run.stdout.includes(PASSWORD), run.stderr);
    } finally {
      await fake.close();
    }
  });

  test('PGPASSFILE names the file instead of ~/.pgpass', async () => {
    const fake = await startRecordingPostgres('cleartext');
    try {
      const file = path.join(home, 'elsewhere.pgpass');
      pgpass(file, [`*:${fake.port}:*:app:${PASSWORD}`]);
      rmSync(path.join(home, '.pgpass'), { force: true });
      const run = await runCli(project, ['check', 'q.sql', '--url', `postgres://app@127.0.0.1:${fake.port}/shop`], {
        HOME: home,
        PGPASSFILE: file,
      });
      assert.equal(run.code, 2, run.stderr);
      assert.ok(fake.received().includes(`${PASSWORD}\0`), 'the password from PGPASSFILE was sent');
    } finally {
      await fake.close();
    }
  });

  test("a target the project's configuration names gets nothing from ~/.pgpass", async () => {
    const fake = await startRecordingPostgres('cleartext');
    try {
      pgpass(path.join(home, '.pgpass'), [`*:*:*:*:${PASSWORD}`]);
      const config = path.join(project, 'live-schema.json');
      writeFileSync(
        config,
        JSON.stringify({
          connections: [{ name: 'x', host: '127.0.0.1', port: fake.port, user: 'app', database: 'shop' }],
        }),
      );
      const run = await runCli(project, ['check', 'q.sql'], { HOME: home });
      rmSync(config);
      assert.equal(run.code, 2, run.stderr);
      assert.ok(fake.connections() >= 1, 'the CLI did talk to the server');
      assert.ok(!fake.received().includes(PASSWORD), 'a password from ~/.pgpass reached a target the repository chose');
    } finally {
      await fake.close();
    }
  });
});
