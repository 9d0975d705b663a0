import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConnection } from '../../server/src/config/connectionSettings';
import { MysqlDriver } from '../../server/src/db/mysql/mysqlDriver';
import type { SchemaSnapshot } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import { databaseVerdicts, oracleSchema, type CorpusStatement } from '../fixtures/sql/mysql/oracle';
import { createMysqlDatabase, mysqlServer, type TestDatabase } from '../support/databases';
import { mariadbSyntaxStatements } from '../support/sqlGenerator/mariadbSyntax';

/**
 * Seeded statements beside the hand-written MariaDB oracle corpus: valid forms that look like
 * mistakes, and PostgreSQL forms or broken clauses in their place. MariaDB judges each one; the
 * offline analysis must give no error to any statement it accepts. Reproduce with
 * MARIADB_SYNTAX_SEED=<seed> (and MARIADB_SYNTAX_COUNT).
 */

const seed = Number(process.env.MARIADB_SYNTAX_SEED ?? 2112);
const count = Number(process.env.MARIADB_SYNTAX_COUNT ?? 600);

describe(`seeded MariaDB syntax (seed ${seed}, ${count} statements)`, () => {
  let main: TestDatabase | undefined;
  let audit: TestDatabase | undefined;
  let snapshot: SchemaSnapshot;

  before(async () => {
    main = await createMysqlDatabase();
    audit = await createMysqlDatabase();
    await main.admin(oracleSchema({ main: main.name, audit: audit.name }));
    const parsed = parseConnection(
      {
        name: 'generated',
        driver: 'mysql',
        host: mysqlServer.host,
        port: mysqlServer.port,
        user: mysqlServer.user,
        database: main.name,
      },
      {},
      'test',
    );
    if ('errors' in parsed) throw new Error(JSON.stringify(parsed.errors));
    const driver = new MysqlDriver(parsed.connection, () => Promise.resolve(mysqlServer.password || undefined));
    try {
      snapshot = (await driver.discover()).snapshot;
    } finally {
      await driver.close();
    }
  });

  after(async () => {
    await main?.drop();
    await audit?.drop();
  });

  test('no error on a statement MariaDB accepts; syntax errors found where MariaDB reports one', async (t) => {
    assert.ok(main && audit);
    const statements: CorpusStatement[] = mariadbSyntaxStatements(seed, count).map((text, index) => ({
      file: 'generated',
      line: index + 1,
      text,
    }));
    const verdicts = await databaseVerdicts(statements, { main: main.name, audit: audit.name });
    const falseErrors: string[] = [];
    let syntaxRejected = 0;
    let syntaxFound = 0;
    let otherRejected = 0;
    let otherFound = 0;
    for (const [index, { text }] of statements.entries()) {
      const verdict = verdicts[index];
      const errors = (await analyzeSql(text, { dialect: 'mysql', snapshot })).findings.filter(
        (f) => f.severity === 'error' || f.severity === 'warning',
      );
      if (verdict.accepted) {
        if (errors.length > 0)
          falseErrors.push(`${text}\n    ours: ${errors.map((f) => `${f.code} ${f.message}`).join('; ')}`);
      } else if (verdict.errno === 1064) {
        syntaxRejected++;
        if (errors.some((f) => f.code === 'syntax-error')) syntaxFound++;
        else t.diagnostic(`syntax error not found: ${text}\n    database: ${verdict.message}`);
      } else {
        otherRejected++;
        if (errors.length > 0) otherFound++;
      }
    }
    const accepted = verdicts.filter((v) => v.accepted).length;
    t.diagnostic(
      `accepted ${accepted}: false errors ${falseErrors.length}; syntax errors (1064) found ${syntaxFound}/${syntaxRejected}; ` +
        `other rejections found ${otherFound}/${otherRejected}`,
    );
    assert.deepEqual(falseErrors, []);
    // Both kinds must be there for the figures to mean something.
    assert.ok(
      accepted > count * 0.3 && syntaxRejected > count * 0.15,
      `accepted ${accepted}, syntax ${syntaxRejected}`,
    );
  });
});
