/**
 * The statement a migration converts, as libpg-query's AST, for both dialects. Every generator
 * (Kysely, Knex, SQLAlchemy) walks this one AST. MySQL text is read through PostgreSQL's grammar
 * after a token-level translation (backtick names → double-quoted names, `?` → `$n`); anything
 * whose meaning differs between the two languages is refused here, so a generator never sees it.
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';
import type { Dialect } from '../schema/snapshot';
import { tokenizeMysql, type Token } from '../sql/mysql/tokenize';

export type SourceStatement =
  | {
      /** The libpg-query node of the one statement (`{ SelectStmt: … }`). */
      statement: unknown;
      /** How many `$n` parameters the statement has (MySQL `?` markers are numbered in order). */
      parameterCount: number;
    }
  | { refused: string };

let loading: Promise<void> | undefined;

/** Parses one statement of `dialect` for conversion, or says why it cannot be converted faithfully. */
export async function parseSourceStatement(sql: string, dialect: Dialect): Promise<SourceStatement> {
  await (loading ??= loadModule());
  let text = sql;
  let upperCaseWords = new Set<string>();
  if (dialect === 'mysql') {
    const translated = translateMysql(sql);
    if ('refused' in translated) return translated;
    ({ text, upperCaseWords } = translated);
  }
  let statements: unknown[];
  try {
    statements = (parseSync(text) as { stmts?: { stmt?: unknown }[] }).stmts?.map((s) => s.stmt) ?? [];
  } catch (error) {
    const grammar = dialect === 'mysql' ? 'the grammar the converter shares with PostgreSQL' : 'PostgreSQL';
    return { refused: `the statement does not parse in ${grammar}: ${(error as Error).message}` };
  }
  if (statements.length !== 1) return { refused: 'exactly one statement is converted at a time' };
  const statement = statements[0];
  const capitalised = [...identifierNames(statement)].find((name) => upperCaseWords.has(name));
  if (capitalised !== undefined) {
    return {
      refused: `the name "${capitalised}" is written with capitals without backticks; MySQL table names are case-sensitive, so write it as stored (in backticks)`,
    };
  }
  if (dialect === 'mysql' && nullSafeBesideComparison(statement))
    return { refused: '<=> next to another comparison is not converted (MySQL and PostgreSQL group them differently)' };
  return { statement, parameterCount: highestParameter(statement) };
}

type ExpressionFields = { kind?: string; name?: { String?: { sval?: string } }[] } & Record<string, unknown>;

/**
 * Whether a `<=>` (read as IS NOT DISTINCT FROM) has a comparison as its operand or is one's
 * operand: MySQL gives `<=>` the precedence of `=`, PostgreSQL gives IS a higher one.
 */
function nullSafeBesideComparison(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(nullSafeBesideComparison);
  if (!node || typeof node !== 'object') return false;
  if (isComparison(node)) {
    const fields = Object.values(node)[0] as ExpressionFields;
    const operands = [fields.lexpr, fields.rexpr, fields.arg];
    if (isNullSafe(node) && operands.some(isComparison)) return true;
    if (operands.some(isNullSafe)) return true;
  }
  return Object.values(node).some(nullSafeBesideComparison);
}

function isNullSafe(node: unknown): boolean {
  return (node as { A_Expr?: ExpressionFields } | undefined)?.A_Expr?.kind === 'AEXPR_NOT_DISTINCT';
}

/** Comparisons, IS tests, IN, LIKE, BETWEEN: what MySQL and PostgreSQL rank differently around `<=>`. */
function isComparison(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if ('NullTest' in node || 'BooleanTest' in node) return true;
  const expression = (node as { A_Expr?: ExpressionFields }).A_Expr;
  if (!expression) return false;
  const name = expression.name?.[0]?.String?.sval ?? '';
  return expression.kind !== 'AEXPR_OP' || ['=', '<>', '<', '>', '<=', '>='].includes(name);
}

/** Operators that parse in both languages but mean something else in MySQL (`||` is OR, `^` XOR, `~` bit NOT). */
const DIFFERENT_OPERATORS = new Set(['||', '&&', '^', '!', '~', '->', '->>', ':=', '@']);

function translateMysql(sql: string): { text: string; upperCaseWords: Set<string> } | { refused: string } {
  const { tokens, error } = tokenizeMysql(sql);
  if (error) return { refused: `the statement has an unterminated ${error.what}` };
  if (/\/\*!|\/\*\+/.test(sql)) return { refused: 'MySQL version comments and optimizer hints are not converted' };
  const pieces: string[] = [];
  const upperCaseWords = new Set<string>();
  let parameterCount = 0;
  for (const [index, token] of tokens.entries()) {
    const refusal = mysqlTokenRefusal(token, tokens[index - 1]);
    if (refusal) return { refused: refusal };
    if (
      token.kind === 'word' &&
      token.value.toLowerCase() === 'distinct' &&
      tokens[index + 1]?.value.toLowerCase() === 'from'
    )
      return { refused: 'IS [NOT] DISTINCT FROM is PostgreSQL syntax, not MySQL (its <=> is)' };
    switch (token.kind) {
      case 'punct':
        // MySQL's NULL-safe equality; a MySQL statement reaches the generators with it only from `<=>`.
        pieces.push(token.value === '<=>' ? 'IS NOT DISTINCT FROM' : token.value);
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
  return { text: pieces.join(' '), upperCaseWords };
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
      if (token.value.startsWith('"')) return 'a double-quoted MySQL string is not converted; use single quotes';
      if (token.value.includes('\\')) return 'a string with backslash escapes is not converted';
      // x'41', b'01', N'…', _utf8'…': literal prefixes whose meaning PostgreSQL does not share.
      if (previous?.kind === 'word' && previous.end === token.start)
        return `the string prefix ${previous.value} is not converted`;
      return undefined;
    case 'number':
      return /^0[xb]/i.test(token.value) ? 'hexadecimal and binary literals are not converted' : undefined;
    case 'variable':
      return 'MySQL variables are not converted';
    case 'punct':
      return DIFFERENT_OPERATORS.has(token.value)
        ? `the operator ${token.value} means something else in MySQL than in standard SQL; it is not converted`
        : undefined;
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

/** The highest `$n` in the AST (0 without parameters). */
function highestParameter(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  const number = (node as { ParamRef?: { number?: number } }).ParamRef?.number;
  if (number !== undefined) return number;
  return Math.max(0, ...Object.values(node as Record<string, unknown>).map(highestParameter));
}
