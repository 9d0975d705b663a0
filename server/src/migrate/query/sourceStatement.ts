/**
 * The statement a migration converts, as libpg-query's AST, for both dialects. Every generator
 * (Kysely, Knex, SQLAlchemy) walks this one AST. MySQL text is read through PostgreSQL's grammar
 * after a token-level translation (backtick names → double-quoted names, `?` → `$n`); anything
 * whose meaning differs between the two languages is refused here, so a generator never sees it.
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';
import type { Dialect } from '../../schema/snapshot';
import { tokenizeMysql, type Token } from '../../sql/mysql/tokenize';
import { REFUSAL } from './refusals';

export type SourceStatement =
  | {
      /** The libpg-query node of the one statement (`{ SelectStmt: … }`). */
      statement: unknown;
      /** MySQL names written with capitals and no backticks, as written: the server folds their case. */
      unquotedCapitals?: Set<string>;
    }
  | { refused: string };

let loading: Promise<void> | undefined;

/** Parses one statement of `dialect` for conversion, or says why it cannot be converted faithfully. */
export async function parseSourceStatement(sql: string, dialect: Dialect): Promise<SourceStatement> {
  await (loading ??= loadModule());
  let text = sql;
  let upperCaseWords = new Set<string>();
  let unquotedCapitals = new Set<string>();
  if (dialect === 'mysql') {
    const translated = translateMysql(sql);
    if ('refused' in translated) return translated;
    ({ text, upperCaseWords, unquotedCapitals } = translated);
  }
  let statements: unknown[];
  try {
    statements = (parseSync(text) as { stmts?: { stmt?: unknown }[] }).stmts?.map((s) => s.stmt) ?? [];
  } catch (error) {
    const grammar = dialect === 'mysql' ? 'the grammar the converter shares with PostgreSQL' : 'PostgreSQL';
    return { refused: REFUSAL.doesNotParse(grammar, (error as Error).message) };
  }
  if (statements.length !== 1) return { refused: REFUSAL.oneStatement };
  const statement = statements[0];
  const capitalised = [...identifierNames(statement)].find((name) => upperCaseWords.has(name));
  if (capitalised !== undefined) {
    return { refused: REFUSAL.mysqlCapitals(capitalised) };
  }
  return unquotedCapitals.size > 0 ? { statement, unquotedCapitals } : { statement };
}

/** Comparisons that bind like `<=>` in MySQL; PostgreSQL's IS NOT DISTINCT FROM binds looser than some of them. */
const COMPARISONS = new Set([
  '=',
  '<',
  '>',
  '<=',
  '>=',
  '<>',
  '!=',
  '<=>',
  'like',
  'in',
  'between',
  'is',
  'regexp',
  'rlike',
]);
/** Where a comparison's operands end at one nesting depth. */
const OPERAND_BOUNDARIES = new Set(
  [
    'and',
    'or',
    'not',
    'xor',
    'where',
    'on',
    'having',
    'when',
    'then',
    'else',
    'end',
    'select',
    'set',
    'by',
    'from',
  ].concat(','),
);

/**
 * `a <=> b` is `a IS NOT DISTINCT FROM b`, as long as no other comparison shares its operands'
 * nesting depth: `a <=> b = c` groups as `(a <=> b) = c` in MySQL, `a <=> (b = c)` once translated.
 */
function nullSafeEquals(tokens: Token[], index: number): string | undefined {
  const alone = (step: number): boolean => {
    let depth = 0;
    for (let i = index + step; i >= 0 && i < tokens.length; i += step) {
      const value = tokens[i].kind === 'quoted' ? '' : tokens[i].value.toLowerCase();
      if (value === (step > 0 ? '(' : ')')) depth++;
      else if (value === (step > 0 ? ')' : '(')) {
        if (depth === 0) return true;
        depth--;
      } else if (depth === 0 && OPERAND_BOUNDARIES.has(value)) return true;
      else if (depth === 0 && COMPARISONS.has(value)) return false;
    }
    return true;
  };
  return alone(-1) && alone(1) ? 'IS NOT DISTINCT FROM' : undefined;
}

/** Operators that parse in both languages but mean something else in MySQL (`||` is OR, `^` XOR, `~` bit NOT). */
const DIFFERENT_OPERATORS = new Set(['||', '&&', '^', '!', '~', '->', '->>', ':=', '@']);

function translateMysql(
  sql: string,
): { text: string; upperCaseWords: Set<string>; unquotedCapitals: Set<string> } | { refused: string } {
  const { tokens, error } = tokenizeMysql(sql);
  if (error) return { refused: REFUSAL.mysqlUnterminated(error.what) };
  if (/\/\*!|\/\*\+/.test(sql)) return { refused: REFUSAL.mysqlVersionComment };
  const pieces: string[] = [];
  const upperCaseWords = new Set<string>();
  const unquotedCapitals = new Set<string>();
  let parameterCount = 0;
  for (const [index, token] of tokens.entries()) {
    const refusal = mysqlTokenRefusal(token, tokens[index - 1]);
    if (refusal) return { refused: refusal };
    if (
      token.kind === 'word' &&
      token.value.toLowerCase() === 'distinct' &&
      tokens[index + 1]?.value.toLowerCase() === 'from'
    )
      return { refused: REFUSAL.mysqlDistinctFrom };
    // SUBSTRING(x SIMILAR p ESCAPE e) and EXTRACT('field' FROM x) read as functions MySQL also has.
    if (token.kind === 'word' && token.value.toLowerCase() === 'similar')
      return { refused: REFUSAL.postgresOnly('SIMILAR') };
    if (
      token.kind === 'string' &&
      tokens[index - 1]?.value === '(' &&
      /^extract$/i.test(tokens[index - 2]?.value ?? '')
    )
      return { refused: REFUSAL.postgresOnly("EXTRACT('field' FROM …)") };
    switch (token.kind) {
      case 'punct':
        if (token.value === '<=>') {
          // MySQL's NULL-safe equality; a MySQL statement reaches the generators with it only from `<=>`.
          const translated = nullSafeEquals(tokens, index);
          if (!translated) return { refused: REFUSAL.mysqlNullSafeNextToComparison };
          pieces.push(translated);
        } else pieces.push(token.value);
        break;
      case 'quoted':
        pieces.push(`"${token.value.replaceAll('"', '""')}"`);
        break;
      case 'param':
        pieces.push(`$${++parameterCount}`);
        break;
      case 'word':
        if (token.value === token.value.toLowerCase()) pieces.push(token.value);
        else if (isPlainName(token.value) && tokens[index + 1]?.value !== '(') {
          // MySQL reads a name as written (table names case-sensitively), so it is quoted as written.
          unquotedCapitals.add(token.value);
          pieces.push(`"${token.value}"`);
        } else {
          // A function name or a keyword: PostgreSQL's grammar folds it; a reserved keyword is never a name.
          if (!isReservedKeyword(token.value)) upperCaseWords.add(token.value.toLowerCase());
          pieces.push(token.value);
        }
        break;
      default:
        pieces.push(token.value);
    }
  }
  return { text: pieces.join(' '), upperCaseWords, unquotedCapitals };
}

/** A word PostgreSQL's grammar reads as a plain identifier, not as a keyword of any kind. */
function isPlainName(word: string): boolean {
  const tokens = scanSync(word).tokens;
  return tokens.length === 1 && tokens[0].tokenName === 'IDENT' && tokens[0].keywordKind === 0;
}

/** A keyword PostgreSQL's grammar never takes as a name (SELECT, ORDER, FROM …). */
function isReservedKeyword(word: string): boolean {
  const tokens = scanSync(word).tokens;
  return tokens.length === 1 && tokens[0].keywordName === 'RESERVED_KEYWORD';
}

function mysqlTokenRefusal(token: Token, previous: Token | undefined): string | undefined {
  switch (token.kind) {
    case 'string':
      if (token.value.startsWith('"')) return REFUSAL.mysqlDoubleQuotedString;
      if (token.value.includes('\\')) return REFUSAL.mysqlBackslashString;
      // x'41', b'01', N'…', _utf8'…': literal prefixes whose meaning PostgreSQL does not share.
      if (previous?.kind === 'word' && previous.end === token.start) return REFUSAL.mysqlStringPrefix(previous.value);
      return undefined;
    case 'number':
      return /^0[xb]/i.test(token.value) ? REFUSAL.mysqlHexLiteral : undefined;
    case 'variable':
      return REFUSAL.mysqlVariable;
    case 'punct':
      return DIFFERENT_OPERATORS.has(token.value) ? REFUSAL.mysqlOperator(token.value) : undefined;
    default:
      return undefined;
  }
}

/** The names of tables, aliases and columns in the AST: the ones MySQL may treat case-sensitively. */
function identifierNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) identifierNames(item, names);
    return names;
  }
  if (!node || typeof node !== 'object') return names;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (typeof value === 'string' && ['relname', 'schemaname', 'aliasname', 'name'].includes(key)) names.add(value);
    else if (key === 'ColumnRef') {
      for (const field of ((value as { fields?: unknown[] }).fields ?? []) as { String?: { sval?: string } }[])
        if (field.String?.sval) names.add(field.String.sval);
    } else if (key !== 'funcname') identifierNames(value, names);
  }
  return names;
}
