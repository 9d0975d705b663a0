import { isReservedWord } from './reservedWords';
import type { SyntaxProblem } from './syntaxCertainty';
import { TokenContext } from './tokenContext';
import type { Token } from './tokenize';

/**
 * Syntax the server does not have, found on the tokens whether node-sql-parser accepts the
 * statement or not (it accepts some of it: `::`, `DISTINCT ON`, `SELECT a, *`): PostgreSQL's forms
 * written into a MySQL/MariaDB file, and MySQL 8's forms MariaDB lacks. Each rule matches only
 * where no reading of the statement is valid, so a match is a syntax error where it stands.
 */

/** What the rules need to know of the server. */
export interface ServerDialect {
  mariadb: boolean;
  /** Major version, when known. */
  major?: number;
}

/** Where a rule matched: token indexes of the first and last token to underline, and what to say. */
interface Hit {
  from: number;
  to: number;
  message: string;
}

type Rule = (c: TokenContext, i: number, server: ServerDialect) => Hit | undefined;

const hit = (from: number, message: string, to = from): Hit => ({ from, to, message });

const COMPARISONS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '<=>']);
/** Words after which an expression must follow, so a bare SELECT there is a subquery without parentheses. */
const EXPRESSION_BEFORE = new Set(['WHERE', 'AND', 'OR', 'ON', 'HAVING', 'WHEN', 'THEN', 'ELSE', 'NOT', 'LIKE']);
/** What may follow a derived table where its alias should be. */
const AFTER_FROM_ITEM = new Set(
  `WHERE GROUP ORDER HAVING LIMIT JOIN INNER LEFT RIGHT CROSS NATURAL STRAIGHT_JOIN ON USING UNION EXCEPT
  INTERSECT WINDOW FOR LOCK INTO`.split(/\s+/),
);
const INTERVAL_UNITS = new Set(
  `MICROSECOND SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR SECOND_MICROSECOND MINUTE_MICROSECOND
  MINUTE_SECOND HOUR_MICROSECOND HOUR_SECOND HOUR_MINUTE DAY_MICROSECOND DAY_SECOND DAY_MINUTE DAY_HOUR
  YEAR_MONTH`.split(/\s+/),
);

const DML = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/** True when nothing of an expression can continue at `i`: the end, `)`, `,` or a reserved word. */
const endsExpression = (c: TokenContext, i: number): boolean =>
  i >= c.tokens.length ||
  [')', ','].includes(c.tokens[i].value) ||
  (c.tokens[i].kind === 'word' && isReservedWord(c.tokens[i].value));

const postgresRules: Rule[] = [
  (c, i) =>
    c.tokens[i].value === ':' && c.tokens[i + 1]?.value === ':' && c.tokens[i + 1].start === c.tokens[i].end
      ? hit(i, '`::` casts are PostgreSQL syntax; write CAST(x AS type).', i + 1)
      : undefined,
  (c, i) =>
    c.tokens[i].kind === 'punct' && c.tokens[i].value === '['
      ? hit(
          i,
          "There are no arrays or `[ ]` subscripts (PostgreSQL syntax); a JSON path goes in a string: JSON_EXTRACT(doc, '$[0]').",
        )
      : undefined,
  (c, i) =>
    c.word(i) === 'DISTINCT' && c.word(i + 1) === 'ON'
      ? hit(
          i,
          '`DISTINCT ON` is PostgreSQL syntax; pick one row per group with ROW_NUMBER() OVER (PARTITION BY …).',
          i + 1,
        )
      : undefined,
  (c, i) =>
    c.kind === 'INSERT' &&
    c.word(i) === 'ON' &&
    c.word(i + 1) === 'CONFLICT' &&
    /^(\(|DO|ON)$/i.test(c.tokens[i + 2]?.value ?? '')
      ? hit(
          i,
          '`ON CONFLICT` is PostgreSQL syntax; use `ON DUPLICATE KEY UPDATE` (or `INSERT IGNORE` for DO NOTHING).',
          i + 1,
        )
      : undefined,
  (c, i) => {
    const word = c.word(i);
    const similar = word === 'SIMILAR' && c.word(i + 1) === 'TO';
    // `ALTER TABLE t CHANGE old ilike TEXT` renames a column: a name between two names.
    if ((word !== 'ILIKE' && !similar) || c.kind === 'ALTER') return undefined;
    const left = c.word(i - 1) === 'NOT' ? i - 2 : i - 1;
    if (!c.endsOperand(left) || !c.startsOperand(similar ? i + 2 : i + 1)) return undefined;
    return similar
      ? hit(i, '`SIMILAR TO` is PostgreSQL syntax; use REGEXP.', i + 1)
      : hit(
          i,
          '`ILIKE` is PostgreSQL syntax; LIKE already ignores case under the usual `_ci` collations, or compare LOWER(…).',
        );
  },
  (c, i) => {
    const token = c.tokens[i];
    if (token.kind !== 'punct') return undefined;
    const negated = token.value === '!' && c.tokens[i + 1]?.value === '~';
    if (!negated && !(token.value === '~' && c.endsOperand(i - 1))) return undefined;
    const operator = negated ? '!~' : '~';
    return hit(
      i,
      `\`${operator}\` as a regular-expression match is PostgreSQL syntax; use ${negated ? 'NOT REGEXP' : 'REGEXP'}.`,
      negated ? i + 1 : i,
    );
  },
  (c, i) =>
    c.word(i) === 'LIMIT' && c.word(i + 1) === 'ALL'
      ? hit(i, '`LIMIT ALL` is PostgreSQL syntax; leave LIMIT out.', i + 1)
      : undefined,
  (c, i) =>
    c.word(i) === 'NULLS' &&
    /^(FIRST|LAST)$/.test(c.word(i + 1)) &&
    (c.endsOperand(i - 1) || /^(ASC|DESC)$/.test(c.word(i - 1)))
      ? hit(i, `\`NULLS ${c.word(i + 1)}\` is PostgreSQL syntax; sort on \`col IS NULL\` first.`, i + 1)
      : undefined,
  (c, i) =>
    c.word(0) === 'CREATE' &&
    /^(TEMP|UNLOGGED)$/.test(c.word(i)) &&
    c.word(i + 1) === 'TABLE' &&
    (i === 1 || c.word(i - 1) === 'REPLACE')
      ? hit(
          i,
          `\`${c.tokens[i].value}\` is PostgreSQL syntax; write ${c.word(i) === 'TEMP' ? 'CREATE TEMPORARY TABLE' : 'CREATE TABLE'}.`,
        )
      : undefined,
  (c, i) =>
    c.word(i) === 'TABLESAMPLE' &&
    /^(BERNOULLI|SYSTEM|SYSTEM_ROWS|SYSTEM_TIME)$/.test(c.word(i + 1)) &&
    c.tokens[i + 2]?.value === '('
      ? hit(i, '`TABLESAMPLE` is PostgreSQL syntax; sample with `ORDER BY RAND() LIMIT n`.')
      : undefined,
  (c, i) => {
    // `FROM ONLY t x`: MariaDB reads ONLY as the table and t as its alias, so x is one name too many.
    if (c.word(i) !== 'ONLY' || !/^(FROM|JOIN)$/.test(c.word(i - 1)) || c.tokens[i + 1]?.kind !== 'word')
      return undefined;
    const extra = c.tokens[i + 2];
    if (
      !extra ||
      (extra.kind !== 'word' && extra.kind !== 'quoted') ||
      (extra.kind === 'word' && isReservedWord(extra.value))
    )
      return undefined;
    return hit(i, '`ONLY` is PostgreSQL syntax (MariaDB reads it as a table name); leave it out.');
  },
  (c, i) =>
    // PostgreSQL's FROM follows SET; `UPDATE t FOR PORTION OF p FROM … TO … SET` is MariaDB's own.
    c.word(0) === 'UPDATE' &&
    c.word(i) === 'FROM' &&
    c.depths[i] === 0 &&
    c.tokens.some((_, j) => j < i && c.depths[j] === 0 && c.word(j) === 'SET')
      ? hit(i, 'UPDATE has no FROM clause (PostgreSQL syntax); join the tables instead: `UPDATE a JOIN b ON … SET …`.')
      : undefined,
  (c, i) =>
    c.word(i) === 'FOR' && (c.word(i + 1) === 'NO' || (c.word(i + 1) === 'KEY' && c.word(i + 2) === 'SHARE'))
      ? hit(i, '`FOR NO KEY UPDATE` and `FOR KEY SHARE` are PostgreSQL syntax; lock rows with FOR UPDATE.', i + 2)
      : undefined,
  (c, i) =>
    c.word(i) === 'INTERVAL' &&
    c.tokens[i + 1]?.kind === 'string' &&
    endsExpression(c, i + 2) &&
    !INTERVAL_UNITS.has(c.word(i + 2))
      ? hit(
          i,
          'An INTERVAL takes its unit after the value, as in `INTERVAL 1 DAY` (a unit inside the string is PostgreSQL syntax).',
          i + 1,
        )
      : undefined,
  (c, i) =>
    c.tokens[i].kind === 'punct' && c.tokens[i].value === '*' && c.tokens[i - 1]?.value === ','
      ? hit(i, 'A bare `*` must come first in the select list; qualify it (`t.*`) to put it after other columns.')
      : undefined,
  (c, i) => {
    const before = c.tokens[i - 1];
    if (c.word(i) !== 'SELECT' || !before || !DML.has(c.kind)) return undefined;
    const expects = EXPRESSION_BEFORE.has(c.word(i - 1)) || (before.kind === 'punct' && COMPARISONS.has(before.value));
    return expects ? hit(i, 'A subquery here needs parentheses: `(SELECT …)`.') : undefined;
  },
  (c, i) => {
    if (!c.opensQuery(i) || !/^(FROM|JOIN)$/.test(c.word(i - 1))) return undefined;
    const close = c.closing(i);
    const after = c.tokens[close + 1];
    if (close < 0 || (after && !AFTER_FROM_ITEM.has(c.word(close + 1)) && after.value !== ',' && after.value !== ')'))
      return undefined;
    return hit(i, 'A derived table needs an alias: `(SELECT …) AS name`.', close);
  },
  (c, i) =>
    c.word(i) === 'OFFSET' &&
    (c.endsOperand(i - 1) || /^(ASC|DESC)$/.test(c.word(i - 1))) &&
    c.word(i - 2) !== 'LIMIT' &&
    ['number', 'param'].includes(c.tokens[i + 1]?.kind ?? '') &&
    !/^ROWS?$/.test(c.word(i + 2))
      ? hit(i, 'OFFSET comes after LIMIT: `LIMIT n OFFSET m` (a bare `OFFSET m` is PostgreSQL syntax).')
      : undefined,
];

const mariadbRules: Rule[] = [
  (c, i) =>
    // Only a SELECT or UPDATE statement: a procedure body (CREATE …) may hold a DELETE … RETURNING.
    c.word(i) === 'RETURNING' && c.depths[i] === 0 && ['SELECT', 'UPDATE'].includes(c.kind)
      ? hit(i, 'MariaDB has RETURNING on INSERT, REPLACE and DELETE only; read the rows back with a SELECT.')
      : undefined,
  (c, i) =>
    c.word(i) === 'FOR' && c.word(i + 1) === 'SHARE'
      ? hit(i, 'MariaDB has no `FOR SHARE` (MySQL 8 and PostgreSQL have); use `LOCK IN SHARE MODE`.', i + 1)
      : undefined,
  (c, i) =>
    c.word(i) === 'LATERAL' &&
    c.tokens[i + 1]?.value === '(' &&
    (c.tokens[i - 1]?.value === ',' || c.word(i - 1) === 'JOIN')
      ? hit(i, 'MariaDB has no LATERAL derived tables (MySQL 8.0.14+ has); use a correlated subquery or a join.')
      : undefined,
  (c, i) => {
    const value = c.tokens[i].value;
    if (c.tokens[i].kind !== 'punct' || (value !== '->' && value !== '->>')) return undefined;
    const call = value === '->' ? 'JSON_EXTRACT(col, path)' : 'JSON_UNQUOTE(JSON_EXTRACT(col, path))';
    return hit(i, `MariaDB has no \`${value}\` operator (MySQL has); use ${call}.`);
  },
  (c, i) => {
    const name = c.tokens[i + 1];
    if (c.word(i) !== 'AS' || name?.kind !== 'word' || !isReservedWord(name.value)) return undefined;
    if (!DML.has(c.kind)) return undefined;
    // `WITH t AS SELECT …` is a CTE missing its parentheses, which the clause rules say better.
    if (c.word(0) === 'WITH' && c.depths[i] === 0 && /^(SELECT|WITH|VALUES|TABLE)$/.test(c.word(i + 1)))
      return undefined;
    // Inside parentheses AS also names a type (CAST(x AS CHAR)): only aliases at a query's own level count.
    const open = c.opener(i);
    if (open >= 0 && !c.opensQuery(open)) return undefined;
    return hit(
      i + 1,
      `\`${name.value}\` is a reserved word in MariaDB: quote it (\`${name.value}\`) or choose another alias.`,
    );
  },
  (c, i, server) => {
    // MariaDB 10 takes no column names after a derived table's alias (MySQL 8.0.19+ does).
    if ((server.major ?? 10) > 10 || c.tokens[i].value !== ')') return undefined;
    const open = c.opening(i);
    if (!c.opensQuery(open) || !/^(FROM|JOIN|,)$/i.test(c.tokens[open - 1]?.value ?? '')) return undefined;
    const alias = c.word(i + 1) === 'AS' ? i + 2 : i + 1;
    const name = c.tokens[alias];
    if (!name || (name.kind !== 'word' && name.kind !== 'quoted') || c.tokens[alias + 1]?.value !== '(')
      return undefined;
    if (name.kind === 'word' && isReservedWord(name.value)) return undefined;
    return hit(
      alias + 1,
      "MariaDB takes no column names after a derived table's alias; name the columns inside the subquery (`SELECT id AS a, …`).",
      c.closing(alias + 1),
    );
  },
];

/** The first syntax of another dialect in `tokens`, or undefined. */
export function foreignSyntax(tokens: Token[], server: ServerDialect): SyntaxProblem | undefined {
  const context = new TokenContext(tokens);
  const rules = server.mariadb ? [...postgresRules, ...mariadbRules] : postgresRules;
  for (let i = 0; i < tokens.length; i++) {
    for (const rule of rules) {
      const found = rule(context, i, server);
      if (!found) continue;
      const last = tokens[Math.max(found.from, found.to)] ?? tokens[found.from];
      return { start: tokens[found.from].start, end: last.end, message: found.message, suggestions: [] };
    }
  }
  return undefined;
}
