import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeRegions } from '../../server/src/embedded/analyzeRegions';
import { extractEmbedded } from '../../server/src/embedded/extract';
import type { Dialect } from '../../server/src/schema/snapshot';
import { analyzeSql } from '../../server/src/sql/analyze';
import { mysqlSnapshotOf, snapshotOf, tableOf } from '../support/snapshotBuilders';

/** SQL that used to be skipped without a word: nested tags, unknown tags, COPY. */

const shop = snapshotOf([tableOf('users', ['id', 'email', 'name'])]);
const mysqlShop = mysqlSnapshotOf([tableOf('users', ['id', 'email', 'name'])]);

async function findingsOf(text: string, dialect: Dialect = 'postgres') {
  const snapshot = dialect === 'postgres' ? shop : mysqlShop;
  const { regions } = await extractEmbedded('app.ts', text, { dialect, snapshot });
  return (await analyzeRegions(regions, { snapshot })).map((f) => [f.code, f.severity, text.slice(f.start, f.end)]);
}

describe('tags and COPY in code', () => {
  test('a postgres.js fragment nested in a sql template is not checked as a statement of its own', async () => {
    const text = 'const rows = await sql`SELECT id FROM users ORDER BY id ${desc ? sql`DESC` : sql`ASC`}`;\n';
    const findings = await findingsOf(text);
    assert.deepEqual(
      findings.filter((f) => f[1] === 'error'),
      [],
    );
  });

  test('a template under an unknown tag that reads as SQL is said to be not checked', async () => {
    const text = 'const q = typedSql`SELECT nope FROM users WHERE id = ${id}`;\n';
    const findings = await findingsOf(text);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].slice(0, 2), ['not-checked', 'information']);
  });

  test('an unknown tag whose text is not SQL stays silent', async () => {
    assert.deepEqual(await findingsOf('const q = html`<p>users</p>`;\nconst g = gql`query { users { id } }`;\n'), []);
  });

  test('COPY names its table: a wrong one is reported on its characters, a right one is not', async () => {
    assert.deepEqual(await findingsOf('await sql`COPY userz (id, email) FROM STDIN`;\n'), [
      ['unknown-table', 'error', 'userz'],
    ]);
    assert.deepEqual(await findingsOf("await pool.query('COPY users TO STDOUT');\n"), []);
  });
});

describe('messages in the MySQL dialect', () => {
  test('an unknown table names the database, never a search path', async () => {
    const result = await analyzeSql('SELECT id FROM userz', { dialect: 'mysql', snapshot: mysqlShop });
    assert.equal(result.findings.length, 1);
    assert.doesNotMatch(result.findings[0].message, /search path/);
    assert.match(result.findings[0].message, /in database "/);
  });
});
