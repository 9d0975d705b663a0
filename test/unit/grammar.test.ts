import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import vsctm from 'vscode-textmate';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));

const contributesSchema = z.object({
  grammars: z.array(
    z.object({
      scopeName: z.string(),
      path: z.string(),
      injectTo: z.array(z.string()),
      embeddedLanguages: z.record(z.string(), z.string()),
    }),
  ),
});

/** VS Code's built-in grammars, as shipped by tm-grammars (the same files VS Code bundles). */
const hostGrammarFiles: Record<string, string> = {
  'source.ts': 'typescript',
  'source.tsx': 'tsx',
  'source.js': 'javascript',
  'source.js.jsx': 'jsx',
  'source.python': 'python',
  'source.sql': 'sql',
};

interface Token {
  text: string;
  scopes: string[];
}

let registry: vsctm.Registry;

/**
 * Loads grammars the way VS Code's TMGrammarFactory does: the host grammar by scope name, and
 * every contributed grammar whose `injectTo` names the scope or one of its dot-separated prefixes.
 */
async function createRegistry(): Promise<vsctm.Registry> {
  const wasm = await readFile(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const contributes = contributesSchema.parse(JSON.parse(await readFile(`${root}syntaxes/contributes.json`, 'utf8')));
  const files = new Map<string, string>();
  for (const [scope, name] of Object.entries(hostGrammarFiles)) {
    files.set(scope, require.resolve(`tm-grammars/grammars/${name}.json`));
  }
  for (const grammar of contributes.grammars) files.set(grammar.scopeName, root + grammar.path);
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      return file ? vsctm.parseRawGrammar(await readFile(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => {
      const parts = scopeName.split('.');
      const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('.'));
      return contributes.grammars.filter((g) => g.injectTo.some((s) => prefixes.includes(s))).map((g) => g.scopeName);
    },
  });
}

async function tokenize(scopeName: string, code: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  for (const line of code.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      tokens.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    tokens.push({ text: '\n', scopes: [] });
    state = result.ruleStack;
  }
  return tokens;
}

/** Scopes of the token where the n-th occurrence of `needle` starts (positions found by text). */
function scopesAt(tokens: Token[], needle: string, occurrence = 1): string[] {
  const text = tokens.map((t) => t.text).join('');
  let offset = -1;
  for (let i = 0; i < occurrence; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `"${needle}" occurs ${occurrence} time(s)`);
  let start = 0;
  for (const token of tokens) {
    if (offset < start + token.text.length) return token.scopes;
    start += token.text.length;
  }
  throw new Error('unreachable');
}

const isEmbeddedSql = (scopes: string[]) => scopes.some((s) => /^meta\.embedded\.(line|block)\.sql$/.test(s));

function assertSql(tokens: Token[], needle: string, expectedScope?: string, occurrence = 1): void {
  const scopes = scopesAt(tokens, needle, occurrence);
  assert.ok(isEmbeddedSql(scopes), `"${needle}" is SQL: ${scopes.join(' ')}`);
  if (expectedScope) assert.ok(scopes.includes(expectedScope), `"${needle}" has ${expectedScope}: ${scopes.join(' ')}`);
}

function assertNotSql(tokens: Token[], needle: string, occurrence = 1): void {
  const scopes = scopesAt(tokens, needle, occurrence);
  assert.ok(!scopes.some((s) => s.endsWith('.sql')), `"${needle}" is not SQL: ${scopes.join(' ')}`);
}

before(async () => {
  registry = await createRegistry();
});

describe('SQL injection grammar files', () => {
  test('are what syntaxes/build.mjs generates', () => {
    execFileSync(process.execPath, [`${root}syntaxes/build.mjs`, '--check'], { stdio: 'pipe' });
  });
});

for (const [scope, suffix] of [
  ['source.ts', 'ts'],
  ['source.tsx', 'tsx'],
  ['source.js', 'js'],
  ['source.js.jsx', 'js.jsx'],
] as const) {
  describe(`SQL in ${scope} strings`, () => {
    test('tagged templates', async () => {
      const tokens = await tokenize(
        scope,
        [
          'const a = sql`SELECT id FROM users WHERE id = ${id}`;',
          'const b = Prisma.sql`select name from items`;',
          'const c = await db.sql`DELETE FROM orders`;',
          'const d = await prisma.$queryRaw`SELECT total FROM invoices`;',
          'const after = 1;',
        ].join('\n'),
      );
      assertSql(tokens, 'SELECT', 'keyword.other.DML.sql');
      assertSql(tokens, 'users');
      assertSql(tokens, 'select', 'keyword.other.DML.sql');
      assertSql(tokens, 'DELETE', 'keyword.other.DML.sql');
      assertSql(tokens, 'SELECT total', 'keyword.other.DML.sql');
      const interpolation = scopesAt(tokens, 'id}');
      assert.ok(interpolation.includes(`meta.template.expression.${suffix}`), interpolation.join(' '));
      assert.ok(interpolation.includes(`variable.other.readwrite.${suffix}`), interpolation.join(' '));
      assert.ok(scopesAt(tokens, 'Prisma').includes(`variable.other.object.${suffix}`));
      assertNotSql(tokens, 'after');
      assert.ok(scopesAt(tokens, 'const after').includes(`storage.type.${suffix}`), 'the host grammar is back');
    });

    test('query call arguments and strings that read as SQL', async () => {
      const tokens = await tokenize(
        scope,
        [
          "await pool.query('SHOW tables');",
          'await conn.execute("update users set name = ? where id = ?", [name, id]);',
          "const q = 'SELECT * FROM users WHERE email = $1';",
          'const r = `INSERT INTO logs (msg) VALUES (${msg})`;',
          'const s = /* sql */ `tables_of_the_day`;',
          'const after = 2;',
        ].join('\n'),
      );
      assertSql(tokens, 'SHOW');
      assertSql(tokens, 'update', 'keyword.other.DML.sql');
      assertSql(tokens, '?', 'constant.other.placeholder.sql');
      assertSql(tokens, 'SELECT', 'keyword.other.DML.sql');
      assertSql(tokens, '$1', 'constant.other.placeholder.sql');
      assertSql(tokens, 'INSERT', 'keyword.other.DML.sql');
      assert.ok(scopesAt(tokens, 'msg})').includes(`meta.template.expression.${suffix}`));
      assertSql(tokens, 'tables_of_the_day');
      assertNotSql(tokens, 'after');
    });

    test('a template whose SQL starts on the next line', async () => {
      const tokens = await tokenize(
        scope,
        [
          'const q = `',
          '  SELECT o.id, o.total',
          '  FROM orders o -- a comment ends with the template: `;',
          'const m = `',
          '  select a file, then press enter',
          '`;',
          'const after = 3;',
        ].join('\n'),
      );
      assertSql(tokens, 'SELECT', 'keyword.other.DML.sql');
      assertSql(tokens, 'FROM', 'keyword.other.DML.sql');
      assertSql(tokens, 'a comment', 'comment.line.double-dash.sql');
      assert.ok(
        scopesAt(tokens, 'const m').includes(`storage.type.${suffix}`),
        'the comment did not swallow the backtick',
      );
      assertNotSql(tokens, 'select a file');
      assertNotSql(tokens, 'after');
    });

    test('markers, leading comments, quoted identifiers and other tags', async () => {
      const tokens = await tokenize(
        scope,
        [
          'const a = `-- sql',
          '  tables_of_the_day`;',
          'const b = `/* list users */ SELECT id, name FROM users`;',
          "const c = 'SELECT `id`, \\'x\\' FROM t';",
          'const d = (id) => `DELETE FROM carts WHERE id = ${id}`;',
          "const e = knex.raw('price > ?', [1]);",
          'const f = html`SELECT * FROM t`;',
          'const g = String.raw`select * from t`;',
          "const h = child.exec('update everything');",
        ].join('\n'),
      );
      assertSql(tokens, 'tables_of_the_day');
      assertSql(tokens, 'list users', 'comment.block.sql');
      assertSql(tokens, 'SELECT id', 'keyword.other.DML.sql');
      assertSql(tokens, '`id`', 'string.quoted.other.backtick.sql');
      assertSql(tokens, "\\'x", `constant.character.escape.${suffix}`);
      assertSql(tokens, 'DELETE', 'keyword.other.DML.sql');
      assertSql(tokens, '?', 'constant.other.placeholder.sql');
      assertNotSql(tokens, 'SELECT * FROM t');
      assertNotSql(tokens, 'select * from t');
      assertNotSql(tokens, 'update everything');
    });

    test('ordinary strings and log messages stay strings', async () => {
      const tokens = await tokenize(
        scope,
        [
          "const a = 'select a file';",
          'const b = "Selected";',
          "logger.info('Update available: restart to apply');",
          'console.log(`Delete file? ${name}`);',
          "el.setAttribute('type', 'select');",
          "const c = 'Select one from the list';",
          'const d = `with love`;',
        ].join('\n'),
      );
      for (const needle of ['select a file', 'Selected', 'Update available', 'Delete file', "'select'", 'Select one']) {
        assertNotSql(tokens, needle);
      }
      assertNotSql(tokens, 'with love');
    });
  });
}

describe('SQL in TypeScript-only forms', () => {
  test('type arguments on tags and query calls', async () => {
    const tokens = await tokenize(
      'source.ts',
      [
        'const n = sql<number>`select count(*) from orders`;',
        'const { rows } = await pool.query<Row>(`SHOW tables`);',
        'const x = gql<Query>`select * from nowhere`;',
        'const f = db.sql.fragment<Row>`where id = ${id}`;',
        'const after = 1;',
      ].join('\n'),
    );
    assertSql(tokens, 'select', 'keyword.other.DML.sql');
    assert.ok(scopesAt(tokens, 'number').includes('support.type.primitive.ts'));
    assertSql(tokens, 'SHOW');
    assert.ok(scopesAt(tokens, 'Row').includes('entity.name.type.ts'));
    assertNotSql(tokens, 'select * from nowhere');
    assertSql(tokens, 'where id', 'keyword.other.DML.sql');
    assert.ok(scopesAt(tokens, 'const after').includes('storage.type.ts'), 'the host grammar is back');
  });

  test('a whole repository module keeps SQL in its strings and nowhere else', async () => {
    const tokens = await tokenize('source.ts', await readFile(`${root}test/fixtures/grammar/orders.ts.txt`, 'utf8'));
    assertSql(tokens, 'SELECT o.id', 'keyword.other.DML.sql');
    assertSql(tokens, 'newest first', 'comment.line.double-dash.sql');
    assertSql(tokens, 'GROUP BY', 'keyword.other.DML.sql');
    assert.ok(scopesAt(tokens, 'since}').includes('meta.template.expression.ts'));
    assertSql(tokens, 'status =');
    assertSql(tokens, 'select count', 'keyword.other.DML.sql');
    assertSql(tokens, '`deleted`', 'string.quoted.other.backtick.sql');
    assertSql(tokens, 'UPDATE orders', 'keyword.other.DML.sql');
    for (const needle of ['Selected', 'select a file', 'Update available', 'Delete', "'select'", 'end = true']) {
      assertNotSql(tokens, needle);
    }
    assert.ok(scopesAt(tokens, 'end = true').includes('variable.other.constant.ts'));
  });
});

describe('SQL in Python strings', () => {
  test('every prefix and quote passed to execute(), text() and raw()', async () => {
    const tokens = await tokenize(
      'source.python',
      [
        'cur.execute("SHOW TABLES")',
        "cur.execute(f'SELECT id FROM {table} WHERE name = %s', (name,))",
        'rows = conn.execute(text("status = :status"))',
        "people = Person.objects.raw(r'SELECT * FROM myapp_person WHERE name ~ \\'^a\\'')",
        'cur.executemany(u"INSERT INTO t (a) VALUES (%s)", rows)',
        "cur.execute(rf'''SELECT {col} FROM t''')",
        'st.text("Select a file")',
      ].join('\n'),
    );
    assertSql(tokens, 'SHOW TABLES');
    assertSql(tokens, 'SELECT id', 'keyword.other.DML.sql');
    assert.ok(scopesAt(tokens, '{table}').includes('constant.character.format.placeholder.other.python'));
    assertSql(tokens, '%s', 'constant.other.placeholder.sql');
    assertSql(tokens, ':status', 'constant.other.placeholder.sql');
    assertSql(tokens, 'myapp_person');
    assertSql(tokens, 'INSERT', 'keyword.other.DML.sql');
    assertSql(tokens, 'SELECT {col}', 'keyword.other.DML.sql');
    assert.ok(scopesAt(tokens, '{col}').includes('constant.character.format.placeholder.other.python'));
    assertNotSql(tokens, 'Select a file');
  });

  test('strings that read as SQL, on their first line or the next', async () => {
    const tokens = await tokenize(
      'source.python',
      [
        'Q = "DELETE FROM sessions WHERE expires < now()"',
        "R = 'update users set name = %(name)s where id = %(id)s'",
        'S = """',
        '    WITH recent AS (SELECT * FROM orders)',
        '    SELECT count(*) FROM recent -- a comment ends with the string: """',
        'T = f"""',
        '    select a file: {name}',
        '"""',
        'U = 1',
      ].join('\n'),
    );
    assertSql(tokens, 'DELETE', 'keyword.other.DML.sql');
    assertSql(tokens, 'update', 'keyword.other.DML.sql');
    assertSql(tokens, '%(name)s', 'constant.character.format.placeholder.other.python');
    assertSql(tokens, 'WITH');
    assertSql(tokens, 'count', 'support.function.aggregate.sql');
    assertSql(tokens, 'a comment', 'comment.line.double-dash.sql');
    assertNotSql(tokens, 'T = f');
    assertNotSql(tokens, 'select a file');
    assertNotSql(tokens, 'U = 1');
  });

  test('a whole module keeps SQL in its strings and nowhere else', async () => {
    const tokens = await tokenize('source.python', await readFile(`${root}test/fixtures/grammar/orders.py`, 'utf8'));
    assertNotSql(tokens, 'Order queries');
    assertSql(tokens, 'SELECT o.id', 'keyword.other.DML.sql');
    assertSql(tokens, '%(customer_id)s', 'constant.character.format.placeholder.other.python');
    assertSql(tokens, 'newest first', 'comment.line.double-dash.sql');
    assertSql(tokens, 'select date_trunc', 'keyword.other.DML.sql');
    assertSql(tokens, "'day'", 'string.quoted.single.sql');
    assert.ok(scopesAt(tokens, '{table}').includes('constant.character.format.placeholder.other.python'));
    assertSql(tokens, ':since', 'constant.other.placeholder.sql');
    assertSql(tokens, '"deleted"', 'string.quoted.double.sql');
    assertSql(tokens, 'INSERT INTO audit', 'keyword.other.DML.sql');
    assertSql(tokens, 'status = :status');
    for (const needle of ['Update available', 'select a file', 'Selected', 'Delete the old export', 'END = True']) {
      assertNotSql(tokens, needle);
    }
    assert.ok(scopesAt(tokens, 'True').includes('constant.language.python'));
  });
});
