/**
 * `live-schema check` on untrusted input (issue 18 items 12–13), run as the built CLI: files it
 * cannot read within bounds (a dump over the size cap, a FIFO, `/dev/zero`) are skipped with a
 * note, and the findings of every other file are still reported.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli';

const SCHEMA = 'CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL);\n';

let dir: string;

const run = (args: string[]) => runCli(dir, ['check', ...args], { timeout: 60_000 });

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-check-bounds-'));
  await mkdir(path.join(dir, 'db'));
  await writeFile(path.join(dir, 'db/schema.sql'), SCHEMA);
  await writeFile(path.join(dir, 'bad.sql'), 'select totl_cents from orders;\n');
  // 2 MB of valid statements: over a 1 MB cap.
  await writeFile(path.join(dir, 'dump.sql'), 'select id from orders;\n'.repeat(100_000));
  execFileSync('mkfifo', [path.join(dir, 'pipe.sql')]);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a file over the size cap, a FIFO and /dev/zero are skipped with a note; the other file is still checked', async () => {
  const result = await run([
    'bad.sql',
    'dump.sql',
    'pipe.sql',
    '/dev/zero',
    '--schema-files',
    'db',
    '--max-file-size-mb',
    '1',
    '--format',
    'json',
  ]);
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as {
    findings: { file: string; line: number; column: number; code: string }[];
    notes: { file: string; message: string }[];
  };
  assert.deepEqual(
    report.findings.map((f) => [f.file, f.line, f.column, f.code]),
    [['bad.sql', 1, 8, 'unknown-column']],
  );
  assert.deepEqual(report.notes, [
    { file: 'dump.sql', message: 'skipped: 2.2 MB, over the 1.0 MB limit (--max-file-size-mb)' },
    { file: 'pipe.sql', message: 'skipped: not a regular file (a FIFO)' },
    { file: '/dev/zero', message: 'skipped: not a regular file (a device)' },
  ]);
});

test('the text report says which files were skipped and why, next to the findings', async () => {
  const result = await run(['bad.sql', 'pipe.sql', '--schema-files', 'db']);
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.ok(lines.includes('pipe.sql: note: skipped: not a regular file (a FIFO)'), result.stdout);
  assert.equal(lines.at(-1), '1 file checked (1 skipped): 1 error, 0 other findings.');
});

test('SARIF carries the skipped files as tool notifications and the exit code in its invocation', async () => {
  const result = await run(['bad.sql', 'pipe.sql', '--schema-files', 'db', '--format', 'sarif']);
  assert.equal(result.code, 1, result.stderr);
  const sarif = JSON.parse(result.stdout) as {
    runs: {
      invocations: {
        exitCode: number;
        executionSuccessful: boolean;
        toolExecutionNotifications: { message: { text: string } }[];
      }[];
    }[];
  };
  const [invocation] = sarif.runs[0]?.invocations ?? [];
  assert.equal(invocation?.exitCode, 1);
  assert.equal(invocation?.executionSuccessful, true);
  assert.deepEqual(
    invocation?.toolExecutionNotifications.map((n) => n.message.text),
    ['skipped: not a regular file (a FIFO)'],
  );
});
