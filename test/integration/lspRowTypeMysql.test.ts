/**
 * "Add the row type" for mysql2 over stdio, on a live MariaDB: `query`/`execute` get the
 * `(RowDataPacket & { … })[]` type argument mysql2's own typings require (tsc accepts it, and
 * rejects a wrong use of a column), the value classes mysql2 really returns fit it, and an
 * annotation that disagrees is reported as `result-type-mismatch` with that type as its fix.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Range } from 'vscode-languageserver-protocol';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { positionOf, TestLanguageClient } from '../support/lspClient';
import { typeErrors } from '../support/typescriptCheck';

const SQL = 'SELECT id, email, balance, visits, seen_at FROM accounts WHERE id = ?';

const host = (call: 'query' | 'execute', typeArgument = '') => `import mysql from 'mysql2/promise';

export async function firstAccount(conn: mysql.Connection) {
  const [rows] = await conn.${call}${typeArgument}('${SQL}', [1]);
  const row = rows[0]!;
  const id: number = row.id;
  const email: string | null = row.email;
  const balance: string = row.balance;
  const visits: number = row.visits;
  const seenAt: Date = row.seen_at;
  return { id, email, balance, visits, seenAt };
}
`;

const ROW = '{ id: number; email: string | null; balance: string; visits: number; seen_at: Date }';

/** The run-time class of a value, in the words of the TypeScript types. */
const classOf = (value: unknown): string =>
  value === null ? 'null' : value instanceof Date ? 'Date' : Buffer.isBuffer(value) ? 'Buffer' : typeof value;

describe('language server over stdio: "Add the row type" for mysql2 on MariaDB', () => {
  let db: TestDatabase;
  let folder: string;
  let client: TestLanguageClient;

  before(async () => {
    db = await createMysqlDatabase(
      'CREATE TABLE accounts (id int PRIMARY KEY, email text, balance decimal(10,2) NOT NULL, visits bigint NOT NULL, seen_at datetime NOT NULL);' +
        "INSERT INTO accounts VALUES (1, NULL, 12.50, 3, '2026-01-02 03:04:05');",
    );
    folder = mkdtempSync(path.join(tmpdir(), 'ls-rowtype-mysql-'));
    const { host: server, port, user } = mysqlServer;
    client = new TestLanguageClient(
      { connections: [{ name: 'app', driver: 'mysql', host: server, port, user, database: db.name }] },
      mysqlServer.password ? { app: mysqlServer.password } : {},
    );
    await client.initialize(folder);
    // The first check waits for the schema: after it, actions answer from it.
    const probe = await client.open(path.join(folder, 'probe.sql'), 'SELECT nope FROM accounts', 'sql');
    await client.diagnostics(probe, (d) => d.length > 0);
  });
  after(async () => {
    await client?.shutdown();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function addRowType(file: string, text: string): Promise<string> {
    const uri = await client.open(path.join(folder, file), text, 'typescript');
    const position = positionOf(text, 'FROM acc');
    const range: Range = { start: position, end: position };
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [] },
    });
    const add = actions.find((a) => a.title === 'Add the row type');
    assert.ok(add, JSON.stringify(actions.map((a) => a.title)));
    return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, text), add.edit?.changes?.[uri] ?? []);
  }

  test('query<…> and execute<…> get RowDataPacket rows, imported once, that tsc accepts with mysql2 types', async () => {
    const annotated = await addRowType('query.ts', host('query'));
    assert.equal(
      annotated,
      `import type { RowDataPacket } from 'mysql2';\n${host('query', `<(RowDataPacket & ${ROW})[]>`)}`,
    );
    assert.deepEqual(typeErrors({ 'query.ts': annotated }), []);
    // The row is typed, not `any`: a column used as what it is not is a compile error.
    const misuse = annotated.replace('const balance: string', 'const balance: number');
    assert.match(typeErrors({ 'query.ts': misuse }).join('\n'), /Type 'string' is not assignable to type 'number'/);

    const imported = `import type { RowDataPacket } from 'mysql2';\n${host('execute')}`;
    const executed = await addRowType('execute.ts', imported);
    assert.equal(
      executed,
      `import type { RowDataPacket } from 'mysql2';\n${host('execute', `<(RowDataPacket & ${ROW})[]>`)}`,
    );
    assert.deepEqual(typeErrors({ 'execute.ts': executed }), []);
  });

  test('the values mysql2 returns for the statement fit the row type the action writes (DECIMAL as a string)', async () => {
    const allowed = new Map(
      ROW.slice(2, -2)
        .split('; ')
        .map((property) => property.split(': '))
        .map(([name, types]) => [name, types.split(' | ')]),
    );
    const connection = await mysql.createConnection({ ...mysqlServer, database: db.name });
    try {
      await connection.query('START TRANSACTION');
      for (const call of ['query', 'execute'] as const) {
        const [rows] =
          call === 'query'
            ? await connection.query<RowDataPacket[]>(SQL, [1])
            : await connection.execute<RowDataPacket[]>(SQL, [1]);
        assert.deepEqual(Object.keys(rows[0]), [...allowed.keys()]);
        for (const [name, value] of Object.entries(rows[0]))
          assert.ok(allowed.get(name)!.includes(classOf(value)), `${call}: ${name} is ${classOf(value)}`);
      }
    } finally {
      await connection.query('ROLLBACK');
      await connection.end();
    }
  });

  test('an annotation that disagrees is a result-type-mismatch whose fix writes the described row', async () => {
    const wrong = `import type { RowDataPacket } from 'mysql2';\n${host('query', '<(RowDataPacket & { id: string; email: string | null; balance: number; visits: number; seen_at: Date })[]>')}`;
    const uri = await client.open(path.join(folder, 'wrong.ts'), wrong, 'typescript');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'result-type-mismatch'));
    const mismatch = diagnostics.find((d) => d.code === 'result-type-mismatch')!;
    assert.match(mismatch.message, /mysql2 gives \{ id: number; email: string \| null; balance: string;/);
    const right = `import type { RowDataPacket } from 'mysql2';\n${host('query', `<(RowDataPacket & ${ROW})[]>`)}`;
    const fine = await client.open(path.join(folder, 'right.ts'), right, 'typescript');
    const shown = await client.diagnostics(fine);
    assert.deepEqual(
      shown.filter((d) => d.code === 'result-type-mismatch'),
      [],
    );
  });
});
