import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitStatements } from '../../server/src/sql/splitStatements';

const texts = (sql: string, dialect: 'postgres' | 'mysql' = 'postgres'): string[] =>
  splitStatements(sql, dialect).map((s) => s.text);

test('PostgreSQL: semicolons inside strings, E-strings, identifiers, comments and dollar quotes do not split', () => {
  assert.deepEqual(
    texts(`select 'a;b'; select E'it\\'s;'; select "x;y" from t; /* a; /* nested; */ still; */ select 1`),
    [`select 'a;b'`, `select E'it\\'s;'`, `select "x;y" from t`, 'select 1'],
  );
  assert.deepEqual(
    texts(`create function f() returns int as $body$ begin; return 1; end $body$ language plpgsql; select $1;`),
    ['create function f() returns int as $body$ begin; return 1; end $body$ language plpgsql', 'select $1'],
  );
});

test('PostgreSQL: a BEGIN ATOMIC body is one statement, CASE … END inside it included', () => {
  const sql = `create function f(x int) returns int begin atomic select case when x > 0 then 1 else 0 end; select 2; end; select 3`;
  assert.deepEqual(texts(sql), [
    'create function f(x int) returns int begin atomic select case when x > 0 then 1 else 0 end; select 2; end',
    'select 3',
  ]);
});

test('blank lines are not separators and offsets are exact', () => {
  const sql = 'select a\n\n  from t;\n-- comment\nselect 2';
  const spans = splitStatements(sql, 'postgres');
  assert.deepEqual(
    spans.map((s) => [s.text, sql.slice(s.start, s.end)]),
    [
      ['select a\n\n  from t', 'select a\n\n  from t'],
      ['select 2', 'select 2'],
    ],
  );
  assert.equal(sql.slice(spans[1]?.leadingStart, spans[1]?.start), '\n-- comment\n');
});

test('unterminated strings and dollar quotes run to the end and are flagged', () => {
  assert.deepEqual(
    splitStatements("select 'abc; select 2", 'postgres').map((s) => s.unterminated),
    ['string'],
  );
  assert.deepEqual(
    splitStatements('select $$abc; select 2', 'postgres').map((s) => s.unterminated),
    ['dollar-quote'],
  );
});

test('MySQL: backslash escapes, backticks, # and -- comments, DELIMITER scripts', () => {
  assert.deepEqual(texts(`select 'a\\';b', \`x;y\` from t; # c;\nselect "q;" -- x;\n; select 1--2\n;`, 'mysql'), [
    `select 'a\\';b', \`x;y\` from t`,
    'select "q;"',
    'select 1--2',
  ]);
  const script = 'DELIMITER //\ncreate procedure p() begin select 1; select 2; end //\nDELIMITER ;\nselect 3;';
  assert.deepEqual(texts(script, 'mysql'), ['create procedure p() begin select 1; select 2; end', 'select 3']);
});

test('a byte-order mark is whitespace, not part of the first statement', () => {
  const spans = splitStatements('\ufeffselect 1', 'postgres');
  assert.equal(spans[0]?.start, 1);
  assert.equal(spans[0]?.text, 'select 1');
});
