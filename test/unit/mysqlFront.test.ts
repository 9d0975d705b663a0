import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeSql } from '../../server/src/sql/analyze';
import type { Finding } from '../../server/src/sql/findings';
import { tokenizeMysql } from '../../server/src/sql/mysql/tokenize';
import { mysqlSnapshotOf, tableOf } from '../support/snapshotBuilders';

const snapshot = mysqlSnapshotOf(
  [
    tableOf('Orders', ['id', 'status', 'total_cents'], { type: 'int', schema: 'shop' }),
    tableOf('Gift Cards', ['code', 'balance_cents'], { type: 'int', schema: 'shop' }),
  ],
  { server: { version: '10.11.19-MariaDB', sqlMode: '' } },
);

async function findings(text: string): Promise<Finding[]> {
  return (await analyzeSql(text, { dialect: 'mysql', snapshot })).findings;
}

/** The text each finding covers, with its code. */
async function covered(text: string): Promise<string[]> {
  return (await findings(text)).map((f) => `${f.code}:${text.slice(f.start, f.end)}`);
}

describe('MySQL lexer', () => {
  test('quoted identifiers, strings with both escapes, comments and operators', () => {
    const text = "SELECT `a``b`, 'it''s', 'x\\'y' -- note\n# hash\n/* block */ FROM t WHERE a <=> b->>'$.c' AND 1--1";
    const { tokens, error } = tokenizeMysql(text);
    assert.equal(error, undefined);
    assert.deepEqual(
      tokens.map((t) => t.value),
      [
        'SELECT',
        'a`b',
        ',',
        "'it''s'",
        ',',
        "'x\\'y'",
        'FROM',
        't',
        'WHERE',
        'a',
        '<=>',
        'b',
        '->>',
        "'$.c'",
        'AND',
        '1',
        '-',
        '-',
        '1',
      ],
    );
  });

  test('offsets are UTF-16 offsets, multi-byte names and CRLF included', () => {
    const text = 'SELECT 😀x,\r\n  `naïve` FROM t';
    const { tokens } = tokenizeMysql(text);
    const naive = tokens.find((t) => t.value === 'naïve');
    assert.equal(text.slice(naive?.start, naive?.end), '`naïve`');
    const emoji = tokens.find((t) => t.value === '😀x');
    assert.equal(text.slice(emoji?.start, emoji?.end), '😀x');
  });

  test('an unterminated string is reported from its opening quote', () => {
    const { error } = tokenizeMysql("SELECT 'abc FROM t");
    assert.deepEqual(error, { start: 7, end: 18, what: 'string' });
  });
});

describe('MySQL analysis ranges and certainty', () => {
  test('names are reported on the identifier, also after earlier statements and CRLF lines', async () => {
    const text = 'SELECT id FROM Orders;\r\n\r\nSELECT o.totl_cents\r\nFROM `Orders` o JOIN `Gift Card` g ON 1 = 1;';
    assert.deepEqual((await covered(text)).sort(), ['unknown-column:totl_cents', 'unknown-table:`Gift Card`']);
    const second = 'SELECT 1;\nSELECT o.totl_cents FROM Orders o;';
    assert.deepEqual(await covered(second), ['unknown-column:totl_cents']);
  });

  test('a double-quoted table name is reported on its quotes, never before the statement', async () => {
    const text = 'SELECT 1;\nSELECT x FROM "nosuch"';
    const [unknown] = await findings(text);
    assert.equal(unknown?.code, 'unknown-table');
    assert.equal(text.slice(unknown.start, unknown.end), '"nosuch"');
    // A string that spells the same name earlier in the statement is not the table.
    assert.deepEqual(await covered('SELECT "nosuch" FROM nosuch'), ['unknown-table:nosuch']);
  });

  test('table names follow lower_case_table_names = 0: `orders` is not `Orders`', async () => {
    assert.deepEqual(await covered('SELECT id FROM orders'), ['unknown-table:orders']);
    assert.deepEqual(await covered('SELECT ID, Status FROM Orders'), []);
  });

  test('certain syntax errors are reported on the offending token', async () => {
    assert.deepEqual(await covered('SELECT * FORM Orders'), ['syntax-error:FORM']);
    assert.deepEqual(await covered('SELEC id FROM Orders'), ['syntax-error:SELEC']);
    assert.deepEqual(await covered('SELECT id, FROM Orders'), ['syntax-error:FROM']);
    assert.deepEqual(await covered('SELECT id FROM Orders LIMIT 1 WHERE id = 1'), ['syntax-error:WHERE']);
    assert.deepEqual(await covered('SELECT COUNT(* FROM Orders'), ['syntax-error:(']);
    assert.deepEqual(await covered("SELECT id FROM Orders WHERE status = 'x"), ["syntax-error:'x"]);
  });

  test('MariaDB lacks LATERAL and ->, which node-sql-parser accepts', async () => {
    assert.deepEqual(await covered("SELECT status->'$.a' FROM Orders"), ['syntax-error:->']);
    assert.deepEqual(await covered('SELECT 1 FROM Orders o, LATERAL (SELECT 1) x'), ['syntax-error:LATERAL']);
  });

  test('valid SQL the parser cannot follow is "not checked", never an error', async () => {
    for (const text of [
      'SELECT id FROM Orders FORCE INDEX (PRIMARY)',
      'SELECT id FROM Orders IGNORE INDEX (PRIMARY)',
    ]) {
      const result = await findings(text);
      assert.deepEqual(
        result.map((f) => [f.code, f.severity]),
        [['not-checked', 'information']],
        text,
      );
    }
  });

  test('unknown-function stands at the name, and a function the script creates or may create is known', async () => {
    const udfsRead = mysqlSnapshotOf([tableOf('t', ['a'], { type: 'int', schema: 'shop' })], {
      server: { version: '10.11.19-MariaDB', sqlMode: '', udfs: ['my_udf'] },
    });
    const calls = async (text: string) =>
      (await analyzeSql(text, { dialect: 'mysql', snapshot: udfsRead })).findings
        .filter((f) => f.code === 'unknown-function')
        .map((f) => text.slice(f.start, f.end));
    assert.deepEqual(await calls('SELECT LENGHT(a), length(a), `NOW_UTC`(), shop.nope(1), other.nope(1) FROM t'), [
      'LENGHT',
      '`NOW_UTC`',
      'nope',
    ]);
    assert.deepEqual(await calls('SELECT MY_UDF(a), CURRENT_DATE, COUNT(*), POINT(1, 2) FROM t'), []);
    // CREATE FUNCTION is beyond node-sql-parser; its name still reaches later statements.
    assert.deepEqual(
      await calls(
        'CREATE DEFINER = CURRENT_USER AGGREGATE FUNCTION IF NOT EXISTS shop.Made() RETURNS INT RETURN 1;\nSELECT made(), nope() FROM t',
      ),
      ['nope'],
    );
    assert.deepEqual(await calls("INSTALL SONAME 'ha_x';\nSELECT nope() FROM t"), []);
    assert.deepEqual(
      await calls('/*!50003 CREATE*/ /*!50003 FUNCTION f() RETURNS INT RETURN 1 */;\nSELECT f() FROM t'),
      [],
    );
    // Not readable UDFs, another product or version: nothing is said.
    for (const server of [
      { udfs: undefined },
      { version: '11.4.2-MariaDB' },
      { product: 'mysql' as const, version: '8.0.36' },
    ]) {
      const other = { ...udfsRead, server: { ...udfsRead.server, ...server } };
      const result = await analyzeSql('SELECT nope() FROM t', { dialect: 'mysql', snapshot: other });
      assert.deepEqual(
        result.findings.filter((f) => f.code === 'unknown-function'),
        [],
        JSON.stringify(server),
      );
    }
  });
});
