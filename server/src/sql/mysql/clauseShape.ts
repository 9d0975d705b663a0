import type { SyntaxProblem } from './syntaxCertainty';
import { TokenContext } from './tokenContext';

/**
 * Clauses whose shape is wrong whatever the rest of the statement says: UPDATE without SET,
 * DELETE without FROM, BETWEEN without AND, CASE without END, rows without a comma between them, a
 * WITH clause without its parentheses or its statement. Asked only when node-sql-parser has
 * already refused the statement, as a second, independent witness.
 */

/** `failedAt`: the statement offset where node-sql-parser stopped. */
type Shape = (c: TokenContext, failedAt: number) => SyntaxProblem | undefined;

const at = (c: TokenContext, from: number, message: string, to = from): SyntaxProblem => ({
  start: c.tokens[from].start,
  end: c.tokens[Math.max(from, to)].end,
  message,
  suggestions: [],
});

/** The statements these shapes know. */
const QUERIES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH']);

/** Words that end the operand a BETWEEN or a clause is reading. */
const CLAUSE_END = new Set('FROM WHERE GROUP ORDER HAVING LIMIT UNION WINDOW INTO FOR LOCK'.split(' '));
/** A keyword that needs an operand followed by a keyword that starts a clause: something is missing. */
const WANTS_OPERAND = new Set(
  'AS SELECT DISTINCT WHERE AND OR HAVING BY ON NOT LIKE BETWEEN FROM JOIN LIMIT OFFSET'.split(' '),
);
const STARTS_CLAUSE = new Set('FROM WHERE GROUP ORDER HAVING LIMIT FOR LOCK'.split(' '));

/** Words a statement cannot end with: an operand or a name must follow them. */
const NEVER_LAST = new Set(
  'LIMIT OFFSET WHERE AND OR BY ON SET FROM JOIN SELECT HAVING IN LIKE BETWEEN NOT AS DISTINCT VALUES INTO UNION RETURNING'.split(
    ' ',
  ),
);
const OPERATORS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '<=>', '+', '-', '*', '/', '%', ',', '(']);

const shapes: Shape[] = [
  (c) => {
    const last = c.tokens.length - 1;
    const token = c.tokens[last];
    if (!token || !(NEVER_LAST.has(c.word(last)) || (token.kind === 'punct' && OPERATORS.has(token.value))))
      return undefined;
    // `SELECT *`, `RETURNING *` end with a star that is no operator.
    if (token.value === '*' && (/^(SELECT|RETURNING)$/.test(c.word(last - 1)) || c.tokens[last - 1]?.value === '.'))
      return undefined;
    return at(c, last, `The statement ends right after \`${token.value}\`: something is missing after it.`);
  },
  (c) => {
    const i = c.tokens.findIndex(
      (t, j) => c.word(j) === 'IN' && c.tokens[j + 1]?.value === '(' && c.tokens[j + 2]?.value === ')',
    );
    return i < 0 ? undefined : at(c, i + 1, 'An IN list needs at least one value.', i + 2);
  },
  (c) => {
    const i = c.tokens.findIndex((t, j) => /^(LIMIT|OFFSET)$/.test(c.word(j - 1)) && t.kind === 'string');
    return i < 0 ? undefined : at(c, i, `${c.tokens[i - 1].value} takes a number or a \`?\` parameter, not a string.`);
  },
  (c) => {
    const i = c.tokens.findIndex((_, j) => /^(ASC|DESC)$/.test(c.word(j)) && /^(ASC|DESC)$/.test(c.word(j + 1)));
    return i < 0
      ? undefined
      : at(c, i + 1, `\`${c.tokens[i + 1].value}\` after \`${c.tokens[i].value}\`: a sort key takes one direction.`);
  },
  (c) => {
    const i = c.tokens.findIndex((_, j) => WANTS_OPERAND.has(c.word(j)) && STARTS_CLAUSE.has(c.word(j + 1)));
    return i < 0
      ? undefined
      : at(c, i + 1, `Something is missing between \`${c.tokens[i].value}\` and \`${c.tokens[i + 1].value}\`.`);
  },
  (c) => {
    if (!/^(INSERT|REPLACE)$/.test(c.kind)) return undefined;
    const values = c.tokens.findIndex((_, j) => c.depths[j] === 0 && /^VALUES?$/.test(c.word(j)));
    if (values < 0) return undefined;
    const into = c.tokens.findIndex((_, j) => j < values && c.word(j) === 'INTO');
    // `INSERT INTO t email VALUES`: a name where the column list's parenthesis should be.
    const name = into + 1;
    const stray = name + (c.tokens[name + 1]?.value === '.' ? 3 : 1);
    if (into > 0 && c.word(values - 1) === 'DEFAULT')
      return at(c, values - 1, '`DEFAULT VALUES` is PostgreSQL syntax; write `VALUES ()`.', values);
    if (into > 0 && stray === values - 1 && c.tokens[stray].kind === 'word')
      return at(c, stray, `A column list goes in parentheses after the table: \`(${c.tokens[stray].value})\`.`);
    for (let j = values + 1; j < c.tokens.length - 1; j++) {
      if (c.depths[j] === 0 && c.tokens[j].value === ')' && c.tokens[j + 1].value === '(')
        return at(c, j + 1, 'A `,` is missing between these rows.');
    }
    return undefined;
  },
  (c) => {
    if (c.word(0) !== 'UPDATE' || c.tokens.some((_, j) => c.depths[j] === 0 && c.word(j) === 'SET')) return undefined;
    const assignment = c.tokens.findIndex((t, j) => c.depths[j] === 0 && t.value === '=');
    return at(c, Math.max(0, assignment - 1), 'UPDATE needs SET before its assignments: `UPDATE t SET col = …`.');
  },
  (c) =>
    c.word(0) === 'DELETE' && !c.tokens.some((_, j) => c.depths[j] === 0 && c.word(j) === 'FROM')
      ? at(c, 0, 'DELETE needs FROM: `DELETE FROM t WHERE …`.')
      : undefined,
  (c) => {
    if (c.word(0) !== 'WITH') return undefined;
    for (let name = c.word(1) === 'RECURSIVE' ? 2 : 1; ;) {
      let i = name + 1;
      if (c.tokens[i]?.value === '(') i = c.closing(i) + 1;
      if (i <= 0 || c.word(i) !== 'AS') return undefined;
      if (c.tokens[i + 1]?.value !== '(')
        return at(
          c,
          Math.min(i + 1, c.tokens.length - 1),
          'The query of a WITH clause goes in parentheses: `WITH t AS (SELECT …)`.',
        );
      i = c.closing(i + 1) + 1;
      if (i <= 0) return undefined;
      if (i >= c.tokens.length) return at(c, 0, 'A WITH clause needs a statement after its queries.');
      if (c.tokens[i].value !== ',') return undefined;
      name = i + 1;
    }
  },
  (c) => {
    for (let i = 0; i < c.tokens.length; i++) {
      if (c.word(i) !== 'BETWEEN') continue;
      let j = i + 1;
      const ends = (k: number): boolean =>
        c.depths[k] < c.depths[i] ||
        (c.depths[k] === c.depths[i] && (c.word(k) === 'AND' || CLAUSE_END.has(c.word(k))));
      while (j < c.tokens.length && !ends(j)) j++;
      if (c.word(j) !== 'AND') return at(c, i, 'BETWEEN needs AND: `x BETWEEN low AND high`.');
    }
    return undefined;
  },
  (c) => {
    const open: number[] = [];
    for (let i = 0; i < c.tokens.length; i++) {
      if (c.word(i) === 'CASE') open.push(i);
      else if (c.word(i) === 'END') open.pop();
    }
    return open.length > 0 ? at(c, open[open.length - 1], 'This CASE has no END.') : undefined;
  },
  (c) => {
    const rollup = c.tokens.findIndex((_, j) => c.word(j) === 'WITH' && c.word(j + 1) === 'ROLLUP');
    if (rollup < 0) return undefined;
    const grouped = c.tokens.some((_, j) => j < rollup && c.depths[j] === c.depths[rollup] && c.word(j) === 'GROUP');
    return grouped ? undefined : at(c, rollup, 'WITH ROLLUP belongs to a GROUP BY.', rollup + 1);
  },
  (c) => {
    if (c.word(0) === 'DELETE') return undefined;
    // CONVERT(x USING utf8mb4) and CHAR(n USING cs) name a character set.
    const converts = (j: number): boolean => /^(CONVERT|CHAR)$/.test(c.word(c.opener(j) - 1));
    const using = c.tokens.findIndex(
      (_, j) => c.word(j) === 'USING' && c.tokens[j + 1]?.kind === 'word' && c.endsOperand(j - 1) && !converts(j),
    );
    return using < 0
      ? undefined
      : at(c, using + 1, `The columns after USING go in parentheses: \`USING (${c.tokens[using + 1].value})\`.`);
  },
  (c, failedAt) => {
    // `SELECT e'x'` is column e aliased 'x': only where the parser stopped at the string is it PostgreSQL's E'…'.
    const i = c.tokens.findIndex(
      (t, j) =>
        /^E$/i.test(t.value) &&
        t.kind === 'word' &&
        c.tokens[j + 1]?.kind === 'string' &&
        c.tokens[j + 1].start === t.end &&
        c.tokens[j + 1].start <= failedAt &&
        failedAt < c.tokens[j + 1].end,
    );
    return i < 0
      ? undefined
      : at(c, i, "`E'…'` strings are PostgreSQL syntax; a plain '…' string takes backslash escapes.", i + 1);
  },
];

/** The first clause of the wrong shape, or undefined. */
export function clauseShapeProblem(c: TokenContext, failedAt: number): SyntaxProblem | undefined {
  // DDL and utility statements have clause shapes of their own (`USING BTREE`, `DELIMITER //`).
  if (!QUERIES.has(c.kind)) return undefined;
  for (const shape of shapes) {
    const problem = shape(c, failedAt);
    if (problem) return problem;
  }
  return undefined;
}
