import { clauseShapeProblem } from './clauseShape';
import { TokenContext } from './tokenContext';
import { isKeyword, tokenAt, type Token } from './tokenize';
import { editDistance } from '../../text/editDistance';

/**
 * node-sql-parser does not know all of MySQL and MariaDB: a statement it rejects may be valid.
 * When it fails, these rules decide whether the mistake is certain (a wrong statement keyword,
 * unbalanced parentheses, a clause with its operand missing, a misspelt clause keyword, …);
 * anything else is left to the live check. Each rule says what it found in the user's words.
 */

export interface SyntaxProblem {
  /** Offsets into the statement text. */
  start: number;
  end: number;
  message: string;
  suggestions: string[];
}

/** Every word a MySQL/MariaDB statement (or a compound-statement body line) can start with. */
const STATEMENT_STARTERS = new Set(
  `SELECT INSERT UPDATE DELETE REPLACE WITH CREATE ALTER DROP TRUNCATE RENAME SET SHOW DESCRIBE DESC EXPLAIN
  USE BEGIN START COMMIT ROLLBACK SAVEPOINT RELEASE LOCK UNLOCK GRANT REVOKE CALL DO HANDLER LOAD PREPARE
  EXECUTE DEALLOCATE ANALYZE CHECK CHECKSUM OPTIMIZE REPAIR FLUSH KILL RESET PURGE CHANGE INSTALL UNINSTALL
  VALUES TABLE XA SIGNAL RESIGNAL DECLARE GET HELP BINLOG CACHE BACKUP SHUTDOWN IF WHILE LOOP REPEAT CASE
  LEAVE ITERATE RETURN CLOSE OPEN FETCH DELIMITER CLONE IMPORT RESTART STOP END ELSE ELSEIF WHEN UNTIL THEN
  SOURCE`.split(/\s+/),
);

/** Clause keywords: seeing one where an expression or name must come means something is missing. */
const CLAUSE_KEYWORDS = new Set(
  'FROM WHERE GROUP ORDER HAVING LIMIT UNION ON USING SET VALUES JOIN INNER LEFT RIGHT CROSS INTO AND OR WINDOW'.split(
    ' ',
  ),
);

/** Keywords that cannot end a statement or be followed by a clause keyword: an operand must follow. */
const NEEDS_OPERAND = new Set(
  'SELECT FROM WHERE BY HAVING LIMIT ON USING SET VALUES JOIN INTO AND OR NOT LIKE BETWEEN IN DISTINCT AS UNION UPDATE OFFSET'.split(
    ' ',
  ),
);
const COMPARISONS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '<=>']);
const OPERATORS = new Set([
  '=',
  '<',
  '>',
  '<=',
  '>=',
  '<>',
  '!=',
  '<=>',
  '+',
  '-',
  '*',
  '/',
  '%',
  ',',
  '(',
  '||',
  '&&',
]);

/** Keywords a typo is measured against (short ones like ON and BY give too many false matches). */
const TYPO_TARGETS = [
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'GROUP',
  'HAVING',
  'LIMIT',
  'JOIN',
  'UNION',
  'VALUES',
  'INTO',
  'UPDATE',
  'DELETE',
  'INSERT',
];

const upper = (token: Token | undefined): string =>
  token?.kind === 'word' && !token.nameOnly ? token.value.toUpperCase() : '';
const needsOperand = (token: Token | undefined): boolean =>
  token !== undefined && (NEEDS_OPERAND.has(upper(token)) || (token.kind === 'punct' && OPERATORS.has(token.value)));

/** True when the statement parses with `token` written as `keyword`: the test of a typo. */
export type ParsesWith = (token: Token, keyword: string) => boolean;

/**
 * The certain syntax problem of a statement node-sql-parser could not parse, or undefined.
 * `failedAt` is the statement offset where the parser stopped.
 */
export function certainSyntaxProblem(
  tokens: Token[],
  failedAt: number,
  parsesWith: ParsesWith,
): SyntaxProblem | undefined {
  return (
    unknownStatement(tokens) ??
    unbalancedParenthesis(tokens) ??
    clauseOutOfOrder(tokens, failedAt) ??
    problemAtFailure(tokens, failedAt, parsesWith) ??
    clauseShapeProblem(new TokenContext(tokens), failedAt)
  );
}

/** The order clauses of one query level must come in; each may appear once. */
const CLAUSE_RANK: Record<string, number> = { FROM: 1, WHERE: 2, GROUP: 3, HAVING: 4, WINDOW: 5, ORDER: 6, LIMIT: 7 };

/**
 * A clause that repeats or comes after a later one in the same parenthesis group (`… LIMIT 1
 * WHERE …`, `WHERE a WHERE b`), at or before where the parser stopped. UNION starts a new level.
 */
function clauseOutOfOrder(tokens: Token[], failedAt: number): SyntaxProblem | undefined {
  const ranks: number[] = [0];
  for (const [index, token] of tokens.entries()) {
    if (token.start > failedAt) break;
    if (token.value === '(') ranks.push(0);
    else if (token.value === ')') ranks.pop();
    else if (isKeyword(token, 'UNION', 'EXCEPT', 'INTERSECT')) ranks[ranks.length - 1] = 0;
    const rank = withinGroup(tokens, index) ? undefined : CLAUSE_RANK[upper(token)];
    if (rank === undefined || ranks.length === 0) continue;
    if (rank <= ranks[ranks.length - 1]) {
      return at(
        token,
        `\`${token.value}\` is out of place: clauses go FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, each once.`,
      );
    }
    ranks[ranks.length - 1] = rank;
  }
  return undefined;
}

/** `PERCENTILE_CONT(…) WITHIN GROUP (ORDER BY …)`: an aggregate's GROUP, no GROUP BY clause. */
const withinGroup = (tokens: Token[], index: number): boolean =>
  isKeyword(tokens[index], 'GROUP') && isKeyword(tokens[index - 1], 'WITHIN');

function at(token: Token, message: string, suggestions: string[] = []): SyntaxProblem {
  return { start: token.start, end: token.end, message, suggestions };
}

function unknownStatement(tokens: Token[]): SyntaxProblem | undefined {
  const [first, second] = tokens;
  if (first?.kind !== 'word' || second?.value === ':' || STATEMENT_STARTERS.has(first.value.toUpperCase()))
    return undefined;
  const guess = closestKeyword(first.value, [
    'SELECT',
    'INSERT',
    'UPDATE',
    'DELETE',
    'REPLACE',
    'WITH',
    'CREATE',
    'ALTER',
    'DROP',
  ]);
  return at(
    first,
    `\`${first.value}\` does not start a MySQL statement${guess ? `; did you mean ${guess}?` : ''}`,
    guess ? [guess] : [],
  );
}

function unbalancedParenthesis(tokens: Token[]): SyntaxProblem | undefined {
  const open: Token[] = [];
  for (const token of tokens) {
    if (token.kind !== 'punct') continue;
    if (token.value === '(') open.push(token);
    else if (token.value === ')' && !open.pop()) return at(token, 'This `)` closes no `(`.');
  }
  const unclosed = open.pop();
  return unclosed ? at(unclosed, 'This `(` is never closed.') : undefined;
}

function problemAtFailure(tokens: Token[], failedAt: number, parsesWith: ParsesWith): SyntaxProblem | undefined {
  const index = tokenAt(tokens, failedAt);
  const here = tokens[index];
  const before = tokens[index - 1];
  // node-sql-parser reads some keywords as names and fails a token or two later: look back.
  for (let i = Math.max(1, index - 2); i <= index && i < tokens.length; i++) {
    const keyword = tokens[i];
    const previous = tokens[i - 1];
    if (CLAUSE_KEYWORDS.has(upper(keyword)) && needsOperand(previous) && !startsValuesQuery(previous, keyword)) {
      return at(keyword, `Something is missing between \`${previous.value}\` and \`${keyword.value}\`.`);
    }
    if (keyword.kind === 'word' && upper(keyword) === upper(previous) && isReservedLike(keyword)) {
      return at(keyword, `\`${keyword.value}\` is written twice.`);
    }
  }
  if (!here) {
    if (isKeyword(before, 'ORDER', 'GROUP')) {
      return at(before, `\`${before?.value}\` is a reserved word: put it in backticks to use it as a name.`);
    }
    return before && needsOperand(before)
      ? at(before, `The statement ends right after \`${before.value}\`: something is missing after it.`)
      : undefined;
  }
  if (here.value === ')' && (before?.value === ',' || (before?.value === '(' && isKeyword(tokens[index - 2], 'IN')))) {
    return at(
      here,
      before?.value === ',' ? 'A value is missing after the last `,`.' : 'An IN list needs at least one value.',
    );
  }
  if (isKeyword(before, 'LIMIT', 'OFFSET') && here.kind === 'string') {
    return at(here, `${before?.value} takes a number or a \`?\` parameter, not a string.`);
  }
  if (here.kind === 'punct' && COMPARISONS.has(here.value) && needsOperand(before)) {
    return at(here, `An operand is missing before \`${here.value}\`.`);
  }
  // A misspelt keyword read as an alias makes the parser fail on the next token, unless that
  // token is itself a keyword other than BY (then the word before may well be a table named
  // like a keyword).
  // `older`, `delta`, `form` are names too: a typo only when the word is not used as a name
  // elsewhere and the statement parses with the keyword in its place (the parser stopped there,
  // not at syntax of its own it lacks).
  const typoCandidates = isReservedLike(here) && !isKeyword(here, 'BY') ? [here] : [here, before];
  for (const typo of typoCandidates) {
    const keyword = typo?.kind === 'word' && !typo.nameOnly ? closestKeyword(typo.value, TYPO_TARGETS) : undefined;
    if (!typo || !keyword) continue;
    const namedElsewhere = tokens.some(
      (t) => t !== typo && (t.kind === 'word' || t.kind === 'quoted') && t.value.toUpperCase() === upper(typo),
    );
    if (!namedElsewhere && parsesWith(typo, keyword))
      return at(typo, `\`${typo.value}\` is not a keyword here; did you mean ${keyword}?`, [keyword]);
  }
  if (CLAUSE_KEYWORDS.has(upper(here)) && needsOperand(before) && !startsValuesQuery(before, here)) {
    return at(here, `Something is missing between \`${before?.value}\` and \`${here.value}\`.`);
  }
  if (here.value === ',' && (before?.value === ',' || before?.value === '(')) {
    return at(here, 'An expression is missing before this `,`.');
  }
  if (isKeyword(before, 'ORDER', 'GROUP') && !isKeyword(here, 'BY') && !withinGroup(tokens, index - 1)) {
    return at(here, `\`${before?.value}\` must be followed by BY.`);
  }
  if (
    before?.kind === 'word' &&
    here.kind === 'word' &&
    upper(here) === upper(before) &&
    CLAUSE_KEYWORDS.has(upper(here))
  ) {
    return at(here, `\`${here.value}\` is written twice.`);
  }
  return undefined;
}

/** `UNION VALUES (…)`, `AS VALUES (…)`: MariaDB's VALUES is a query of its own there. */
const startsValuesQuery = (before: Token | undefined, keyword: Token): boolean =>
  isKeyword(keyword, 'VALUES') && isKeyword(before, 'UNION', 'EXCEPT', 'INTERSECT', 'ALL', 'DISTINCT', 'AS');

const OTHER_KEYWORDS = new Set('NATURAL STRAIGHT_JOIN OUTER FULL LATERAL PARTITION FOR LOCK WITH AS BY'.split(' '));

function isReservedLike(token: Token | undefined): boolean {
  const word = upper(token);
  return CLAUSE_KEYWORDS.has(word) || NEEDS_OPERAND.has(word) || OTHER_KEYWORDS.has(word);
}

/**
 * The keyword `word` is a misspelling of (one edit for short words, two for long ones), or
 * undefined when it is the keyword itself, another keyword, or not close to any.
 */
function closestKeyword(word: string, keywords: string[]): string | undefined {
  const w = word.toUpperCase();
  if (w.length < 4 || keywords.includes(w) || CLAUSE_KEYWORDS.has(w) || STATEMENT_STARTERS.has(w)) return undefined;
  for (const keyword of keywords) {
    // `orders`, `groups`, `values_x` are names, not typos.
    if (w.startsWith(keyword) || keyword.startsWith(w)) continue;
    const allowed = keyword.length >= 6 ? 2 : 1;
    if (Math.abs(keyword.length - w.length) <= allowed && editDistance(w, keyword) <= allowed) return keyword;
  }
  return undefined;
}
