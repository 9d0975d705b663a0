/**
 * "Add the row type" on a SQL string in Python, over stdio, on PostgreSQL (psycopg2) and MariaDB
 * (PyMySQL): the action writes a TypedDict of the row at module level with its imports; Python
 * compiles the result, and the annotated module's own query, run with a dict cursor on the real
 * database (then rolled back), returns values that are instances of the TypedDict's types.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlServer,
  pgServer,
  type TestDatabase,
} from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';

const PYTHON = '/usr/bin/python3';

/** Imports the annotated module, runs its query with the real driver and checks each value against the TypedDict. */
const CHECK = `
import importlib.util, json, sys, typing
path, class_name, driver, settings = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
spec = importlib.util.spec_from_file_location('annotated', path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
hints = typing.get_type_hints(getattr(module, class_name))
if driver == 'psycopg2':
    import psycopg2
    conn = psycopg2.connect(**settings)
else:
    import pymysql
    conn = pymysql.connect(**settings)
try:
    row = module.first_account(conn, 1)
finally:
    conn.rollback()
    conn.close()
def fits(value, hint):
    if hint is typing.Any:
        return True
    return isinstance(value, typing.get_args(hint) or (hint,))
print(json.dumps({key: [type(value).__name__, fits(value, hints[key])] for key, value in row.items()}))
`;

const cases = [
  {
    dialect: 'postgres' as const,
    driver: 'psycopg2',
    schema:
      'CREATE TABLE accounts (id integer PRIMARY KEY, email text, balance numeric(10,2) NOT NULL, created_at timestamptz NOT NULL, avatar bytea, born date);' +
      "INSERT INTO accounts VALUES (1, NULL, 12.50, now(), '\\x0102', '2000-01-02');",
    create: createPostgresDatabase,
    settings: (database: string) => ({
      host: pgServer.host,
      port: pgServer.port,
      user: pgServer.user,
      dbname: database,
    }),
    connection: (database: string) => ({ name: 'app', driver: 'postgres', ...pgServer, database }),
    before: [
      'import psycopg2',
      'from psycopg2.extras import RealDictCursor',
      '',
      '',
      'def first_account(conn, account_id):',
      '    with conn.cursor(cursor_factory=RealDictCursor) as cur:',
      '        cur.execute("SELECT id, email, balance, created_at, avatar, born FROM accounts WHERE id = %s", (account_id,))',
      '        return cur.fetchone()',
      '',
    ],
    after: [
      'import psycopg2',
      'from psycopg2.extras import RealDictCursor',
      'from typing import TypedDict',
      'from decimal import Decimal',
      'import datetime',
      '',
      '',
      '# The row of the query below as a dict cursor (RealDictCursor) gives it: row = cast(AccountsRow, cur.fetchone())',
      'class AccountsRow(TypedDict):',
      '    id: int',
      '    email: str | None',
      '    balance: Decimal',
      '    created_at: datetime.datetime',
      '    avatar: memoryview | None',
      '    born: datetime.date | None',
      '',
      '',
      'def first_account(conn, account_id):',
    ],
  },
  {
    dialect: 'mysql' as const,
    driver: 'pymysql',
    schema:
      'CREATE TABLE accounts (id int PRIMARY KEY, email text, balance decimal(10,2) NOT NULL, seen_at datetime NOT NULL, avatar blob, spent time, doc json);' +
      "INSERT INTO accounts VALUES (1, NULL, 12.50, '2026-01-02 03:04:05', x'0102', '01:02:03', '{\"a\": 1}');",
    create: createMysqlDatabase,
    settings: (database: string) => ({
      host: mysqlServer.host,
      port: mysqlServer.port,
      user: mysqlServer.user,
      password: mysqlServer.password,
      database,
    }),
    connection: (database: string) => {
      const { host, port, user } = mysqlServer;
      return { name: 'app', driver: 'mysql', host, port, user, database };
    },
    before: [
      'import pymysql.cursors',
      '',
      '',
      'def first_account(conn, account_id):',
      '    with conn.cursor(pymysql.cursors.DictCursor) as cur:',
      '        cur.execute("SELECT id, email, balance, seen_at, avatar, spent, doc FROM accounts WHERE id = %s", (account_id,))',
      '        return cur.fetchone()',
      '',
    ],
    after: [
      'import pymysql.cursors',
      'from typing import TypedDict',
      'from decimal import Decimal',
      'import datetime',
      '',
      '',
      '# The row of the query below as a dict cursor (pymysql.cursors.DictCursor) gives it: row = cast(AccountsRow, cur.fetchone())',
      'class AccountsRow(TypedDict):',
      '    id: int',
      '    email: str | None',
      '    balance: Decimal',
      '    seen_at: datetime.datetime',
      '    avatar: bytes | None',
      '    spent: datetime.timedelta | None',
      '    doc: str | None',
      '',
      '',
      'def first_account(conn, account_id):',
    ],
  },
];

for (const c of cases)
  describe(`"Add the row type" in Python over stdio: ${c.driver} on ${c.dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    let db: TestDatabase;
    let folder: string;
    let client: TestLanguageClient;

    before(async () => {
      db = await c.create(c.schema);
      folder = mkdtempSync(path.join(tmpdir(), 'ls-rowtype-python-'));
      client = new TestLanguageClient(
        { connections: [c.connection(db.name)] },
        mysqlServer.password ? { app: mysqlServer.password } : {},
      );
      await client.initialize(folder);
      const probe = await client.open(path.join(folder, 'probe.sql'), 'SELECT nope FROM accounts', 'sql');
      await client.diagnostics(probe, (d) => d.length > 0);
    });
    after(async () => {
      await client?.shutdown();
      await db?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    test('a TypedDict of the row that Python compiles, whose types the driver really returns', async () => {
      const text = c.before.join('\n');
      const file = path.join(folder, 'accounts.py');
      const uri = await client.open(file, text, 'python');
      const position = positionOf(text, 'FROM acc');
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics: [] },
      });
      const add = actions.find((a) => a.title === 'Add the row type');
      assert.ok(add, JSON.stringify(actions.map((a) => a.title)));
      const annotated = TextDocument.applyEdits(
        TextDocument.create(uri, 'python', 1, text),
        add.edit?.changes?.[uri] ?? [],
      );
      const body = c.before.slice(c.before.findIndex((l) => l.startsWith('def ')) + 1);
      assert.equal(annotated, [...c.after, ...body].join('\n'));

      writeFileSync(file, annotated);
      execFileSync(PYTHON, ['-m', 'py_compile', file]);
      const checked = JSON.parse(
        execFileSync(PYTHON, ['-c', CHECK, file, 'AccountsRow', c.driver, JSON.stringify(c.settings(db.name))], {
          encoding: 'utf8',
        }),
      ) as Record<string, [string, boolean]>;
      const misfits = Object.entries(checked).filter(([, [, fits]]) => !fits);
      assert.deepEqual(misfits, [], JSON.stringify(checked));
      assert.equal(Object.keys(checked).length, c.after.filter((l) => /^ {4}\w+: /.test(l)).length);
    });
  });
