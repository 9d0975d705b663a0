/**
 * Installable where CI runs: the package packed by `npm pack` (which builds the bin first) and
 * installed from its tarball into an empty folder runs `npx live-schema check` on an application
 * with SQL in TypeScript and Python against its PGlite schema files, with nothing else installed.
 * The dependencies' tarballs come from the npm cache `npm ci` filled (`--prefer-offline`); npm
 * still asks the registry for the metadata of the version ranges it has not cached.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let work: string;
let tarball: string;

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ls-tarball-'));
  const packed = await run(npm, ['pack', '--pack-destination', work], repo);
  assert.equal(packed.code, 0, packed.stderr);
  const name = (await readdir(work)).find((f) => f.endsWith('.tgz'));
  assert.ok(name, packed.stdout);
  tarball = path.join(work, name);
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball is small: bundles and grammars, no sources, tests or source maps', async () => {
  const { size } = await stat(tarball);
  // PGlite (3.6 MB) and its contrib extensions (1.5 MB, loaded only when a schema file creates one) are most of it.
  assert.ok(size < 8 * 1024 * 1024, `${size} bytes`);
  const listed = await run('tar', ['-tzf', tarball], work);
  const files = listed.stdout.trim().split('\n');
  assert.ok(files.includes('package/server/out/cli.js'));
  assert.ok(!files.some((f) => /\.(ts|map)$/.test(f) || f.startsWith('package/test/')), files.join('\n'));
});

test('installed into an empty folder, npx live-schema check reports the SQL errors in TypeScript and Python', async () => {
  const project = path.join(work, 'project');
  await mkdir(path.join(project, 'db'), { recursive: true });
  await mkdir(path.join(project, 'app'));
  await writeFile(path.join(project, 'package.json'), '{ "name": "ci-job", "private": true }\n');
  await writeFile(
    path.join(project, 'db/schema.sql'),
    'CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL);\n',
  );
  const typescript = "export const q = (db) => db.query('SELECT totl_cents FROM orders');\n";
  const python = 'def q(cur):\n    cur.execute("SELECT id FROM ordrs")\n';
  await writeFile(path.join(project, 'app/orders.ts'), typescript);
  await writeFile(path.join(project, 'app/orders.py'), python);

  const installed = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  assert.equal(installed.code, 0, installed.stderr);
  const checked = await run(
    npx,
    ['--no', 'live-schema', 'check', 'app', '--schema-files', 'db', '--format', 'json'],
    project,
  );
  assert.equal(checked.code, 1, checked.stderr);
  const report = JSON.parse(checked.stdout) as {
    findings: { file: string; line: number; column: number; code: string; severity: string }[];
  };
  assert.deepEqual(
    report.findings.filter((f) => f.severity === 'error').map((f) => [f.file, f.line, f.column, f.code]),
    [
      [path.join('app', 'orders.py'), 2, 33, 'unknown-table'],
      [path.join('app', 'orders.ts'), 1, 43, 'unknown-column'],
    ],
  );
});
