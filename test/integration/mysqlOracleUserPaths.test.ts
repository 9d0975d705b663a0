/**
 * The MariaDB oracle corpus through the user's paths: every statement in `.sql` files and as SQL
 * strings in TypeScript (mysql2) and Python (PyMySQL), checked by the language server over stdio
 * (pulled diagnostics, as VS Code gets them) and by the built CLI. Each path must report, on each
 * statement, exactly the errors and warnings the analyser reports on the bare statement (which
 * `mysqlOracle.test.ts` holds to the database's verdict), at the same characters of the host text;
 * and nothing on a statement MariaDB accepts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import { analyzeSql } from '../../server/src/sql/analyze';
import { databaseVerdicts, loadCorpus, oracleSchema } from '../fixtures/sql/mysql/oracle';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import {
  blocking,
  judgeLivePath,
  judgePath,
  startLanguageServer,
  throughCli,
  throughLanguageServer,
  WRAPPERS,
  wrapCorpus,
  writeWrapped,
  type JudgedCorpus,
  type WrappedFile,
} from '../support/oracleUserPaths';

describe('MariaDB oracle through the language server and the CLI', () => {
  let main: TestDatabase | undefined;
  let audit: TestDatabase | undefined;
  let folder: string;
  let corpus: JudgedCorpus;
  let files: WrappedFile[];
  let connection: Record<string, unknown>;
  const passwords: Record<string, string> = mysqlServer.password ? { oracle: mysqlServer.password } : {};

  before(async () => {
    main = await createMysqlDatabase();
    audit = await createMysqlDatabase();
    const names = { main: main.name, audit: audit.name };
    await main.admin(oracleSchema(names));
    const statements = loadCorpus(names).map((s) => s.text);
    const verdicts = await databaseVerdicts(loadCorpus(names), names);
    const { host, port, user } = mysqlServer;
    connection = {
      name: 'oracle',
      driver: 'mysql',
      host,
      port,
      user,
      database: main.name,
      schemas: [main.name, audit.name],
    };
    const parsed = parseConnection(connection, {}, 'test');
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    const driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
    const { snapshot } = await driver.discover().finally(() => driver.close());
    const analysed = [];
    for (const text of statements) analysed.push((await analyzeSql(text, { dialect: 'mysql', snapshot })).findings);
    corpus = { statements, analysed, accepted: verdicts.map((v) => v.accepted) };
    folder = mkdtempSync(path.join(tmpdir(), 'ls-mysql-oracle-paths-'));
    files = WRAPPERS.flatMap((wrapper) => wrapCorpus(statements, wrapper, 'mysql'));
    writeWrapped(folder, files);
    // live-schema.json checks offline, as the analyser does; live.json has the default live check.
    writeFileSync(path.join(folder, 'live.json'), JSON.stringify({ connections: [connection] }));
    writeFileSync(
      path.join(folder, 'live-schema.json'),
      JSON.stringify({ connections: [connection], validation: { liveCheck: false } }),
    );
  });

  after(async () => {
    await main?.drop();
    await audit?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('the analyser itself: no error on what MariaDB accepts', () => {
    const falseErrors = corpus.statements.filter(
      (_, i) => corpus.accepted[i] && blocking(corpus.analysed[i]).length > 0,
    );
    assert.deepEqual(falseErrors, []);
    assert.ok(corpus.statements.length >= 300);
  });

  test('the language server over stdio: the same findings in .sql, TypeScript and Python', async (t) => {
    const settings = { connections: [connection], validation: { liveCheck: false } };
    const client = await startLanguageServer(folder, settings, 'SELECT nope FROM customers', passwords);
    const found = await throughLanguageServer(client, folder, files).finally(() => client.shutdown());
    const { disagreeing, falseErrors } = judgePath('lsp', files, corpus, found);
    t.diagnostic(
      `${files.length} files (${corpus.statements.length} statements × ${WRAPPERS.join(', ')}): ${disagreeing.length} disagreements, ${falseErrors} false errors`,
    );
    assert.deepEqual(disagreeing, []);
    assert.equal(falseErrors, 0);
  });

  test('live-schema check as a process: the same findings in .sql, TypeScript and Python', async (t) => {
    const { disagreeing, falseErrors } = judgePath('cli', files, corpus, await throughCli(folder, files));
    t.diagnostic(`${files.length} files: ${disagreeing.length} disagreements, ${falseErrors} false errors`);
    assert.deepEqual(disagreeing, []);
    assert.equal(falseErrors, 0);
  });

  test('with the live check (the default): no error on what MariaDB accepts, every analyser finding kept', async (t) => {
    const client = await startLanguageServer(
      folder,
      { connections: [connection] },
      'SELECT nope FROM customers',
      passwords,
    );
    const lsp = await throughLanguageServer(client, folder, files).finally(() => client.shutdown());
    const cli = await throughCli(folder, files, ['--config', 'live.json']);
    for (const [name, found] of [
      ['lsp', lsp],
      ['cli', cli],
    ] as const) {
      const { falseErrors, lost, rejected, flagged, unflagged } = judgeLivePath(name, files, corpus, found);
      t.diagnostic(
        `${name}: ${flagged}/${rejected} rejected statements (× wrappers) flagged, ${falseErrors.length} false errors`,
      );
      for (const line of unflagged) t.diagnostic(`${name}: no error on a rejected statement: ${line}`);
      assert.deepEqual(falseErrors, []);
      assert.deepEqual(lost, []);
    }
  });
});
