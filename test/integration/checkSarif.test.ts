/**
 * SARIF that code scanning can track, from the built CLI: each result carries a fingerprint that
 * survives unrelated edits of its file, the rules carry their help from the rule registry, and the
 * invocation carries the exit status.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../server/src/protocol/rules';

const CLI = fileURLToPath(new URL('../../server/out/cli.js', import.meta.url));
const QUERIES = [
  'SELECT totl_cents FROM orders;',
  'SELECT id FROM ordrs;',
  "export const q = (db) => db.query('SELECT nope FROM orders');",
];

interface Sarif {
  runs: {
    tool: { driver: { rules: { id: string; help: { text: string }; helpUri: string }[] } };
    invocations: { exitCode: number }[];
    results: {
      ruleId: string;
      partialFingerprints: Record<string, string>;
      locations: { physicalLocation: { region: { startLine: number } } }[];
    }[];
  }[];
}

let dir: string;

function sarifOf(): Promise<Sarif> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'check', 'queries.sql', 'app.js', '--schema-files', 'db', '--format', 'sarif'],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        if (error?.code !== 1) reject(new Error(`exit ${String(error?.code)}: ${stderr}`));
        else resolve(JSON.parse(stdout) as Sarif);
      },
    );
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ls-sarif-'));
  await mkdir(path.join(dir, 'db'));
  await writeFile(path.join(dir, 'db/schema.sql'), 'CREATE TABLE orders (id int PRIMARY KEY, total_cents int);\n');
  await writeFile(path.join(dir, 'queries.sql'), `${QUERIES[0]}\n${QUERIES[1]}\n`);
  await writeFile(path.join(dir, 'app.js'), `${QUERIES[2]}\n`);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('fingerprints stay the same when unrelated lines are added above; only the line numbers move', async () => {
  const before = (await sarifOf()).runs[0];
  await writeFile(path.join(dir, 'queries.sql'), `-- Reports\n\nSELECT 1;\n${QUERIES[0]}\n${QUERIES[1]}\n`);
  await writeFile(path.join(dir, 'app.js'), `// Orders\nconst limit = 10;\n\n${QUERIES[2]}\n`);
  const after = (await sarifOf()).runs[0];
  const errors = (run: Sarif['runs'][number]) => run.results.filter((r) => r.ruleId !== 'sql-template');
  assert.equal(errors(before).length, 3);
  assert.deepEqual(
    errors(after).map((r) => r.partialFingerprints),
    errors(before).map((r) => r.partialFingerprints),
  );
  assert.deepEqual(
    errors(after).map((r) => r.locations[0]?.physicalLocation.region.startLine),
    [4, 5, 4],
  );
  const fingerprints = new Set(errors(after).map((r) => JSON.stringify(r.partialFingerprints)));
  assert.equal(fingerprints.size, 3, 'each finding has its own fingerprint');
});

test('editing the flagged statement gives it a new fingerprint', async () => {
  const before = (await sarifOf()).runs[0];
  await writeFile(path.join(dir, 'queries.sql'), `SELECT totl_cents, id FROM orders;\n${QUERIES[1]}\n`);
  const after = (await sarifOf()).runs[0];
  const of = (run: Sarif['runs'][number], rule: string) =>
    run.results.find((r) => r.ruleId === rule)?.partialFingerprints;
  assert.notDeepEqual(of(after, 'unknown-column'), of(before, 'unknown-column'));
  assert.deepEqual(of(after, 'unknown-table'), of(before, 'unknown-table'));
});

test('rules carry their help from the registry, and the invocation its exit code', async () => {
  const run = (await sarifOf()).runs[0];
  const rule = run.tool.driver.rules.find((r) => r.id === 'unknown-column');
  assert.equal(rule?.help.text, RULES['unknown-column'].help);
  assert.equal(rule?.helpUri, RULES['unknown-column'].helpUri);
  assert.ok(
    run.tool.driver.rules.some((r) => r.id === 'sql-template'),
    'rules of SQL in code are declared too',
  );
  assert.equal(run.invocations[0]?.exitCode, 1);
});
