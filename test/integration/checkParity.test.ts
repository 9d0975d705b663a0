/**
 * One engine under the editor and CI: `live-schema check` (the built CLI, spawned as CI runs it)
 * and the language server (spawned over stdio, as VS Code runs it) check the same workspace, with
 * SQL in `.sql`, TypeScript, JavaScript and Python, against the same real PostgreSQL and MariaDB
 * database, and must report identical findings: code, range, severity and message.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';
import { runCli } from '../support/cli';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = path.join(repo, 'test/fixtures/embedded/parity');

/** Every file of the fixture the editor would check, with the language VS Code gives it. */
const FILES = {
  'schema.sql': 'sql',
  'queries/report.sql': 'sql',
  'app/orders.ts': 'typescript',
  'app/customers.js': 'javascript',
  'app/orders.py': 'python',
} as const;

/** A finding as a user sees it: where (0-based, as LSP counts), what, how bad. */
interface Seen {
  file: string;
  range: string;
  code: string;
  severity: string;
  message: string;
}

const LSP_SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

function fromDiagnostic(file: string, d: Diagnostic): Seen {
  const { start, end } = d.range;
  return {
    file,
    range: `${start.line}:${start.character}-${end.line}:${end.character}`,
    code: String(d.code),
    severity: LSP_SEVERITY[d.severity ?? 0] ?? '',
    message: d.message,
  };
}

interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
}

function fromCli(f: CliFinding): Seen {
  return {
    file: f.file.split(path.sep).join('/'),
    range: `${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1}`,
    code: f.code,
    severity: f.severity,
    message: f.message,
  };
}

const byPlace = (a: Seen, b: Seen) =>
  a.file.localeCompare(b.file) || a.range.localeCompare(b.range) || a.code.localeCompare(b.code);

async function editorFindings(folder: string, connection: Record<string, unknown>): Promise<Seen[]> {
  const client = new TestLanguageClient({ connections: [connection], validation: { debounceMs: 10 } });
  try {
    await client.initialize(folder);
    const seen: Seen[] = [];
    for (const [file, languageId] of Object.entries(FILES)) {
      const text = await readFile(path.join(folder, file), 'utf8');
      const uri = await client.open(path.join(folder, file), text, languageId);
      assert.equal(uri, pathToFileURL(path.join(folder, file)).href);
      for (const d of await client.diagnostics(uri)) seen.push(fromDiagnostic(file, d));
    }
    return seen.sort(byPlace);
  } finally {
    await client.shutdown();
  }
}

const dialects = [
  {
    name: 'PostgreSQL',
    create: createPostgresDatabase,
    connection: (db: TestDatabase) => ({ name: 'app', driver: 'postgres', ...pgServer, database: db.name }),
  },
  {
    name: 'MariaDB',
    create: createMysqlDatabase,
    connection: (db: TestDatabase) => ({
      name: 'app',
      driver: 'mysql',
      host: mysqlServer.host,
      port: mysqlServer.port,
      user: mysqlServer.user,
      database: db.name,
    }),
  },
];

for (const dialect of dialects) {
  describe(`live-schema check and the language server on ${dialect.name}`, () => {
    let db: TestDatabase;
    let folder: string;

    before(async () => {
      db = await dialect.create(await readFile(path.join(fixture, 'schema.sql'), 'utf8'));
      folder = await mkdtemp(path.join(tmpdir(), 'ls-parity-'));
      await cp(fixture, folder, { recursive: true });
      await writeFile(
        path.join(folder, 'live-schema.json'),
        JSON.stringify({ liveSchema: { connections: [dialect.connection(db)] } }),
      );
    });
    after(async () => {
      await db?.drop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    test('report identical findings (code, range, severity, message) in .sql, TypeScript, JavaScript and Python', async () => {
      const cli = await runCli(folder, ['check', '.', '--format', 'json']);
      assert.equal(cli.code, 1, cli.stderr);
      const report = JSON.parse(cli.stdout) as { findings: CliFinding[] };
      const fromCheck = report.findings.map(fromCli).sort(byPlace);
      const fromEditor = await editorFindings(folder, dialect.connection(db));
      assert.deepEqual(fromCheck, fromEditor);

      // The comparison is not vacuous: each host language has the SQL errors a user would fix.
      const errors = (file: string) =>
        fromCheck.filter((f) => f.file === file && f.severity === 'error').map((f) => f.code);
      assert.deepEqual(errors('queries/report.sql'), ['unknown-column', 'unknown-table', 'ambiguous-column']);
      assert.deepEqual(errors('app/orders.ts'), ['unknown-column']);
      assert.deepEqual(errors('app/customers.js'), ['unknown-column', 'unknown-table']);
      assert.deepEqual(errors('app/orders.py'), ['unknown-column']);
      assert.ok(
        fromCheck.some((f) => f.file === 'app/orders.ts' && f.code === 'not-checked'),
        'dynamic SQL is reported as not checked',
      );
    });
  });
}
