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
          '  FROM orders o -- the ` in a comment does not end it: `',
          'const m = `',
          '  select a file, then press enter',
          '`;',
          'const after = 3;',
        ].join('\n'),
      );
      assertSql(tokens, 'SELECT', 'keyword.other.DML.sql');
      assertSql(tokens, 'FROM', 'keyword.other.DML.sql');
      assertNotSql(tokens, 'select a file');
      assertNotSql(tokens, 'after');
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
