/**
 * The live check is on by default for a live connection, and it judges SQL in code too: a
 * statement in TypeScript or Python that offline analysis lets through is PREPAREd on the real
 * database (never executed) and the database's objection lands on the host characters. Run as the
 * built CLI, the way CI runs it; the editor runs the same pipeline (engine/checkFile.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';

const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const SCHEMA = 'CREATE TABLE users (id int PRIMARY KEY, email varchar(80) NOT NULL);\n';

interface Reported {
  file: string;
  code: string;
  text: string;
}

async function runCheck(dir: string, args: string[]): Promise<{ code: number; findings: Reported[]; stderr: string }> {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'check', '--format', 'json', ...args, '.'],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
    );
  });
  const parsed = JSON.parse(stdout) as { findings: { file: string; code: string; start: number; end: number }[] };
  const findings: Reported[] = [];
  for (const f of parsed.findings) {
    const text = await readFile(path.join(dir, f.file), 'utf8');
    findings.push({ file: f.file, code: f.code, text: text.slice(f.start, f.end) });
  }
  return { code, findings, stderr };
}

for (const driver of ['postgres', 'mysql'] as const) {
  describe(`live check in code on ${driver === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let dir: string;
    let db: TestDatabase;
    let url: string;
    // Offline analysis lets both through: `lower` exists (not for integers), and MariaDB's function
    // is in a database outside the snapshot.
    const wrong = driver === 'postgres' ? 'lower(id)' : 'elsewhere_db.nosuchfn(id)';

    before(async () => {
      db = driver === 'postgres' ? await createPostgresDatabase(SCHEMA) : await createMysqlDatabase(SCHEMA);
      url =
        driver === 'postgres'
          ? `postgres://${pgServer.user}@${pgServer.host}:${pgServer.port}/${db.name}`
          : `mysql://${mysqlServer.user}@${mysqlServer.host}:${mysqlServer.port}/${db.name}`;
      dir = await mkdtemp(path.join(tmpdir(), 'ls-live-code-'));
      const marker = driver === 'postgres' ? '$1' : '?';
      await writeFile(
        path.join(dir, 'users.ts'),
        `export const find = (pool: any, email: string) =>\n  pool.query('SELECT ${wrong} FROM users WHERE email = ${marker}', [email]);\n` +
          `export const ok = (pool: any) => pool.query('SELECT id FROM users ORDER BY id');\n`,
      );
      await writeFile(
        path.join(dir, 'users.py'),
        `def find(cur, email):\n    cur.execute("SELECT id, ${wrong} FROM users WHERE email = %s", (email,))\n`,
      );
    });
    after(async () => {
      await db?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('on by default: the database objects to what offline analysis let through, on its characters', async () => {
      const result = await runCheck(dir, ['--url', url]);
      assert.equal(result.code, 1, result.stderr);
      // Both are functions the database finds no match for (`lower` has no integer overload).
      const live = result.findings.filter((f) => f.code === 'unknown-function');
      assert.deepEqual(live.map((f) => f.file).sort(), ['users.py', 'users.ts']);
      for (const f of live) assert.ok(wrong.split('(')[0].endsWith(f.text.split('(')[0]) && f.text.length > 0, f.text);
      assert.equal(
        result.findings.filter((f) => f.code !== 'unknown-function' && f.code !== 'sql-template').length,
        0,
        JSON.stringify(result.findings),
      );
    });

    test('validation.liveCheck: false in the configuration turns it off', async () => {
      await writeFile(path.join(dir, 'live-schema.json'), JSON.stringify({ validation: { liveCheck: false } }));
      try {
        const result = await runCheck(dir, ['--url', url]);
        assert.deepEqual(
          result.findings.filter((f) => f.code === 'unknown-function'),
          [],
        );
      } finally {
        await rm(path.join(dir, 'live-schema.json'));
      }
    });
  });
}
