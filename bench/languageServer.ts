/**
 * The language server driven over stdio as VS Code drives it (issues 6 and 22): startup to first
 * diagnostics from a persisted snapshot, edit → diagnostics latency, completion latency and memory
 * on a 10,000-table schema (with five 1 MB documents open), and what the editor feels while a 50 MB
 * file is being checked.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CompletionList, Diagnostic } from 'vscode-languageserver-protocol';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../test/support/databases';
import { positionOf, TestLanguageClient, VSCODE_CAPABILITIES } from '../test/support/lspClient';
import { largeDocuments } from './largeDocuments';
import { fmt, medianMs, report } from './measure';
import { generatePostgresSchema } from './postgresSchemaGenerator';

const SERVER = path.resolve(import.meta.dirname, '../server/out/server.js');
const SCHEMA_TABLES = 10_000;
const BIG_FILE_BYTES = 50 * 1_048_576;
/** The 50 MB check is bounded so that a server that never finishes cannot hang the benchmark. */
const BIG_CHECK_LIMIT_MS = 15 * 60_000;

type Settings = Record<string, unknown>;

/** Benchmarks the built server (`npm run bench` builds it first) against generated PostgreSQL schemas. */
export async function benchLanguageServer(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);
  const root = mkdtempSync(path.join(tmpdir(), 'ls-bench-lsp-'));
  const workspace = path.join(root, 'workspace');
  mkdirSync(workspace);
  const databases: TestDatabase[] = [];
  try {
    const small = await createPostgresDatabase();
    databases.push(small);
    await generatePostgresSchema(small, 100);
    const large = await createPostgresDatabase();
    databases.push(large);
    const generating = performance.now();
    await generatePostgresSchema(large, SCHEMA_TABLES);
    process.stdout.write(`\nLanguage server over stdio (commit ${commit()})\n`);
    report(`generating ${fmt(SCHEMA_TABLES)} tables`, `${fmt((performance.now() - generating) / 1000, 1)} s`);

    await benchStartup(workspace, path.join(root, 'cache-small'), settingsFor(small.name), '100 tables');
    const cacheDir = path.join(root, 'cache-large');
    await benchStartup(workspace, cacheDir, settingsFor(large.name), `${fmt(SCHEMA_TABLES)} tables`);

    // One server on the big schema, started from its persisted snapshot, for everything else.
    const client = new TestLanguageClient(settingsFor(large.name));
    try {
      // Pushed diagnostics (no pull capability) keep these figures comparable with earlier runs.
      await client.initialize(
        workspace,
        { textDocument: { completion: VSCODE_CAPABILITIES.textDocument?.completion } },
        { cacheDir },
      );
      await benchEditLatency(client, workspace);
      const completionUri = await benchCompletion(client, workspace);
      report(`server RSS, ${fmt(SCHEMA_TABLES)} tables loaded`, `${fmt(procStatusMb(client, 'VmRSS'))} MB`);
      await benchBigFile(client, workspace, completionUri);
    } finally {
      await client.shutdown();
    }
    await benchLargeDocuments(workspace, cacheDir, settingsFor(large.name));
  } finally {
    for (const db of databases) await db.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

function settingsFor(database: string): Settings {
  return {
    connections: [{ name: 'bench', driver: 'postgres', ...pgServer, database }],
    validation: { debounceMs: 0 },
  };
}

/**
 * A first server run fills a cache folder; then fresh servers on that folder are timed from spawn
 * to the first diagnostics of an opened file that carry the schema's verdict (an unknown column).
 * `cacheDir` is left filled for the next server.
 */
async function benchStartup(workspace: string, cacheDir: string, settings: Settings, label: string): Promise<void> {
  mkdirSync(cacheDir);
  const text = 'SELECT id, nope FROM t1;\n';
  const verdict = (d: Diagnostic[]) => d.some((x) => x.code === 'unknown-column');
  const first = new TestLanguageClient(settings);
  try {
    await first.initialize(workspace, {}, { cacheDir });
    await first.diagnostics(await first.open(path.join(workspace, 'startup.sql'), text), verdict);
  } finally {
    await first.shutdown();
  }
  if (readdirSync(cacheDir).length === 0) throw new Error('the first server persisted no snapshot');

  const initialized: number[] = [];
  const anyDiagnostics: number[] = [];
  const schemaDiagnostics: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const client = new TestLanguageClient(settings);
    try {
      await client.initialize(workspace, {}, { cacheDir });
      initialized.push(performance.now() - started);
      const uri = await client.open(path.join(workspace, 'startup.sql'), text);
      await client.diagnostics(uri);
      anyDiagnostics.push(performance.now() - started);
      await client.diagnostics(uri, verdict);
      schemaDiagnostics.push(performance.now() - started);
    } finally {
      await client.shutdown();
    }
  }
  report(`startup → diagnostics, ${label}, median`, `${fmt(percentile(schemaDiagnostics, 50))} ms`, 'goal < 300 ms');
  report('  of which spawn → initialize answered', `${fmt(percentile(initialized, 50))} ms`);
  report('  floor: spawn → exit of a bare node', `${fmt(await bareNodeMs())} ms`);
  if (percentile(anyDiagnostics, 50) < percentile(schemaDiagnostics, 50) - 1) {
    report('  first publish, before the schema verdict', `${fmt(percentile(anyDiagnostics, 50))} ms`);
  }
}

/**
 * Edits a 500-line file one line at a time (a new unknown column each time) and times each edit
 * until the diagnostics naming that column arrive. `debounceMs: 0`, so this is the server's cost.
 */
async function benchEditLatency(client: TestLanguageClient, workspace: string): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; lines.length < 500; i++) lines.push('SELECT id, name, code, amount', `FROM t${i} WHERE active;`);
  const uri = await client.open(path.join(workspace, 'edits.sql'), lines.join('\n'));
  await client.diagnostics(uri, (d) => d.length === 0);

  const warmup = 10;
  const times: number[] = [];
  for (let edit = 0; edit < warmup + 200; edit++) {
    const edited = [...lines];
    edited[(edit * 2) % lines.length] = `SELECT id, name, nope_${edit}, amount`;
    const named = new RegExp(`\\bnope_${edit}\\b`);
    const started = performance.now();
    await client.change(uri, edited.join('\n'));
    await client.diagnostics(uri, (d) => d.length === 1 && named.test(d[0].message));
    if (edit >= warmup) times.push(performance.now() - started);
  }
  report(`edit → diagnostics, 500 lines, p50 (${times.length})`, `${fmt(percentile(times, 50), 1)} ms`);
  report('edit → diagnostics, 500 lines, p95', `${fmt(percentile(times, 95), 1)} ms`, 'goal p95 < 30 ms');
}

/** Completion after `FROM `, after `FROM t42` and after `alias.` on the 10,000-table schema. Returns the document's URI. */
async function benchCompletion(client: TestLanguageClient, workspace: string): Promise<string> {
  const text = 'SELECT a. FROM t4242 a;\n\nSELECT * FROM \n\nSELECT * FROM t42\n';
  const uri = await client.open(path.join(workspace, 'complete.sql'), text);
  await client.diagnostics(uri);
  for (const [label, marker] of [
    ['after FROM', 'SELECT * FROM '],
    ['after FROM t42', 'FROM t42'],
    ['after alias.', 'a.'],
  ] as const) {
    const position = positionOf(text, marker);
    let list: CompletionList | undefined;
    const times: number[] = [];
    for (let run = 0; run < 110; run++) {
      const started = performance.now();
      list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position,
      });
      if (run >= 10) times.push(performance.now() - started);
    }
    const items = list?.items.length ?? 0;
    const bytes = JSON.stringify(list).length;
    // What the same list costs to encode and decode alone: the part no server-side speed-up removes.
    const transport = await medianMs(21, () => Promise.resolve(JSON.parse(JSON.stringify(list))));
    report(`completion ${label}, p50 (${times.length})`, `${fmt(percentile(times, 50), 1)} ms`);
    report(`completion ${label}, p95`, `${fmt(percentile(times, 95), 1)} ms`, 'goal p95 < 15 ms');
    // A long list is narrowed to what is typed and marked incomplete, never cut: typing reaches every table.
    report(
      `  items / response size${list?.isIncomplete ? ', incomplete' : ''}`,
      `${fmt(items)} / ${fmt(bytes / 1024)} KB`,
    );
    report('  floor: JSON encode + decode of that list', `${fmt(transport, 1)} ms`);
  }
  return uri;
}

/**
 * A fresh server on the persisted 10,000-table snapshot opens five documents of about 1 MB (three
 * `.sql`, a TypeScript and a Python module) and checks each; its memory is read with all five open.
 */
async function benchLargeDocuments(workspace: string, cacheDir: string, settings: Settings): Promise<void> {
  const client = new TestLanguageClient(settings);
  try {
    await client.initialize(workspace, {}, { cacheDir });
    const started = performance.now();
    for (const document of largeDocuments(workspace)) {
      const uri = await client.open(document.file, document.text, document.languageId);
      await client.diagnostics(uri, document.checked);
    }
    report('five 1 MB documents opened and checked', `${fmt((performance.now() - started) / 1000, 1)} s`);
    report(
      `server RSS, ${fmt(SCHEMA_TABLES)} tables + five 1 MB documents`,
      `${fmt(procStatusMb(client, 'VmRSS'))} MB`,
      'goal ≤ 300 MB',
    );
    report('  peak while they were checked', `${fmt(procStatusMb(client, 'VmHWM'))} MB`);
  } finally {
    await client.shutdown();
  }
}

/**
 * Opens a 50 MB dump-like `.sql` file (over the size limit, so it waits for "Check This File"),
 * asks for the check, and requests completions in another document until the big file's
 * diagnostics arrive. The server's peak memory is its VmHWM, reset before the file is opened.
 */
async function benchBigFile(client: TestLanguageClient, workspace: string, completionUri: string): Promise<void> {
  // Opened only, never written to the workspace: the check on demand is measured, not indexing.
  const { text, planted } = dumpFile(BIG_FILE_BYTES);
  const hwmReset = resetPeakRss(client);
  const uri = await client.open(path.join(workspace, 'dump.sql'), text);
  await client.diagnostics(uri, (d) => d.some((x) => x.code === 'not-checked'));

  const checked = client.diagnostics(uri, (d) => d.some((x) => x.code === 'unknown-column'));
  let done = false;
  void checked.then(() => (done = true));
  const started = performance.now();
  // Not awaited: the command's answer may itself wait behind the check; completions start now.
  const command = client.connection.sendRequest('workspace/executeCommand', {
    command: 'liveSchema.server.checkFile',
    arguments: [uri],
  });
  const position = positionOf('SELECT a. FROM t4242 a;', 'a.');
  const times: number[] = [];
  while (!done && performance.now() - started < BIG_CHECK_LIMIT_MS) {
    const asked = performance.now();
    await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: completionUri }, position });
    times.push(performance.now() - asked);
    // Paced like a user typing (one request per 50 ms at most), not a flood competing with the check.
    const wait = 50 - (performance.now() - asked);
    if (wait > 0 && !done) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const finished = done;
  const seconds = (performance.now() - started) / 1000;
  const diagnostics = finished ? await checked : [];
  const found = diagnostics.filter((d) => d.code === 'unknown-column').length;
  const notChecked = diagnostics.find((d) => d.code === 'not-checked');
  await command;

  report('50 MB file, check on demand', finished ? `${fmt(seconds, 1)} s` : `not done in ${fmt(seconds)} s`);
  report('  planted unknown columns reported', `${fmt(found)} of ${fmt(planted)}`);
  if (notChecked) process.stdout.write(`    server's note: ${notChecked.message}\n`);
  report(
    `  server peak memory${hwmReset ? '' : ' (whole run)'}`,
    `${fmt(procStatusMb(client, 'VmHWM'))} MB`,
    'goal < 500 MB',
  );
  report('  completions answered during the check', fmt(times.length));
  report('  completion during the check, p50', `${fmt(percentile(times, 50))} ms`);
  report('  completion during the check, p95', `${fmt(percentile(times, 95))} ms`);
  report('  completion during the check, max', `${fmt(percentile(times, 100))} ms`, 'goal < 200 ms');
  await client.close(uri);
}

/**
 * A pg_dump-like file of about `bytes`: multi-row INSERTs into the generated tables, with a
 * SELECT naming an unknown column every 100 statements: `planted` of them, each one finding.
 */
function dumpFile(bytes: number): { text: string; planted: number } {
  const parts: string[] = [];
  let size = 0;
  let planted = 0;
  for (let statement = 0; size < bytes; statement++) {
    let sql: string;
    if (statement % 100 === 99) {
      sql = `SELECT id, no_such_column FROM t${statement % SCHEMA_TABLES};\n\n`;
      planted++;
    } else {
      const rows: string[] = [];
      for (let row = 0; row < 100; row++) {
        const id = statement * 100 + row;
        rows.push(`  (${id}, 'name ${id}', 'C${id}', ${row}.50)`);
      }
      sql = `INSERT INTO t${statement % SCHEMA_TABLES} (id, name, code, amount) VALUES\n${rows.join(',\n')};\n\n`;
    }
    parts.push(sql);
    size += sql.length;
  }
  return { text: parts.join(''), planted };
}

/** The floor of any startup on this machine: a bare node process spawned and exited (median of 5). */
function bareNodeMs(): Promise<number> {
  return medianMs(
    5,
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        child.once('error', reject);
        child.once('exit', () => resolve());
      }),
  );
}

/** A field of `/proc/<pid>/status` of the server process, in MB. */
function procStatusMb(client: TestLanguageClient, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${client.pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (!kb) throw new Error(`no ${field} in /proc/${client.pid}/status`);
  return Number(kb) / 1024;
}

/** Resets the server's VmHWM to its current RSS (Linux `clear_refs` 5); false where not permitted. */
function resetPeakRss(client: TestLanguageClient): boolean {
  try {
    writeFileSync(`/proc/${client.pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? sorted[0];
}

/** The commit the built server came from; `-dirty` when the working tree had changes. */
function commit(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}
