/**
 * The PostgreSQL oracle corpus through the user's paths: every statement in `.sql` files and as
 * SQL strings in TypeScript and Python, checked by the language server over stdio (pulled
 * diagnostics, as VS Code gets them) and by the built CLI. Each path must report, on each
 * statement, exactly the errors and warnings the analyser reports on the bare statement (which
 * `postgresOracle.test.ts` holds to the database's verdict), at the same characters of the host
 * text; and nothing on a statement PostgreSQL accepts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { PostgresDriver } from '../../server/src/db/postgres/postgresDriver';
import { analyzeSql } from '../../server/src/sql/analyze';
import type { Finding } from '../../server/src/sql/findings';
import { databaseVerdict, loadCorpus, oracleSchema } from '../fixtures/sql/postgres/oracle';
import { createPostgresDatabase, pgServer, type TestDatabase } from '../support/databases';
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
  type WrappedFile,
} from '../support/oracleUserPaths';

describe('PostgreSQL oracle through the language server and the CLI', () => {
  const corpus = loadCorpus();
  let db: TestDatabase;
  let folder: string;
  let accepted: boolean[];
  let analysed: Finding[][];
  let files: WrappedFile[];
  let connection: Record<string, unknown>;

  before(async () => {
    db = await createPostgresDatabase(oracleSchema());
    connection = { name: 'oracle', driver: 'postgres', ...pgServer, database: db.name };
    const parsed = parseConnection(connection, {}, 'test');
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    const driver = new PostgresDriver(parsed.connection, () => Promise.resolve(undefined));
    const { snapshot } = await driver.discover().finally(() => driver.close());
    const client = new pg.Client({ ...pgServer, database: db.name });
    await client.connect();
    try {
      accepted = [];
      for (const statement of corpus) accepted.push((await databaseVerdict(client, statement)).ok);
    } finally {
      await client.end();
    }
    analysed = [];
    for (const statement of corpus)
      analysed.push((await analyzeSql(statement, { dialect: 'postgres', snapshot })).findings);
    folder = mkdtempSync(path.join(tmpdir(), 'ls-pg-oracle-paths-'));
    files = WRAPPERS.flatMap((wrapper) => wrapCorpus(corpus, wrapper, 'postgres'));
    writeWrapped(folder, files);
    // live-schema.json checks offline, as the analyser does; live.json has the default live check.
    writeFileSync(path.join(folder, 'live.json'), JSON.stringify({ connections: [connection] }));
    writeFileSync(
      path.join(folder, 'live-schema.json'),
      JSON.stringify({ connections: [connection], validation: { liveCheck: false } }),
    );
  });

  after(async () => {
    await db?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test(`the analyser itself: ${corpus.length} statements, no error on what PostgreSQL accepts`, () => {
    const falseErrors = corpus.filter((_, i) => accepted[i] && blocking(analysed[i]).length > 0);
    assert.deepEqual(falseErrors, []);
    assert.ok(accepted.filter(Boolean).length >= 120 && accepted.filter((a) => !a).length >= 120);
  });

  test('the language server over stdio: the same findings in .sql, TypeScript and Python', async (t) => {
    const settings = { connections: [connection], validation: { liveCheck: false } };
    const client = await startLanguageServer(folder, settings, 'select nope from customers');
    const found = await throughLanguageServer(client, folder, files).finally(() => client.shutdown());
    const { disagreeing, falseErrors } = judgePath('lsp', files, { statements: corpus, analysed, accepted }, found);
    t.diagnostic(
      `${files.length} files (${corpus.length} statements × ${WRAPPERS.join(', ')}): ${disagreeing.length} disagreements, ${falseErrors} false errors`,
    );
    assert.deepEqual(disagreeing, []);
    assert.equal(falseErrors, 0);
  });

  test('live-schema check as a process: the same findings in .sql, TypeScript and Python', async (t) => {
    const { disagreeing, falseErrors } = judgePath(
      'cli',
      files,
      { statements: corpus, analysed, accepted },
      await throughCli(folder, files),
    );
    t.diagnostic(`${files.length} files: ${disagreeing.length} disagreements, ${falseErrors} false errors`);
    assert.deepEqual(disagreeing, []);
    assert.equal(falseErrors, 0);
  });

  test('with the live check (the default): no error on what PostgreSQL accepts, every analyser finding kept', async (t) => {
    const client = await startLanguageServer(folder, { connections: [connection] }, 'select nope from customers');
    const lsp = await throughLanguageServer(client, folder, files).finally(() => client.shutdown());
    const cli = await throughCli(folder, files, ['--config', 'live.json']);
    for (const [name, found] of [
      ['lsp', lsp],
      ['cli', cli],
    ] as const) {
      const { falseErrors, lost, rejected, flagged, unflagged } = judgeLivePath(
        name,
        files,
        { statements: corpus, analysed, accepted },
        found,
      );
      t.diagnostic(
        `${name}: ${flagged}/${rejected} rejected statements (× wrappers) flagged, ${falseErrors.length} false errors`,
      );
      for (const line of unflagged) t.diagnostic(`${name}: no error on a rejected statement: ${line}`);
      assert.deepEqual(falseErrors, []);
      assert.deepEqual(lost, []);
    }
  });
});
