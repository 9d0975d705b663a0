/**
 * `live-schema scan` end to end: the built CLI (`npm run build`) spawned as CI runs it, on a copy of
 * the demo-shop fixture whose schema comes from the embedded PGlite (or a snapshot file it
 * exported), in all three formats.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'server/out/cli.js');
const fixture = fileURLToPath(new URL('../fixtures/workspace', import.meta.url));
const CODES = ['hardcoded-table', 'hardcoded-column', 'static-mapping', 'sql-template'];

let dir: string;

const run = (args: string[]) => runCli(dir, args);

/** `line:column` (1-based) of the `n`-th occurrence of `needle` in a workspace file. */
async function lineColumn(file: string, needle: string, n = 0): Promise<string> {
  const text = await readFile(path.join(dir, file), 'utf8');
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} in ${file}`);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

before(async () => {
  assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
  dir = await mkdtemp(path.join(tmpdir(), 'ls-scan-'));
  await cp(fixture, dir, { recursive: true });
  // What a scan must leave out: dependencies, ignored and excluded folders; and a binary file.
  const leftOut =
    "export const q = (pool: { query(s: string): void }) => pool.query('SELECT total_cents FROM orders');\n";
  for (const file of ['node_modules/orm/index.ts', 'generated/client.ts', 'legacy/old.ts']) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), leftOut);
  }
  await writeFile(path.join(dir, '.gitignore'), 'generated/\n');
  await writeFile(path.join(dir, 'queries/dump.sql'), Buffer.from([0x50, 0x47, 0x00, 0x01, 0xff]));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('text: file:line:col severity code element message, one line per dependency, exit 0', async () => {
  const result = await run(['scan', '--schema-files', 'db', '--exclude', 'legacy/**']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  const orders = path.join('src', 'orders.ts');
  assert.ok(
    lines.includes(
      `${orders}:${await lineColumn('src/orders.ts', "orders';")}: information hardcoded-table public.orders Hard-coded table name "orders" (public.orders). Refer to it through a generated schema module so that a schema change shows up at compile time.`,
    ),
    result.stdout,
  );
  const injection = await lineColumn('src/orders.ts', '`SELECT id');
  assert.ok(
    lines.some((l) =>
      l.startsWith(
        `${orders}:${injection}: warning sql-template public.orders SQL template on public.orders, built by splicing values`,
      ),
    ),
    result.stdout,
  );
  const report = path.join('app', 'report.py');
  const mapping = await lineColumn('app/report.py', 'orders.total_cents');
  assert.ok(
    lines.some((l) => l.startsWith(`${report}:${mapping}: information static-mapping public.orders.total_cents`)),
    result.stdout,
  );
  assert.equal(lines.length, 9, result.stdout);
  assert.equal(
    lines[8],
    '4 files scanned: 8 static dependencies (4 static-mapping, 3 sql-template, 1 hardcoded-table).',
  );
  for (const leftOut of ['node_modules', 'generated', 'legacy'])
    assert.ok(!lines.some((l) => l.startsWith(leftOut)), leftOut);
  assert.match(result.stderr, /note: queries[/\\]dump\.sql: Skipped: the file looks binary\./);
});

test('JSON: every dependency with its position, code, element and message; a path limits the scan', async () => {
  const result = await run(['scan', 'app', '--format', 'json', '--schema-files', 'db']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    files: number;
    dependencies: { file: string; line: number; column: number; code: string; element: string; severity: string }[];
  };
  assert.equal(report.files, 1);
  assert.deepEqual(
    report.dependencies.map((d) => [d.file, `${d.line}:${d.column}`, d.code, d.element, d.severity]),
    [
      [
        path.join('app', 'report.py'),
        await lineColumn('app/report.py', 'orders.total_cents'),
        'static-mapping',
        'public.orders.total_cents',
        'information',
      ],
      [
        path.join('app', 'report.py'),
        await lineColumn('app/report.py', 'customers.email'),
        'static-mapping',
        'public.customers.email',
        'information',
      ],
      [
        path.join('app', 'report.py'),
        await lineColumn('app/report.py', '"""\n        SELECT'),
        'sql-template',
        'public.orders',
        'information',
      ],
    ],
  );
});

test('SARIF 2.1.0 from a snapshot file the CLI exported: rules, levels, UTF-16 regions', async () => {
  const exported = await run(['snapshot', '--out', 'schema.json']);
  assert.equal(exported.code, 0, exported.stderr);
  const result = await run(['scan', '--format', 'sarif', '--snapshot', 'schema.json', '--exclude', 'legacy/**']);
  assert.equal(result.code, 0, result.stderr);
  const sarif = JSON.parse(result.stdout) as {
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
      columnKind: string;
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: {
          physicalLocation: {
            artifactLocation: { uri: string };
            region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
          };
        }[];
      }[];
    }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const [run0] = sarif.runs;
  assert.equal(run0.tool.driver.name, 'live-schema');
  assert.equal(run0.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run0.tool.driver.rules.map((r) => r.id).sort(), [...CODES].sort());
  assert.ok(run0.tool.driver.rules.every((r) => r.shortDescription.text.length > 0));
  assert.equal(run0.results.length, 8);
  for (const r of run0.results) {
    assert.equal(run0.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.ok(['note', 'warning'].includes(r.level), r.level);
    assert.ok(r.message.text.length > 0);
    const { artifactLocation, region } = r.locations[0].physicalLocation;
    assert.ok(!artifactLocation.uri.includes('\\') && !path.isAbsolute(artifactLocation.uri), artifactLocation.uri);
    assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine);
  }
  const injection = run0.results.find((r) => r.level === 'warning');
  assert.equal(injection?.ruleId, 'sql-template');
  assert.equal(injection?.locations[0].physicalLocation.artifactLocation.uri, 'src/orders.ts');
  const [line, column] = (await lineColumn('src/orders.ts', '`SELECT id')).split(':').map(Number);
  assert.deepEqual(
    [
      injection?.locations[0].physicalLocation.region.startLine,
      injection?.locations[0].physicalLocation.region.startColumn,
    ],
    [line, column],
  );
});

test('usage and configuration errors exit 2 with a message', async () => {
  const badFormat = await run(['scan', '--format', 'xml', '--schema-files', 'db']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be text, json or sarif/);
  const missing = await run(['scan', 'nowhere', '--schema-files', 'db']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nowhere: no such file or folder/);
  const twoSources = await run(['scan', '--schema-files', 'db', '--snapshot', 'schema.json']);
  assert.equal(twoSources.code, 2);
  assert.match(twoSources.stderr, /choose one schema source/);
});
