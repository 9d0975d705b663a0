/**
 * The planner's rewrite rules around a query call: where the compiled query may be declared, which
 * calls and values it understands, and the imports it adds. Whether the builder code returns the
 * same rows is proved on the real databases (migrateCallSites, the generator equivalence tests).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BuilderTarget, ImportNeed } from '../../server/src/migrate/builderTarget';
import { planFileMigration } from '../../server/src/migrate/planMigration';

async function plan(
  text: string,
  fileName = 'a.ts',
  target: BuilderTarget = 'kysely',
  instance = 'db',
  instanceImport?: ImportNeed,
) {
  const result = await planFileMigration({
    file: fileName,
    fileName: `/project/${fileName}`,
    text,
    dialect: 'postgres',
    target,
    instance,
    ...(instanceImport ? { instanceImport } : {}),
  });
  const migrated = [...result.edits]
    .sort((a, b) => b.start - a.start)
    .reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
  return { ...result, migrated };
}

describe('migration planner: rewriting around the query call', () => {
  test('a call that would run conditionally or later is refused, and the file is left as it is', async () => {
    for (const text of [
      "export const one = (id: number) => pool.query('select id from orders where id = $1', [id]);",
      "export async function f(ok: boolean) { return ok && (await pool.query('select id from orders')); }",
      "export async function f(c: any) { return c?.query('select id from orders'); }",
    ]) {
      const result = await plan(text);
      assert.equal(result.converted, 0, text);
      assert.match(result.refusals[0]?.reason ?? '', /conditionally or later/);
      assert.equal(result.migrated, text);
    }
  });

  test('only query(text, values) and execute(text, values) are rewritten; other statements in front are refused', async () => {
    const raw = await plan("export async function f() { await knex.raw('select id from orders'); }");
    assert.match(raw.refusals[0]?.reason ?? '', /only query\(text, values\) and execute\(text, values\)/);
    const both = await plan(
      "export async function f() {\n  const [a, b] = await Promise.all([pool.query('select id from orders'), pool.query('select id from customers')]);\n}",
    );
    assert.equal(both.converted, 0);
    assert.ok(both.refusals.every((r) => /not the first thing its statement does/.test(r.reason)));
  });

  test('values passed as a variable are indexed; a call in their place would run once per parameter and is refused', async () => {
    const indexed = await plan(
      "export async function f(params: unknown[]) {\n  await pool.query('select id from orders where status = $1 and total > $2', params);\n}",
    );
    assert.equal(indexed.converted, 1, JSON.stringify(indexed.refusals));
    // Cast: `unknown` values (and a number against a numeric column, which Kysely reads as a string) typecheck.
    assert.match(indexed.migrated, /\.where\('status', '=', \(params\[0\] as any\)\)/);
    assert.match(indexed.migrated, /\.where\('total', '>', \(params\[1\] as any\)\)/);
    const called = await plan(
      "export async function f() {\n  await pool.query('select id from orders where status = $1', values());\n}",
    );
    assert.match(called.refusals[0]?.reason ?? '', /not a plain name/);
  });

  test('Python: named parameters take their dict entries; imports come first, two blank lines before a def', async () => {
    const text = [
      'def orders(cur, customer):',
      '    cur.execute("select id from orders where customer_id = %(c)s", {"c": customer})',
      '    return cur.fetchall()',
      '',
    ].join('\n');
    const result = await plan(text, 'a.py', 'sqlalchemy', 'db_schema', { module: '', name: 'db_schema' });
    assert.equal(result.converted, 1, JSON.stringify(result.refusals));
    assert.match(result.migrated, /^import db_schema\n(from [^\n]+\n)+\n\ndef orders/);
    assert.match(result.migrated, /db_schema\.orders\.c\.customer_id == literal\(customer\)/);
    assert.match(result.migrated, /cur\.execute\(str\(compiled_query\), compiled_query\.params\)/);
  });

  test('Python: SQL in a local assigned once and passed once is migrated, its assignment removed; other uses refused', async () => {
    const python = (text: string) => plan(text, 'a.py', 'sqlalchemy', 'db_schema', { module: '', name: 'db_schema' });
    const body = (lines: string[]) =>
      ['def orders(cur, status):', ...lines.map((line) => `    ${line}`), ''].join('\n');
    const local = await python(
      body(['query = "select id from orders where status = %s"', 'found = []', 'cur.execute(query, (status,))']),
    );
    assert.equal(local.converted, 1, JSON.stringify(local.refusals));
    assert.doesNotMatch(local.migrated, /^\s*query = /m);
    assert.match(local.migrated, /\n {4}found = \[\]\n {4}compiled_query = \(select/);
    assert.match(local.migrated, /status == literal\(status\)/);
    // A constant moves to where it is run: inside the if, the compiled query is too.
    const nested = await python(body(['query = "select id from orders"', 'if status:', '    cur.execute(query)']));
    assert.match(nested.migrated, /^ {4}if status:\n {8}compiled_query = /m);

    const refused: [string, RegExp][] = [
      [
        body(['query = "select id from orders"', 'cur.execute(query)', 'log(query)']),
        /used more than once or reassigned/,
      ],
      [body(['query = "select id from orders"', 'query = query + " limit 1"', 'cur.execute(query)']), /more than once/],
      [body(['query = f"select id from orders where status = {status}"', 'cur.execute(query)']), /interpolations/],
      ['query = "select id from orders"\ndef orders(cur):\n    cur.execute(query)\n', /not a local of a function/],
    ];
    for (const [text, reason] of refused) {
      const result = await python(text);
      assert.equal(result.converted, 0, text);
      assert.match(result.refusals[0]?.reason ?? '', reason, text);
      assert.equal(result.migrated, text);
    }
  });

  test('a name the file already uses is not reused for the compiled query; bound imports are not repeated', async () => {
    const text = [
      "import { db } from './db';",
      'const compiledQuery = 1;',
      'export async function f() {',
      "  await pool.query('select id from orders');",
      '}',
      '',
    ].join('\n');
    const result = await plan(text, 'a.ts', 'kysely', 'db', { module: './db', name: 'db' });
    assert.match(result.migrated, /const compiledQuery2 = db/);
    assert.equal(result.migrated.match(/import \{ db \}/g)?.length, 1);
  });

  test('TS/JS: SQL in a variable declared once and read once, and pg config objects, are followed; the declaration goes', async () => {
    const body = (lines: string[]) =>
      ['export async function f(id: number) {', ...lines.map((l) => `  ${l}`), '}', ''].join('\n');
    const local = await plan(
      body([
        "const sql = 'select id from orders where customer_id = $1';",
        'const seen = [];',
        'await pool.query(sql, [id]);',
      ]),
    );
    assert.equal(local.converted, 1, JSON.stringify(local.refusals));
    assert.doesNotMatch(local.migrated, /const sql =/);
    assert.match(local.migrated, /\n {2}const seen = \[\];\n {2}const compiledQuery = db/);
    assert.equal(local.edits.length, 2, 'the declaration and the call are two ranges');
    assert.equal(local.edits[0].originalText, "  const sql = 'select id from orders where customer_id = $1';\n");
    // let/var that nothing writes again, used in a nested block, and a template without ${…} (as const) are followed too.
    const nested = await plan(
      body(['let sql = `select id from orders` as const;', 'if (id) {', '  await pool.query(sql);', '}']),
    );
    assert.equal(nested.converted, 1, JSON.stringify(nested.refusals));
    assert.match(nested.migrated, /^ {2}if \(id\) \{\n {4}const compiledQuery = /m);

    const config = await plan(
      body([
        "const text = 'select id from orders where id = $1';",
        'const values = [id];',
        'await pool.query({ text, values });',
      ]),
    );
    assert.equal(config.converted, 1, JSON.stringify(config.refusals));
    assert.match(config.migrated, /\.where\('id', '=', \(values\[0\] as any\)\)/);
    assert.match(
      config.migrated,
      /pool\.query\(\{ text: compiledQuery\.sql, values: \[\.\.\.compiledQuery\.parameters\] \}\)/,
    );
    const inline = await plan(
      body(["await pool.query({ text: 'select id from orders where id < $1', values: [id] });"]),
    );
    assert.equal(inline.converted, 1, JSON.stringify(inline.refusals));
    assert.match(inline.migrated, /\.where\('id', '<', \(id as any\)\)/);

    const refused: [string, RegExp][] = [
      [body(["let sql = 'select id from orders';", "sql += ' limit 1';", 'await pool.query(sql);']), /reassigned/],
      [body(["var sql = 'select id from orders';", 'await pool.query(sql);', 'log(sql);']), /used more than once/],
      [body(["const sql = 'select id from orders';", 'await pool.query({ text: sql, rowMode: "array" });']), /rowMode/],
      [
        body(['const sql = `select id from orders where id = ${id}`;', 'await pool.query(sql);']),
        /evaluated where it is declared/,
      ],
      [
        body(["const sql = 'select id from orders', other = 1;", 'await pool.query(sql, [other]);']),
        /together with other/,
      ],
      [
        body(["const sql = 'select id from orders';", 'const run = () => pool.query(sql);', 'await run();']),
        /nested function|conditionally or later/,
      ],
      ["export const sql = 'select id from orders';\nawait pool.query(sql);\n", /exported/],
      ["const sql = 'select id from orders';\nawait pool.query(sql);\nexport { sql };\n", /exported/],
      [body(["const sql = 'select id from orders'; await pool.query(sql);"]), /shares its line/],
    ];
    for (const [text, reason] of refused) {
      const result = await plan(text);
      assert.equal(result.converted, 0, text);
      assert.match(result.refusals[0]?.reason ?? '', reason, text);
      assert.equal(result.migrated, text);
    }
  });

  test("a config object's SQL key must be the driver's: text for node-postgres, sql for mysql2", async () => {
    const mysql = await planFileMigration({
      file: 'a.js',
      fileName: '/project/a.js',
      text: "export async function f(c, id) {\n  await c.execute({ sql: 'select id from orders where id = ?', values: [id] });\n}\n",
      dialect: 'mysql',
      target: 'knex',
      instance: 'knex',
    });
    assert.equal(mysql.converted, 1, JSON.stringify(mysql.refusals));
    assert.match(
      mysql.edits[0].newText,
      /c\.execute\(\{ sql: compiledQuery\.sql, values: \[\.\.\.compiledQuery\.bindings\] \}$/,
    );
    const wrongKey = await plan(
      "export async function f() {\n  await pool.query({ sql: 'select id from orders' });\n}\n",
    );
    assert.match(wrongKey.refusals[0]?.reason ?? '', /node-postgres reads 'text'/);
  });
});
