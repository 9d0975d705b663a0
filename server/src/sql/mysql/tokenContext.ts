import { isReservedWord } from './reservedWords';
import { isKeyword, type Token } from './tokenize';

/**
 * A statement's tokens with what the syntax rules ask of each: its parenthesis depth, the word it
 * spells, whether it can end or start an operand, and what kind of statement it belongs to.
 */
/** Select options MariaDB does not reserve (the others are reserved words). */
const UNRESERVED_SELECT_OPTIONS = new Set(['SQL_CACHE', 'SQL_NO_CACHE', 'SQL_BUFFER_RESULT']);

export class TokenContext {
  /** Parenthesis depth of each token (a `(` has the depth outside it). */
  readonly depths: number[];
  /** SELECT, INSERT, UPDATE, DELETE, REPLACE, CREATE, …: the statement under any leading WITH. */
  readonly kind: string;

  constructor(readonly tokens: Token[]) {
    let depth = 0;
    this.depths = tokens.map((token) => {
      if (token.value === ')' && token.kind === 'punct') depth = Math.max(0, depth - 1);
      const here = depth;
      if (token.value === '(' && token.kind === 'punct') depth++;
      return here;
    });
    const first = this.word(0);
    const main =
      first === 'WITH'
        ? tokens.findIndex(
            (t, i) => this.depths[i] === 0 && isKeyword(t, 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE'),
          )
        : 0;
    // A WITH clause with no statement after it is a WITH statement, however broken.
    this.kind = main < 0 ? 'WITH' : this.word(main);
  }

  /** The upper-case word at `i`, or '' for anything else. */
  word(i: number): string {
    const token = this.tokens[i];
    return token?.kind === 'word' && !token.nameOnly ? token.value.toUpperCase() : '';
  }

  /** True when the token at `i` can end an operand: a literal, a name, a parameter, `)`. */
  endsOperand(i: number): boolean {
    const token = this.tokens[i];
    if (!token) return false;
    if (token.kind === 'word')
      return token.nameOnly === true || (!isReservedWord(token.value) && !this.unreservedKeyword(i));
    return token.kind !== 'punct' || token.value === ')';
  }

  /** `SELECT SQL_NO_CACHE …`, `DO …`, `… UNTIL …`: a keyword MariaDB does not reserve, no operand. */
  private unreservedKeyword(i: number): boolean {
    if (i === 0 || this.word(i) === 'UNTIL') return /^(DO|UNTIL)$/.test(this.word(i));
    if (!UNRESERVED_SELECT_OPTIONS.has(this.word(i))) return false;
    const before = this.word(i - 1);
    return before === 'SELECT' || UNRESERVED_SELECT_OPTIONS.has(before) || isReservedWord(before);
  }

  /** True when the token at `i` can start an operand: a literal, a name, a parameter, `(`. */
  startsOperand(i: number): boolean {
    const token = this.tokens[i];
    if (!token) return false;
    // `WINDOW w AS (…)`: MariaDB does not reserve WINDOW, but there it starts a clause.
    if (token.kind === 'word') return !isReservedWord(token.value) && this.word(i) !== 'WINDOW';
    return token.kind !== 'punct' || token.value === '(';
  }

  /** The index of the `)` closing the `(` at `open`, or -1. */
  closing(open: number): number {
    for (let i = open + 1; i < this.tokens.length; i++) {
      if (this.depths[i] === this.depths[open] && this.tokens[i].value === ')') return i;
    }
    return -1;
  }

  /** The index of the `(` matching the `)` at `close`, or -1. */
  opening(close: number): number {
    for (let j = close - 1; j >= 0; j--) {
      if (this.depths[j] === this.depths[close] && this.tokens[j].value === '(') return j;
    }
    return -1;
  }

  /** The index of the `(` opening the group the token at `i` is in, or -1 at depth 0. */
  opener(i: number): number {
    for (let j = i - 1; j >= 0; j--) {
      if (this.depths[j] < this.depths[i] && this.tokens[j].value === '(') return j;
    }
    return -1;
  }

  /** True when the `(` at `open` starts a subquery. */
  opensQuery(open: number): boolean {
    return this.tokens[open]?.value === '(' && ['SELECT', 'WITH', 'VALUES'].includes(this.word(open + 1));
  }
}
