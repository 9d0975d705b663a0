import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSql } from '../../server/src/sql/analyze';
import { snapshotOf, tableOf } from '../support/snapshotBuilders';

const snapshot = snapshotOf(
  [
    tableOf('orders', ['id', 'total_cents', 'customer_id'], { type: 'int' }),
    tableOf('customers', ['id', 'name'], { type: 'int' }),
  ],
  { server: { version: '15' } },
);

/** A big script of similar valid statements, the realistic shape of a large `.sql` file. */
const bigScript = (statements: number): string =>
  Array.from(
    { length: statements },
    (_, i) => `select o.id, c.name from orders o join customers c on c.id = o.customer_id where o.id = ${i};`,
  ).join('\n');

test('with yieldEveryMs the event loop runs other work while a large file is analysed', async () => {
  // Loading the parser's WASM yields by itself: load it first so only the analysis loop is observed.
  await analyzeSql('select 1', { dialect: 'postgres' });
  let analysisDone = false;
  let timerRanDuringAnalysis: boolean | undefined;
  const analysis = analyzeSql(bigScript(20_000), {
    dialect: 'postgres',
    snapshot,
    // The time budget is not what this test is about: a loaded machine must not run into it.
    options: { yieldEveryMs: 10, timeBudgetMs: 600_000 },
  }).then((result) => {
    analysisDone = true;
    return result;
  });
  setTimeout(() => {
    timerRanDuringAnalysis = !analysisDone;
  }, 0);
  const result = await analysis;
  assert.equal(timerRanDuringAnalysis, true, 'the timer callback ran before the analysis finished');
  assert.equal(result.statements.length, 20_000);
  assert.deepEqual(result.findings, []);
  assert.equal(result.cancelled, undefined);
});

test('aborting the signal ends the analysis early, marked cancelled, with nothing said about the rest', async () => {
  const controller = new AbortController();
  const text = `${bigScript(20_000)}\nselect nope from orders;`;
  const analysis = analyzeSql(text, {
    dialect: 'postgres',
    snapshot,
    options: { yieldEveryMs: 1, signal: controller.signal },
  });
  setTimeout(() => controller.abort(), 0);
  const result = await analysis;
  assert.equal(result.cancelled, true);
  assert.ok(result.statements.length < 20_001, 'statements after the abort are not analysed');
  assert.deepEqual(result.findings, [], 'the mistake at the end was never reached');
});

test('an aborted signal analyses nothing', async () => {
  const result = await analyzeSql('select nope from orders', {
    dialect: 'postgres',
    snapshot,
    options: { signal: AbortSignal.abort() },
  });
  assert.equal(result.cancelled, true);
  assert.deepEqual(result.statements, []);
});

test('findings past maxFindings are counted, not kept, and one Information finding says how many', async () => {
  const text = Array.from({ length: 30 }, (_, i) => `select nope${i}, totl from orders;`).join('\n');
  const result = await analyzeSql(text, { dialect: 'postgres', snapshot, options: { maxFindings: 25 } });
  const errors = result.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 25);
  const notes = result.findings.filter((f) => f.code === 'not-checked');
  assert.equal(notes.length, 1);
  assert.equal(notes[0]?.severity, 'information');
  assert.match(notes[0]?.message ?? '', /35 more findings .* not shown, 35 of them errors/);
  // The note sits on the first finding left out: the 13th statement's second column.
  assert.equal(notes[0]?.start, text.indexOf('totl', text.indexOf('select nope12,')));
  assert.equal(text.slice(notes[0]?.start, notes[0]?.end), 'totl');
  assert.deepEqual(result.omitted, { findings: 35, errors: 35 });
});

test('suppressed findings do not count toward the cap, and the default keeps 10,000', async () => {
  const text = Array.from({ length: 12_000 }, (_, i) =>
    i < 2_000 ? 'select nope from orders; -- live-schema-ignore' : 'select nope from orders;',
  ).join('\n');
  // Only the finding cap's default is under test: a loaded machine must not run into the time budget.
  const result = await analyzeSql(text, { dialect: 'postgres', snapshot, options: { timeBudgetMs: 600_000 } });
  assert.equal(result.findings.filter((f) => f.code === 'unknown-column').length, 10_000);
  assert.equal(result.omitted, undefined);
  assert.equal(result.findings.length, 10_000);
});

test('when the time budget runs out past the finding cap, the note about the unanalysed statements is still kept', async () => {
  // 100,000 statements never fit in 20 ms, and a cap of 1 is full after the first one.
  const text = Array.from({ length: 100_000 }, () => 'select nope from orders;').join('\n');
  const result = await analyzeSql(text, {
    dialect: 'postgres',
    snapshot,
    options: { maxFindings: 1, timeBudgetMs: 20 },
  });
  const budget = result.findings.filter((f) => /time budget ran out/.test(f.message));
  assert.equal(budget.length, 1);
  assert.match(budget[0]?.message ?? '', /\d+ statements from here on were not analysed/);
  assert.equal(result.findings.filter((f) => f.code === 'unknown-column').length, 1);
});
