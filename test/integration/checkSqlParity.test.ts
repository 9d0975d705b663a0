/**
 * One engine under MCP, CI and the editor: the same SQL text through MCP's `check_sql` (the built
 * CLI's `mcp` over stdio, spoken to with the MCP SDK's client), `live-schema check` (the built CLI
 * as a process) and the language server (over stdio, as VS Code runs it), against the same real
 * PostgreSQL and MariaDB database, live check on and off, must give identical findings: code,
 * range, severity and message. The text holds hand-written errors, valid SQL, a suppression
 * comment, an ignored name, a severity override, and seeded generated statements (each valid one
 * beside a copy with a misspelt column).
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Dialect } from '../../server/src/schema/snapshot';
import { runCli } from '../support/cli';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { TestLanguageClient } from '../support/lspClient';
import { startMcp } from '../support/mcpClient';
import { renderStatement } from '../support/sqlGenerator/render';
import { generateStatements } from '../support/sqlGenerator/statements';
import { Random } from '../support/sqlGenerator/random';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SEED = 20261208;
const GENERATED = 20;

/** A finding as a user sees it: where (1-based line and column), what, how bad. */
interface Seen {
  range: string;
  code: string;
  severity: string;
  message: string;
}

interface LocatedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
}

const fromLocated = (f: LocatedFinding): Seen => ({
  range: `${f.line}:${f.column}-${f.endLine}:${f.endColumn}`,
  code: f.code,
  severity: f.severity,
  message: f.message,
});

const LSP_SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

const fromDiagnostic = ({ range: { start, end }, code, severity, message }: Diagnostic): Seen => ({
  range: `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`,
  code: String(code),
  severity: LSP_SEVERITY[severity ?? 0] ?? '',
  message,
});

const byPlace = (a: Seen, b: Seen) =>
  a.range.localeCompare(b.range, undefined, { numeric: true }) || a.code.localeCompare(b.code);

/**
 * Hand-written statements over the migration fixture schema (test/fixtures/migrate/*.sql), each
 * with the codes a user must see: offline, and with the live check on (where the database's own
 * PREPARE objects to what the offline analysis cannot judge).
 */
function handWritten(dialect: Dialect): { sql: string; offline: string[]; live: string[] }[] {
  const postgres = dialect === 'postgres';
  const p = (n: number) => (postgres ? `$${n}` : '?');
  return [
    { sql: 'select c.id, c.name from customers c where c.vip', offline: [], live: [] },
    {
      sql: `select o.id, c.name from orders o join customers c on c.id = o.customer_id where o.total > ${p(1)}`,
      offline: [],
      live: [],
    },
    { sql: 'select c.nmae from customers c', offline: ['unknown-column'], live: ['unknown-column'] },
    { sql: 'select id from custmers', offline: ['unknown-table'], live: ['unknown-table'] },
    // MySQL reads `fro` as an alias; its parser gives up on the rest, and only the database says why.
    postgres
      ? { sql: 'select id fro customers', offline: ['syntax-error'], live: ['syntax-error'] }
      : { sql: 'select id fro customers', offline: ['not-checked'], live: ['not-checked', 'syntax-error'] },
    // Overridden to a warning by the settings below.
    {
      sql: 'select id from orders o join customers c on c.id = o.customer_id',
      offline: ['ambiguous-column'],
      live: ['ambiguous-column'],
    },
    // Both dialects know their built-in functions offline (MariaDB 10.11's list is generated from the server).
    { sql: 'select no_such_function(id) from customers', offline: ['unknown-function'], live: ['unknown-function'] },
    { sql: '-- live-schema-ignore\nselect c.nmae from customers c', offline: [], live: [] },
    // `legacy_orders` is in validation.ignoredNames: the database's objection to it is dropped too.
    { sql: 'select id from legacy_orders', offline: [], live: [] },
    // MariaDB will not PREPARE an UPDATE in a read-only transaction: not judged, and said so.
    {
      sql: `update orders set total = total + 1 where id = ${p(1)}`,
      offline: [],
      live: postgres ? [] : ['not-checked'],
    },
    ...(postgres
      ? [
          // Untyped placeholders: the application's values decide the operator, so no verdict…
          { sql: 'select $1 + $2 as n from customers', offline: [], live: [] },
          // …but two literals are the statement's own fault.
          { sql: "select 'a' + 'b' as n from customers", offline: [], live: ['database-error'] },
        ]
      : []),
  ];
}

/** Seeded statements the databases accept, each beside a copy with one column misspelt. */
function generated(dialect: Dialect): { sql: string; misspelt: string | undefined }[] {
  const random = new Random(SEED);
  return generateStatements(SEED, dialect, GENERATED).map(({ pieces }) => {
    const { sql } = renderStatement(pieces, dialect === 'postgres' ? 'dollar' : 'question');
    const columns = [...sql.matchAll(/\b[a-z]{1,2}\.([a-z_]{4,})\b/gi)];
    if (columns.length === 0) return { sql, misspelt: undefined };
    const chosen = random.pick(columns);
    const name = chosen[1];
    const typo = `${name.slice(0, 2)}${name[3]}${name[2]}${name.slice(4)}`;
    const at = chosen.index + chosen[0].length - name.length;
    return { sql, misspelt: typo === name ? undefined : `${sql.slice(0, at)}${typo}${sql.slice(at + name.length)}` };
  });
}

type Kind = 'hand-written' | 'valid' | 'misspelt';

/** The statements as one `.sql` text, and the lines (1-based, first and last) each one spans. */
function statementsText(statements: { sql: string; kind: Kind }[]) {
  let line = 1;
  const spans = statements.map(({ sql, kind }) => {
    const lines = sql.split('\n').length;
    const span = { kind, first: line, last: line + lines - 1 };
    line += lines + 1;
    return span;
  });
  return { text: `${statements.map((s) => s.sql).join(';\n\n')};\n`, spans };
}

const SETTINGS = {
  validation: { severity: { 'ambiguous-column': 'warning' }, ignoredNames: ['legacy_orders'] },
};

/** `check_sql` through the built CLI's MCP server, as an agent calls it. */
async function mcpFindings(folder: string, config: string, sql: string): Promise<{ findings: Seen[]; note: string }> {
  const mcp = await startMcp(folder, config);
  try {
    const answer = await mcp.call<{ findings: LocatedFinding[]; liveCheck: string }>('check_sql', { sql });
    return { findings: answer.findings.map(fromLocated).sort(byPlace), note: answer.liveCheck };
  } finally {
    await mcp.close();
  }
}

async function cliFindings(folder: string, file: string): Promise<Seen[]> {
  const run = await runCli(folder, ['check', file, '--format', 'json']);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  const report = JSON.parse(run.stdout) as { findings: LocatedFinding[] };
  return report.findings.map(fromLocated).sort(byPlace);
}

async function editorFindings(folder: string, settings: Record<string, unknown>, file: string): Promise<Seen[]> {
  const validation = settings.validation as Record<string, unknown>;
  const client = new TestLanguageClient({ ...settings, validation: { ...validation, debounceMs: 10 } });
  try {
    await client.initialize(folder);
    const uri = await client.open(file, await readFile(file, 'utf8'), 'sql');
    return (await client.diagnostics(uri)).map(fromDiagnostic).sort(byPlace);
  } finally {
    await client.shutdown();
  }
}

const dialects = [
  {
    name: 'PostgreSQL',
    dialect: 'postgres' as const,
    create: createPostgresDatabase,
    connection: (db: TestDatabase) => ({ name: 'app', driver: 'postgres', ...pgServer, database: db.name }),
  },
  {
    name: 'MariaDB',
    dialect: 'mysql' as const,
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

for (const target of dialects) {
  describe(`check_sql (MCP), live-schema check and the language server on ${target.name}`, () => {
    let db: TestDatabase;
    let folder: string;
    const cases = handWritten(target.dialect);
    const { text, spans } = statementsText([
      ...cases.map((c) => ({ sql: c.sql, kind: 'hand-written' as const })),
      ...generated(target.dialect).flatMap((g) => [
        { sql: g.sql, kind: 'valid' as const },
        ...(g.misspelt ? [{ sql: g.misspelt, kind: 'misspelt' as const }] : []),
      ]),
    ]);

    before(async () => {
      const fixture = target.dialect === 'postgres' ? 'postgres.sql' : 'mysql.sql';
      db = await target.create(await readFile(path.join(repo, 'test/fixtures/migrate', fixture), 'utf8'));
      folder = await mkdtemp(path.join(tmpdir(), 'ls-sql-parity-'));
      await writeFile(path.join(folder, 'statements.sql'), text);
    });
    after(async () => {
      await db?.drop();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    /** Runs the three front ends in `folder` with `settings` and checks what they agree on. */
    async function assertParity(folder: string, settings: { validation: object }, live: boolean, note: RegExp) {
      const config = path.join(folder, 'live-schema.json');
      await writeFile(config, JSON.stringify({ liveSchema: settings }));
      const mcp = await mcpFindings(folder, config, text);
      const cli = await cliFindings(folder, 'statements.sql');
      const editor = await editorFindings(folder, settings, path.join(folder, 'statements.sql'));
      assert.deepEqual(mcp.findings, cli, 'MCP and the CLI');
      assert.deepEqual(editor, cli, 'the editor and the CLI');
      assert.match(mcp.note, note);

      // Not vacuous: each statement gets what a user must see.
      const findingsOf = (span: (typeof spans)[number]) =>
        cli.filter((f) => {
          const line = Number(f.range.split(':')[0]);
          return line >= span.first && line <= span.last;
        });
      const handWrittenCodes = spans
        .filter((s) => s.kind === 'hand-written')
        .flatMap((s) => findingsOf(s).map((f) => f.code));
      assert.deepEqual(
        handWrittenCodes,
        cases.flatMap((c) => (live ? c.live : c.offline)),
      );
      assert.equal(cli.find((f) => f.code === 'ambiguous-column')?.severity, 'warning');
      // Generated statements the database accepts get no error; a misspelt copy one error, when the
      // parser follows it or the database is asked (otherwise it is not checked, never wrongly passed).
      const misspelt = spans.filter((s) => s.kind === 'misspelt');
      assert.ok(misspelt.length >= GENERATED / 2, `${misspelt.length} misspelt statements`);
      for (const span of spans) {
        const found = findingsOf(span);
        const errors = found.filter((f) => f.severity === 'error').length;
        const shown = JSON.stringify({ span, found });
        if (span.kind === 'valid') assert.equal(errors, 0, shown);
        if (span.kind === 'misspelt') {
          const judged = live || !found.some((f) => f.code === 'not-checked');
          assert.equal(errors, judged ? 1 : 0, shown);
        }
      }
    }

    for (const live of [true, false]) {
      test(`identical findings with the live check ${live ? 'on' : 'off'}`, async () => {
        const settings = {
          connections: [target.connection(db)],
          validation: { ...SETTINGS.validation, liveCheck: live },
        };
        await assertParity(folder, settings, live, live ? /statements prepared, none executed/ : /^off$/);
      });
    }

    if (target.dialect === 'postgres')
      test("identical findings on the embedded PostgreSQL built from the project's schema.sql, no database", async () => {
        const embedded = await mkdtemp(path.join(tmpdir(), 'ls-sql-parity-embedded-'));
        try {
          await cp(path.join(repo, 'test/fixtures/migrate/postgres.sql'), path.join(embedded, 'schema.sql'));
          await writeFile(path.join(embedded, 'statements.sql'), text);
          await assertParity(
            embedded,
            { validation: SETTINGS.validation },
            false,
            /not available for the pglite driver/,
          );
        } finally {
          await rm(embedded, { recursive: true, force: true });
        }
      });
  });
}

test('a settings error is worded the same by the editor, the CLI and MCP', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'ls-settings-parity-'));
  try {
    const config = path.join(folder, 'live-schema.json');
    const settings = { validation: { liveCheck: 'yes' } };
    await writeFile(config, JSON.stringify({ liveSchema: settings }));
    const problem = 'liveSchema.validation.liveCheck: expected true or false, got "yes"';

    const check = await runCli(folder, ['check', '.']);
    assert.equal(check.code, 2);
    assert.equal(check.stderr, `live-schema: ${config}: ${problem}\n`);
    const mcp = await runCli(folder, ['mcp', '--root', folder]);
    assert.equal(mcp.code, 2);
    assert.equal(mcp.stderr, check.stderr);

    const client = new TestLanguageClient(settings);
    try {
      const shown = client.shownMessage(/liveCheck/);
      await client.initialize(folder);
      assert.equal(await shown, `Live Schema: ${problem}`);
    } finally {
      await client.shutdown();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
