/**
 * Deciding what is SQL and how an interpolation sits in it, from tokens alone. The rules lean
 * towards silence: a string that only might be SQL is left alone (no false positives).
 */
import { editDistance } from '../text/editDistance';
import type { SqlToken } from './sqlLexer';

/** Words a statement passed to a query call may start with (case-insensitive). */
const STATEMENT_KEYWORDS = new Set(
  (
    'SELECT INSERT UPDATE DELETE WITH VALUES TABLE MERGE REPLACE CREATE ALTER DROP TRUNCATE COMMENT GRANT REVOKE ' +
    'SHOW SET RESET BEGIN START COMMIT ROLLBACK SAVEPOINT RELEASE EXPLAIN ANALYZE ANALYSE VACUUM CALL DO COPY ' +
    'LOCK DESCRIBE DESC USE PREPARE EXECUTE DEALLOCATE LISTEN NOTIFY UNLISTEN REFRESH REINDEX CLUSTER DECLARE ' +
    'FETCH CLOSE MOVE DISCARD LOAD HANDLER OPTIMIZE CHECKSUM RENAME'
  ).split(' '),
);

const upper = (token: SqlToken | undefined): string => (token?.kind === 'word' ? token.text.toUpperCase() : '');

/** True when the first token is a statement keyword (or an opening parenthesis before SELECT). */
export function startsWithStatementKeyword(tokens: SqlToken[]): boolean {
  let first = 0;
  while (tokens[first]?.text === '(') first++;
  return STATEMENT_KEYWORDS.has(upper(tokens[first]));
}

/** The statement keywords `readsAsStatement` knows the shape of. */
const SHAPED_KEYWORDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/**
 * A query call's text whose first word is one slip (a letter missing, extra, wrong or swapped)
 * from SELECT, INSERT, UPDATE or DELETE and that otherwise reads as that statement:
 * `selct id from orders`. It is SQL with a syntax error the user wants to see, as in a `.sql` file;
 * any other text in a query call stays silent.
 */
export function startsWithMistypedKeyword(tokens: SqlToken[]): boolean {
  const first = tokens[0];
  if (first?.kind !== 'word') return false;
  const lower = first.text === first.text.toLowerCase();
  if (!lower && first.text !== first.text.toUpperCase()) return false;
  const word = first.text.toUpperCase();
  const keyword = SHAPED_KEYWORDS.find((k) => k !== word && editDistance(word, k) === 1);
  if (keyword === undefined) return false;
  return readsAsStatement([{ ...first, text: lower ? keyword.toLowerCase() : keyword }, ...tokens.slice(1)]);
}

/** Words that appear in prose and never as SQL identifiers in practice. */
const PROSE_WORDS = new Set(
  'the your you please could would should will cannot unable failed error warning click choose our my their these those this'.split(
    ' ',
  ),
);

/** Words that end a statement only when something is still to follow: the text is a fragment. */
const CONTINUATION_WORDS = new Set(
  'WHERE AND OR NOT FROM JOIN ON SET BY SELECT VALUES IN LIKE ILIKE AS INTO HAVING LIMIT OFFSET UNION INTERSECT EXCEPT USING WITH RETURNING CASE WHEN THEN ELSE'.split(
    ' ',
  ),
);

const isName = (token: SqlToken | undefined): boolean =>
  token !== undefined && (token.kind === 'word' || token.kind === 'quoted-identifier' || token.kind === 'hole');

/**
 * Reads the tokens as a complete statement of a familiar shape: SELECT … FROM name, INSERT INTO name,
 * UPDATE name … SET name =, DELETE FROM name, WITH name AS (…) …, CREATE TABLE name (, ALTER TABLE name.
 * Capitalised first words ("Select a file from…"), prose words and sentence punctuation are refused.
 */
export function readsAsStatement(tokens: SqlToken[]): boolean {
  const first = tokens[0];
  if (first?.kind !== 'word') return false;
  if (first.text !== first.text.toUpperCase() && first.text !== first.text.toLowerCase()) return false;
  const last = tokens[tokens.length - 1];
  if (last.kind === 'punct' && ['.', '!', ':'].includes(last.text)) return false;
  if (tokens.some((t) => t.kind === 'word' && PROSE_WORDS.has(t.text.toLowerCase()))) return false;
  const words = tokens.map(upper);
  const at = (word: string, from = 0): number => words.indexOf(word, from);
  switch (words[0]) {
    case 'SELECT': {
      const from = at('FROM');
      return from > 1 && (isName(tokens[from + 1]) || tokens[from + 1]?.text === '(');
    }
    case 'INSERT':
    case 'REPLACE': {
      const into = words[1] === 'INTO' ? 1 : words[1] === 'IGNORE' && words[2] === 'INTO' ? 2 : -1;
      const after = tokens[afterQualifiedName(tokens, into + 1)];
      return (
        into > 0 &&
        isName(tokens[into + 1]) &&
        (after?.text === '(' || ['VALUES', 'SELECT', 'SET', 'DEFAULT', 'WITH'].includes(upper(after)))
      );
    }
    case 'UPDATE': {
      const set = at('SET');
      return (
        isName(tokens[1]) &&
        set > 1 &&
        set <= 4 &&
        isName(tokens[set + 1]) &&
        tokens.slice(set + 2).some((t) => t.text === '=')
      );
    }
    case 'DELETE':
      return words[1] === 'FROM' && isName(tokens[2]);
    case 'WITH': {
      const name = words[1] === 'RECURSIVE' ? 2 : 1;
      return (
        isName(tokens[name]) && at('AS') > name && ['SELECT', 'INSERT', 'UPDATE', 'DELETE'].some((w) => at(w, name) > 0)
      );
    }
    case 'CREATE':
      return words[1] === 'TABLE' && tokens[afterQualifiedName(tokens, 2)]?.text === '(';
    case 'ALTER':
      return words[1] === 'TABLE' && ['ADD', 'DROP', 'ALTER', 'RENAME'].includes(words[afterQualifiedName(tokens, 2)]);
    default:
      return false;
  }
}

/** Index just past a possibly qualified name (`a`, `a.b`) starting at `from`. */
function afterQualifiedName(tokens: SqlToken[], from: number): number {
  let i = from;
  if (!isName(tokens[i])) return i;
  i++;
  while (tokens[i]?.text === '.' && isName(tokens[i + 1])) i += 2;
  return i;
}

/** The statement stops where more text must follow (`… WHERE`, `… AND`, `… ,`): a fragment of a larger build. */
export function endsMidStatement(tokens: SqlToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return false;
  if (last.kind === 'punct') return [',', '=', '(', '<', '>', '<=', '>=', '<>', '!=', '+', '||'].includes(last.text);
  return CONTINUATION_WORDS.has(upper(last));
}

const VALUE_AFTER_PUNCT = new Set([
  '=',
  '<',
  '>',
  '<=',
  '>=',
  '<>',
  '!=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  '(',
  ',',
  '[',
]);
const VALUE_AFTER_WORDS = new Set([
  'LIKE',
  'ILIKE',
  'AND',
  'OR',
  'NOT',
  'LIMIT',
  'OFFSET',
  'THEN',
  'ELSE',
  'WHEN',
  'BETWEEN',
]);
const BEFORE_VALUE_END_PUNCT = new Set([
  ')',
  ',',
  ';',
  ']',
  '=',
  '<',
  '>',
  '<=',
  '>=',
  '<>',
  '!=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  '::',
]);
const BEFORE_VALUE_END_WORDS = new Set(
  'AND OR LIMIT OFFSET ORDER GROUP HAVING UNION EXCEPT INTERSECT RETURNING THEN ELSE END WHEN ESCAPE FOR IS NOT IN LIKE ILIKE BETWEEN COLLATE FROM WHERE ASC DESC NULLS ON'.split(
    ' ',
  ),
);

/**
 * True when the hole at `index` (into significant tokens) stands where an expression goes, so a
 * bound parameter there gives the statement the same shape. Holes that touch a name (`t_${n}`),
 * follow FROM/JOIN/BY/SELECT, or fill a column list are SQL fragments instead.
 */
export function holeIsValue(tokens: SqlToken[], index: number): boolean {
  const hole = tokens[index];
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  const touches = (t: SqlToken | undefined): boolean =>
    t !== undefined &&
    (t.end === hole.start || t.start === hole.end) &&
    (isName(t) || t.text === '.' || t.kind === 'number');
  if (touches(before) || touches(after)) return false;
  const valueBefore =
    before !== undefined &&
    (before.kind === 'punct' ? VALUE_AFTER_PUNCT.has(before.text) : VALUE_AFTER_WORDS.has(upper(before)));
  if (!valueBefore) return false;
  if (before.text === '(' && isColumnListOpening(tokens, index - 1)) return false;
  if (!after) return true;
  return after.kind === 'punct' ? BEFORE_VALUE_END_PUNCT.has(after.text) : BEFORE_VALUE_END_WORDS.has(upper(after));
}

/** `INSERT INTO t (` and `CREATE TABLE t (` open a list of names, not of values. */
function isColumnListOpening(tokens: SqlToken[], paren: number): boolean {
  let i = paren - 1;
  while (i >= 2 && tokens[i - 1]?.text === '.' && isName(tokens[i - 2])) i -= 2;
  if (!isName(tokens[i])) return false;
  return ['INTO', 'TABLE', 'INSERT'].includes(upper(tokens[i - 1]));
}

/** Names right after FROM, JOIN, INTO, UPDATE or TABLE: the relations a statement touches, as written. */
export function relationNames(tokens: SqlToken[]): { parts: string[]; start: number; end: number }[] {
  const names: { parts: string[]; start: number; end: number }[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE'].includes(upper(tokens[i]))) continue;
    let j = i + 1;
    if (['ONLY', 'LATERAL', 'IF'].includes(upper(tokens[j]))) continue;
    const parts: string[] = [];
    const start = tokens[j].start;
    while (tokens[j] && (tokens[j].kind === 'word' || tokens[j].kind === 'quoted-identifier')) {
      parts.push(tokens[j].kind === 'word' ? tokens[j].text : tokens[j].text.slice(1, -1));
      if (tokens[j + 1]?.text !== '.') break;
      j += 2;
    }
    if (parts.length > 0 && parts.length <= 2) names.push({ parts, start, end: tokens[j].end });
  }
  return names;
}
