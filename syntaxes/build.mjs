// Writes the TextMate injection grammars that colour SQL inside JavaScript, TypeScript and Python
// strings, and the `contributes.grammars` entries that register them.
//
//   node syntaxes/build.mjs           write syntaxes/*.tmLanguage.json and syntaxes/contributes.json
//   node syntaxes/build.mjs --check   exit 1 when a written file differs from what this script makes
//
// One generator instead of five hand-written files: the hosts differ only in scope suffixes, string
// delimiters and interpolation rules, and the SQL detection must stay identical across them.
import { readFile, writeFile } from 'node:fs/promises';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const BACKTICK = '\\x60';

// ---------------------------------------------------------------------------------------------
// When does a string read as SQL? A statement keyword at its start, followed by the shape of a
// statement: "select a file", "Update available" and "Delete file?" stay plain text. Keywords are
// upper or lower case (SELECT, select) but not capitalised like a sentence (Select).
// ---------------------------------------------------------------------------------------------

const keyword = (word) => `(?:${word.toUpperCase()}|${word})`;
const NAME = `(?:[\\w$]+|\\\\?"[^"\\\\]*\\\\?"|\\\\?${BACKTICK}[^${BACKTICK}\\\\]*\\\\?${BACKTICK}|\\[[^\\]]*\\]|\\$?\\{[^}]*\\})`;
const QUALIFIED_NAME = `${NAME}(?:\\.${NAME})*`;
/** The string or the line ends here: `select *'`, `select 1"`, `SELECT *` at the end of a line. */
const TEXT_ENDS = `\\s*(?:$|;|(?=["'${BACKTICK}]))`;

const SELECT_LIST = [
  `(?:\\*|\\d+(?:\\.\\d+)?)(?:${TEXT_ENDS}|\\s*,|\\s+(?i:from|as)\\b)`,
  `(?i:distinct)\\s`,
  `(?i:top)\\s+\\d`,
  `${QUALIFIED_NAME}\\s*\\(`,
  `${QUALIFIED_NAME}(?:\\s*,|\\s+(?i:as|from)\\b)`,
  // Only a multi-line string has a line end here: `SELECT id` then `FROM …` on the next line.
  `${QUALIFIED_NAME}\\s*(?:$|--)`,
].join('|');

const STATEMENTS = [
  `${keyword('select')}(?:\\s*$|\\s+(?:${SELECT_LIST}))`,
  `${keyword('insert')}(?:\\s*$|\\s+(?i:(?:ignore\\s+)?into)\\b)`,
  `${keyword('replace')}\\s+(?i:into)\\b`,
  `${keyword('update')}(?:\\s*$|\\s+(?i:only\\s+)?${QUALIFIED_NAME}(?:\\s+(?i:as\\s+)?[\\w$]+)?\\s+(?i:set)\\b)`,
  `${keyword('delete')}(?:\\s*$|\\s+(?i:from)\\b)`,
  `${keyword('with')}\\s+(?i:recursive\\s+)?${NAME}\\s*(?:\\([^)]*\\)\\s*)?(?i:as)\\s*(?:(?i:not\\s+)?(?i:materialized)\\s*)?\\(`,
  `${keyword('merge')}\\s+(?i:into)\\b`,
  `${keyword('explain')}\\s+(?:\\(|(?i:analyze|verbose|query\\s+plan|select|insert|update|delete|with)\\b)`,
  `${keyword('create')}\\s+(?:(?i:or\\s+replace|temp|temporary|unique|unlogged|materialized|global|local|recursive)\\s+)*(?i:table|view|index|schema|sequence|function|procedure|trigger|type|extension|database|domain|role|user|policy)\\b`,
  `${keyword('alter')}\\s+(?i:table|view|index|schema|sequence|function|procedure|type|database|domain|role|user|materialized\\s+view)\\b`,
  `${keyword('drop')}\\s+(?i:table|view|index|schema|sequence|function|procedure|trigger|type|extension|database|domain|role|user|policy|materialized\\s+view)\\b`,
  `${keyword('truncate')}\\s+(?i:table)\\b`,
];

/** `/* sql *\/` or `-- sql` at the start of a string declares it SQL whatever follows. */
const MARKER = `(?:/\\*\\s*(?i:sql)\\s*\\*/|--\\s*(?i:sql)\\b)`;
/** Lookahead body: what the text right after an opening delimiter must look like to be SQL. */
const SQL_HEAD = `\\s*(?:${MARKER}|(?:/\\*(?:[^*]|\\*(?!/))*\\*/\\s*)*(?:${STATEMENTS.join('|')}))`;

const EMBEDDED_LINE = 'meta.embedded.line.sql';
const EMBEDDED_BLOCK = 'meta.embedded.block.sql';

// ---------------------------------------------------------------------------------------------
// The SQL body inside one kind of string. The SQL grammar alone would run past the closing
// delimiter (a `--` comment, an unclosed quote or `[`), so its multi-line rules are pre-empted by
// guarded copies that stop at the delimiter, and the host's escapes and interpolations come first.
// ---------------------------------------------------------------------------------------------

/**
 * @param {object} options
 * @param {object[]} options.host host rules that win inside SQL text and its literals (escapes, interpolations)
 * @param {string} options.stop regex of the closing delimiter, used as a lookahead
 * @param {boolean} options.singleLine whether the host string ends at the end of the line
 * @param {string[]} options.quotes SQL quote characters that can appear unescaped in this string
 */
function sqlBody({ host, stop, singleLine, quotes }) {
  const until = (close) => [close, `(?=${stop})`, ...(singleLine ? ['$'] : [])].filter(Boolean).join('|');
  const quoteScopes = {
    "'": 'string.quoted.single.sql',
    '"': 'string.quoted.double.sql',
    [BACKTICK]: 'string.quoted.other.backtick.sql',
  };
  return [
    ...host,
    {
      begin: '(^[\\t ]+)?(--)',
      beginCaptures: {
        1: { name: 'punctuation.whitespace.comment.leading.sql' },
        2: { name: 'comment.line.double-dash.sql punctuation.definition.comment.sql' },
      },
      end: `$|(?=${stop})`,
      contentName: 'comment.line.double-dash.sql',
      patterns: host,
    },
    {
      begin: '/\\*',
      beginCaptures: { 0: { name: 'punctuation.definition.comment.sql' } },
      end: until('\\*/'),
      endCaptures: { 0: { name: 'punctuation.definition.comment.sql' } },
      name: 'comment.block.sql',
      patterns: host,
    },
    ...quotes.map((quote) => ({
      begin: quote,
      beginCaptures: { 0: { name: 'punctuation.definition.string.begin.sql' } },
      end: until(quote),
      endCaptures: { 0: { name: 'punctuation.definition.string.end.sql' } },
      name: quoteScopes[quote],
      patterns: host,
    })),
    // $1 (PostgreSQL), ? (MySQL, SQLite), :name, %s and %(name)s (Python drivers).
    { match: '\\$\\d+|\\?|(?<![:\\w]):[A-Za-z_]\\w*|%(?:\\(\\w+\\))?s', name: 'constant.other.placeholder.sql' },
    { match: '[\\[\\]]', name: 'punctuation.section.brackets.sql' },
    { match: '[/%]', name: 'keyword.operator.math.sql' },
    { include: 'source.sql' },
  ];
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript: tagged templates, comment-tagged templates, the first argument of
// query calls, and string or template literals that read as SQL.
// ---------------------------------------------------------------------------------------------

const JS_QUERY_METHODS = [
  'query',
  'execute',
  'raw',
  'unsafe',
  'prepare',
  '\\$queryRawUnsafe',
  '\\$executeRawUnsafe',
  '\\$queryRaw',
  '\\$executeRaw',
  'whereRaw',
  'orWhereRaw',
  'havingRaw',
  'orHavingRaw',
  'orderByRaw',
  'groupByRaw',
  'selectRaw',
  'joinRaw',
  'fromRaw',
];
const JS_SQL_TAGS = ['sql', 'SQL', '\\$queryRaw', '\\$executeRaw'];
const TYPE_ARGUMENTS = '<(?:[^<>()]|<[^<>()]*>)*>';
/**
 * Not right after a tag (`html`, `gql<T>`): the host reads a tag apart from its template, and tags
 * other than the SQL ones are not SQL. An arrow's `=>` is no tag.
 */
const NOT_TAGGED = '(?<![$_[:alnum:]])(?<![^=]>)';

/**
 * @param {{ scope: string, suffix: string, typeScript: boolean }} js
 * @param {Record<string, object>} repository receives the SQL bodies, shared by several rules
 */
function jsPatterns({ scope, suffix, typeScript }, repository) {
  const typeArguments = typeScript ? `(?:\\s*${TYPE_ARGUMENTS})?` : '';
  const callBefore = `\\.\\s*(?:${JS_QUERY_METHODS.join('|')})${typeArguments}\\s*\\(\\s*`;
  const escape = { include: `${scope}#string-character-escape` };
  const substitution = { include: `${scope}#template-substitution-element` };
  const templateBegin = `string.template.${suffix} punctuation.definition.string.template.begin.${suffix}`;
  const templateEnd = { 0: { name: `string.template.${suffix} punctuation.definition.string.template.end.${suffix}` } };
  repository['template-sql'] = {
    patterns: sqlBody({ host: [substitution, escape], stop: BACKTICK, singleLine: false, quotes: ["'", '"'] }),
  };
  const templateBody = [{ include: '#template-sql' }];

  const quoted = (quote, kind) => ({
    begin: `(${quote})(?:(?<=${callBefore}${quote})|(?=${SQL_HEAD}))`,
    beginCaptures: { 1: { name: `punctuation.definition.string.begin.${suffix}` } },
    end: `(${quote})|([^\\n\\\\])$`,
    endCaptures: {
      1: { name: `punctuation.definition.string.end.${suffix}` },
      2: { name: `invalid.illegal.newline.${suffix}` },
    },
    name: `string.quoted.${kind}.${suffix}`,
    contentName: EMBEDDED_LINE,
    patterns: sqlBody({
      host: [escape],
      stop: quote,
      singleLine: true,
      quotes: ["'", '"', BACKTICK].filter((q) => q !== quote),
    }),
  });

  return [
    {
      // The rule starts where the host's own tagged-template rule would (at `Prisma` in
      // `Prisma.sql`), so that it wins that position; starting later would leave the host's rule open
      // around the SQL. It is tried at every word start, so its identifiers never backtrack.
      comment: 'sql`…`, Prisma.sql`…`, db.sql`…`, prisma.$queryRaw`…`, sql<Row>`…`, sql.fragment`…`',
      begin: `(?<![$_[:alnum:]])((?:[$_[:alpha:]][$_[:alnum:]]*+\\s*+\\??\\.\\s*+)*|\\??\\.\\s*+)(${JS_SQL_TAGS.join('|')})(?:(\\.)(fragment|unsafe))?(?![$_[:alnum:]])\\s*+(${typeScript ? TYPE_ARGUMENTS : '(?!)'})?\\s*+(${BACKTICK})`,
      beginCaptures: {
        1: {
          patterns: [
            { match: '\\?\\.', name: `punctuation.accessor.optional.${suffix}` },
            { match: '\\.', name: `punctuation.accessor.${suffix}` },
            { match: '[$_[:alpha:]][$_[:alnum:]]*', name: `variable.other.object.${suffix}` },
          ],
        },
        2: { name: `entity.name.function.tagged-template.${suffix}` },
        3: { name: `punctuation.accessor.${suffix}` },
        4: { name: `entity.name.function.tagged-template.${suffix}` },
        5: { patterns: [{ include: `${scope}#type-arguments` }] },
        6: { name: templateBegin },
      },
      end: BACKTICK,
      endCaptures: templateEnd,
      contentName: `string.template.${suffix} ${EMBEDDED_BLOCK}`,
      patterns: templateBody,
    },
    {
      comment: '/* sql */ `…`',
      begin: `((/\\*)\\s*(?i:sql)\\s*(\\*/))\\s*(${BACKTICK})`,
      beginCaptures: {
        1: { name: `comment.block.${suffix}` },
        2: { name: `punctuation.definition.comment.${suffix}` },
        3: { name: `punctuation.definition.comment.${suffix}` },
        4: { name: templateBegin },
      },
      end: BACKTICK,
      endCaptures: templateEnd,
      contentName: `string.template.${suffix} ${EMBEDDED_BLOCK}`,
      patterns: templateBody,
    },
    {
      comment: 'db.query(`…`) and `SELECT …` templates',
      begin: `${NOT_TAGGED}(${BACKTICK})(?:(?<=${callBefore}${BACKTICK})|(?=${SQL_HEAD}))`,
      beginCaptures: { 1: { name: templateBegin } },
      end: BACKTICK,
      endCaptures: templateEnd,
      contentName: `string.template.${suffix} ${EMBEDDED_BLOCK}`,
      patterns: templateBody,
    },
    quoted("'", 'single'),
    quoted('"', 'double'),
    {
      comment: 'A template whose first line is empty is SQL when its first non-blank line reads as SQL.',
      begin: `${NOT_TAGGED}(${BACKTICK})(?=\\s*$)`,
      beginCaptures: { 1: { name: templateBegin } },
      end: BACKTICK,
      endCaptures: templateEnd,
      contentName: `string.template.${suffix}`,
      patterns: [
        { begin: `^(?=${SQL_HEAD})`, end: `(?=${BACKTICK})`, contentName: EMBEDDED_BLOCK, patterns: templateBody },
        { begin: '^(?=\\s*\\S)', end: `(?=${BACKTICK})`, patterns: [substitution, escape] },
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Python: string literals of every prefix and quote passed to execute()/text()/raw()… or reading
// as SQL. Scopes copy MagicPython's (VS Code's built-in Python grammar) so themes see no change.
// ---------------------------------------------------------------------------------------------

const PY_CALLS = [
  '\\b(?:execute|executemany|executescript|mogrify|exec_driver_sql|read_sql|read_sql_query|fetchrow|fetchval)',
  '(?:^|[^\\w.])text',
  '\\b(?:sa|sqlalchemy)\\.text',
  '\\.raw',
];
const PY_CALL_BEFORE = `(?:${PY_CALLS.join('|')})\\s*\\(\\s*`;

/** String prefixes, each with MagicPython's region name and the rules it runs inside the string. */
const PY_KINDS = [
  {
    name: 'plain',
    prefix: '([Uu])?',
    prefixBefore: '[Uu]?',
    eolPrefix: '([Uu])?',
    region: (lines) => `string.quoted.${lines}.python`,
    prefixScope: () => 'storage.type.string.python',
    quoteScope: () => 'punctuation.definition.string.begin.python',
    endScope: () => 'punctuation.definition.string.end.python',
    host: () => ['#string-unicode-guts'],
    hostPlain: (lines) => [
      `#string-${lines}-bad-brace1-formatting-unicode`,
      `#string-${lines}-bad-brace2-formatting-unicode`,
      '#string-unicode-guts',
    ],
  },
  {
    // MagicPython reads a lower-case r'…' as a regular expression; SQL wins where it is SQL.
    name: 'raw',
    prefix: '\\b([Rr])',
    prefixBefore: '[Rr]',
    eolPrefix: '\\b(R)',
    region: (lines) => `string.quoted.raw.${lines}.python`,
    prefixScope: () => 'storage.type.string.python',
    quoteScope: () => 'punctuation.definition.string.begin.python',
    endScope: () => 'punctuation.definition.string.end.python',
    host: () => ['#string-raw-guts'],
    hostPlain: (lines) => [
      `#string-${lines}-bad-brace1-formatting-raw`,
      `#string-${lines}-bad-brace2-formatting-raw`,
      '#string-raw-guts',
    ],
  },
  {
    name: 'fstring',
    prefix: '\\b([Ff])',
    prefixBefore: '[Ff]',
    eolPrefix: '\\b([Ff])',
    region: () => 'meta.fstring.python',
    prefixScope: (lines) => `string.interpolated.python string.quoted.${lines}.python storage.type.string.python`,
    quoteScope: (lines) =>
      `punctuation.definition.string.begin.python string.interpolated.python string.quoted.${lines}.python`,
    endScope: (lines) =>
      `punctuation.definition.string.end.python string.interpolated.python string.quoted.${lines}.python`,
    host: (lines) => ['#fstring-guts', `#fstring-illegal-${lines}-brace`, `#fstring-${lines}-brace`],
    hostPlain: (lines) => [
      '#fstring-guts',
      `#fstring-illegal-${lines}-brace`,
      `#fstring-${lines}-brace`,
      `#fstring-${lines}-core`,
    ],
  },
  {
    name: 'raw-fstring',
    prefix: '\\b([Rr][Ff]|[Ff][Rr])',
    prefixBefore: '(?:[Rr][Ff]|[Ff][Rr])',
    eolPrefix: '\\b([Rr][Ff]|[Ff][Rr])',
    region: () => 'meta.fstring.python',
    prefixScope: (lines) => `string.interpolated.python string.quoted.raw.${lines}.python storage.type.string.python`,
    quoteScope: (lines) => `punctuation.definition.string.begin.python string.quoted.raw.${lines}.python`,
    endScope: (lines) =>
      `punctuation.definition.string.end.python string.interpolated.python string.quoted.raw.${lines}.python`,
    host: (lines) => ['#fstring-raw-guts', `#fstring-illegal-${lines}-brace`, `#fstring-${lines}-brace`],
    hostPlain: (lines) => [
      '#fstring-raw-guts',
      `#fstring-illegal-${lines}-brace`,
      `#fstring-${lines}-brace`,
      `#fstring-raw-${lines}-core`,
    ],
  },
];

const PY_QUOTES = [
  { quote: "'''", lines: 'multi', sqlQuotes: ["'", '"', BACKTICK] },
  { quote: '"""', lines: 'multi', sqlQuotes: ["'", '"', BACKTICK] },
  { quote: "'", lines: 'single', sqlQuotes: ['"', BACKTICK] },
  { quote: '"', lines: 'single', sqlQuotes: ["'", BACKTICK] },
];

const pythonIncludes = (names) => names.map((name) => ({ include: `source.python${name}` }));

/** @param {Record<string, object>} repository receives the SQL bodies, shared by several rules */
function pythonPatterns(repository) {
  const patterns = [];
  for (const { quote, lines, sqlQuotes } of PY_QUOTES) {
    for (const kind of PY_KINDS) {
      const singleLine = lines === 'single';
      const key = `${kind.name}-${lines}-${quote === '"' || quote === '"""' ? 'double' : 'single'}-quoted-sql`;
      repository[key] = {
        patterns: sqlBody({ host: pythonIncludes(kind.host(lines)), stop: quote, singleLine, quotes: sqlQuotes }),
      };
      const body = [{ include: `#${key}` }];
      const captures = {
        begin: { 1: { name: kind.prefixScope(lines) }, 2: { name: kind.quoteScope(lines) } },
        end: singleLine
          ? { 1: { name: kind.endScope(lines) }, 2: { name: 'invalid.illegal.newline.python' } }
          : { 1: { name: kind.endScope(lines) } },
      };
      const end = singleLine ? `(${quote})|((?<!\\\\)\\n)` : `(${quote})`;
      patterns.push({
        begin: `${kind.prefix}(${quote})(?:(?<=${PY_CALL_BEFORE}${kind.prefixBefore}${quote})|(?=${SQL_HEAD}))`,
        beginCaptures: captures.begin,
        end,
        endCaptures: captures.end,
        name: kind.region(lines),
        contentName: singleLine ? EMBEDDED_LINE : EMBEDDED_BLOCK,
        patterns: body,
      });
      if (!singleLine) {
        patterns.push({
          comment:
            'A triple-quoted string whose first line is empty is SQL when its first non-blank line reads as SQL.',
          begin: `${kind.eolPrefix}(${quote})(?=\\s*$)`,
          beginCaptures: captures.begin,
          end,
          endCaptures: captures.end,
          name: kind.region(lines),
          patterns: [
            { begin: `^(?=${SQL_HEAD})`, end: `(?=${quote})`, contentName: EMBEDDED_BLOCK, patterns: body },
            { begin: '^(?=\\s*\\S)', end: `(?=${quote})`, patterns: pythonIncludes(kind.hostPlain(lines)) },
            ...pythonIncludes(kind.hostPlain(lines)),
          ],
        });
      }
    }
  }
  return patterns;
}

// ---------------------------------------------------------------------------------------------
// The grammars and their registration.
// ---------------------------------------------------------------------------------------------

/** Host grammars of VS Code's built-in languages that get SQL strings. */
const HOSTS = [
  { file: 'sql-in-ts', language: 'typescript', scope: 'source.ts', suffix: 'ts', typeScript: true },
  { file: 'sql-in-tsx', language: 'typescriptreact', scope: 'source.tsx', suffix: 'tsx', typeScript: true },
  { file: 'sql-in-js', language: 'javascript', scope: 'source.js', suffix: 'js', typeScript: false },
  { file: 'sql-in-jsx', language: 'javascriptreact', scope: 'source.js.jsx', suffix: 'js.jsx', typeScript: false },
  { file: 'sql-in-python', language: 'python', scope: 'source.python', suffix: 'python' },
];

/** Where the injection applies: code of the host, not its comments, strings or JSX text. */
function injectionSelector(host) {
  const excluded = ['comment', 'string'];
  // VS Code also offers a grammar injected into source.js to source.js.jsx documents.
  if (host.scope === 'source.js') excluded.unshift('source.js.jsx');
  if (host.suffix === 'tsx' || host.suffix === 'js.jsx') excluded.push('meta.jsx.children');
  // MagicPython names f-string regions meta.fstring and only their literal text string.*.
  if (host.scope === 'source.python') excluded.push('meta.fstring');
  return `L:${host.scope} ${excluded.map((scope) => `-${scope}`).join(' ')}`;
}

function grammarFor(host) {
  const repository = {};
  const patterns = host.scope === 'source.python' ? pythonPatterns(repository) : jsPatterns(host, repository);
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: `SQL in ${host.language} strings (generated by syntaxes/build.mjs)`,
    scopeName: `injection.live-schema.sql.${host.suffix}`,
    injectionSelector: injectionSelector(host),
    patterns,
    repository,
  };
}

function contributions() {
  return {
    grammars: HOSTS.map((host) => ({
      scopeName: `injection.live-schema.sql.${host.suffix}`,
      path: `./syntaxes/${host.file}.tmLanguage.json`,
      injectTo: [host.scope],
      embeddedLanguages: { [EMBEDDED_LINE]: 'sql', [EMBEDDED_BLOCK]: 'sql' },
    })),
  };
}

async function main() {
  const check = process.argv.includes('--check');
  const folder = fileURLToPath(import.meta.resolve('./'));
  const outputs = [
    ...HOSTS.map((host) => [`${host.file}.tmLanguage.json`, grammarFor(host)]),
    ['contributes.json', contributions()],
  ];
  const stale = [];
  for (const [name, content] of outputs) {
    const path = folder + name;
    const options = { ...(await prettier.resolveConfig(path)), filepath: path };
    const text = await prettier.format(JSON.stringify(content), options);
    if (!check) await writeFile(path, text);
    else if ((await readFile(path, 'utf8').catch(() => '')) !== text) stale.push(name);
  }
  if (stale.length > 0) {
    process.stderr.write(`Out of date (run node syntaxes/build.mjs): ${stale.join(', ')}\n`);
    process.exitCode = 1;
  }
}

await main();
