import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSql } from '../../server/src/sql/analyze';
import { snapshotOf, tableOf } from '../support/snapshotBuilders';

const snapshot = snapshotOf(
  [tableOf('orders', ['id', 'total_cents'], { type: 'int' }), tableOf('café', ['prix', 'id'], { type: 'int' })],
  { server: { version: '15' } },
);

const check = (text: string) => analyzeSql(text, { dialect: 'postgres', snapshot });
const slice = (text: string, f: { start: number; end: number }): string => text.slice(f.start, f.end);

test('ranges are UTF-16 offsets of the identifier after multi-byte characters, CRLF and a BOM', async () => {
  const text =
    '\ufeff-- prix en €, 🚀\r\nselect "prix", \'😀\' from café;\r\nselect c.prx from café c;\r\nselect totl from orders';
  const { findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, slice(text, f)]),
    [
      ['unknown-column', 'prx'],
      ['unknown-column', 'totl'],
    ],
  );
  assert.deepEqual(findings[0]?.suggestions, ['prix']);
});

test('a syntax error covers the offending token, after multi-byte text', async () => {
  const text = "select '€€€' from orders wher id = 1";
  const { findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, slice(text, f)]),
    [['syntax-error', 'id']],
  );
});

test('suppression comments and settings silence findings', async () => {
  const text =
    'select nope from orders; -- live-schema-ignore\n-- live-schema-ignore-next-line\nselect nope2 from orders;\nselect nope3 from orders';
  const { findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => slice(text, f)),
    ['nope3'],
  );
  const ignored = await analyzeSql('select nope3 from orders', {
    dialect: 'postgres',
    snapshot,
    options: { ignoredNames: ['NOPE3'] },
  });
  assert.deepEqual(ignored.findings, []);
  const warn = await analyzeSql('select nope3 from orders', {
    dialect: 'postgres',
    snapshot,
    options: { severities: { 'unknown-column': 'warning' } },
  });
  assert.deepEqual(
    warn.findings.map((f) => f.severity),
    ['warning'],
  );
});

const notChecked = async (text: string): Promise<string[]> => {
  const { findings } = await check(text);
  assert.ok(
    findings.every((f) => f.severity !== 'error'),
    `no errors for ${text.slice(0, 40)}`,
  );
  return findings.map((f) => f.code);
};

test('bad input is reported as not checked, never as an error or as clean', async () => {
  assert.deepEqual(await notChecked(`select ${'('.repeat(10_000)}1${')'.repeat(10_000)}`), ['not-checked']);
  assert.deepEqual(await notChecked('select \u0000\u0001\u0002 from orders'), ['not-checked']);
  assert.deepEqual(await notChecked('select \ufffd\ufffd from orders'), ['not-checked']);
  // 50,000 chained operators nest the parse tree 50,000 deep: the parser gives up, we say so.
  assert.deepEqual(
    await notChecked(`select 1 + ${Array.from({ length: 50_000 }, () => 'id').join(' + ')} from orders`),
    ['not-checked'],
  );
});

test('a 100,000-element IN list and 20,000 statements are analysed', async () => {
  const inList = `select id from orders where id in (${Array.from({ length: 100_000 }, (_, i) => i).join(',')})`;
  assert.deepEqual((await check(inList)).findings, []);
  const many = Array.from({ length: 20_000 }, (_, i) =>
    i === 19_999 ? 'select nope from orders;' : 'select id from orders;',
  ).join('\n');
  const result = await check(many);
  assert.equal(result.statements.length, 20_000);
  assert.deepEqual(
    result.findings.map((f) => f.code),
    ['unknown-column'],
  );
});

test('unterminated strings and dollar quotes are syntax errors at the quote, and MySQL SQL says so', async () => {
  const text = "select id from orders where note = 'abc";
  const { findings } = await check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, slice(text, f)]),
    [['syntax-error', "'abc"]],
  );
  const mysql = await check('select `id` from orders');
  assert.match(mysql.findings[0]?.message ?? '', /looks like MySQL/);
});
