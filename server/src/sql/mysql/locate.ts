import type { Ident } from '../model';
import type { Token } from './tokenize';

/**
 * Finds where the names of a node-sql-parser AST are written. The parser locates column
 * references only; every other name (tables, aliases, INSERT column lists, USING lists) is found
 * among the statement's identifier tokens. Each token is claimed once, references with a parser
 * location first, so two mentions of one name get two different ranges. A name that cannot be
 * found keeps `start` = -1 and the resolver does not report it.
 */
export class IdentifierLocator {
  private readonly claimed = new Set<number>();
  /** Names to place after the parser-located references have claimed their tokens. */
  private readonly pending: { ident: Ident; qualifier?: Ident }[] = [];

  constructor(
    private readonly tokens: Token[],
    /** Added to statement-relative offsets to give file offsets. */
    private readonly base: number,
  ) {}

  /**
   * The parts of a reference the parser located at statement offsets [start, end): identifiers
   * separated by dots, optionally ending in `*`. Undefined when the tokens there are anything else.
   */
  partsAt(start: number, end: number): { parts: Ident[]; star: boolean } | undefined {
    const inside: { token: Token; index: number }[] = [];
    this.tokens.forEach((token, index) => {
      if (token.start >= start && token.end <= end) inside.push({ token, index });
    });
    const parts: Ident[] = [];
    let star = false;
    for (let i = 0; i < inside.length; i++) {
      const { token } = inside[i];
      const expectName = i % 2 === 0;
      if (expectName && (token.kind === 'word' || token.kind === 'quoted')) {
        parts.push(this.ident(token));
      } else if (expectName && token.value === '*' && i === inside.length - 1) {
        star = true;
      } else if (expectName || token.value !== '.') {
        return undefined;
      }
    }
    if (parts.length === 0 && !star) return undefined;
    for (const { index } of inside) this.claimed.add(index);
    return { parts, star };
  }

  /**
   * A name the parser did not locate, optionally with its qualifier (`schema` of `schema.table`);
   * both ranges are filled in by `placePending`.
   */
  later(text: string, qualifier?: string): { ident: Ident; qualifier?: Ident } {
    const entry = {
      ident: unplaced(text),
      ...(qualifier === undefined ? {} : { qualifier: unplaced(qualifier) }),
    };
    this.pending.push(entry);
    return entry;
  }

  /**
   * Places every pending name on the first unclaimed identifier token that spells it (exact
   * spelling first, then ignoring case, then a double-quoted string), preceded by `qualifier .` when it has one.
   */
  placePending(): void {
    for (const { ident, qualifier } of this.pending) {
      const index =
        this.find(ident.text, qualifier?.text, true, false) ??
        this.find(ident.text, qualifier?.text, false, false) ??
        this.find(ident.text, qualifier?.text, true, true);
      if (index === undefined) continue;
      this.claimed.add(index);
      Object.assign(ident, this.ident(this.tokens[index]));
      if (qualifier) {
        this.claimed.add(index - 2);
        Object.assign(qualifier, this.ident(this.tokens[index - 2]));
      }
    }
    this.pending.length = 0;
  }

  /** `inStrings`: look only at double-quoted strings, the last resort (see `nameWritten`). */
  private find(text: string, qualifier: string | undefined, exact: boolean, inStrings: boolean): number | undefined {
    const same = (a: string, b: string): boolean => (exact ? a === b : a.toLowerCase() === b.toLowerCase());
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      const name = nameWritten(token);
      if (this.claimed.has(i) || name === undefined || (token.kind === 'string') !== inStrings || !same(name, text))
        continue;
      if (qualifier !== undefined) {
        const dot = this.tokens[i - 1];
        const owner = this.tokens[i - 2];
        if (dot?.value !== '.' || !owner || !same(owner.value, qualifier)) continue;
      }
      return i;
    }
    return undefined;
  }

  private ident(token: Token): Ident {
    return {
      text: nameWritten(token) ?? token.value,
      quoted: token.kind !== 'word',
      start: this.base + token.start,
      end: this.base + token.end,
    };
  }
}

/**
 * The name a token spells, if it can spell one. node-sql-parser reads `"x"` as an identifier
 * where only a name fits (`FROM "x"`), as MySQL does under ANSI_QUOTES, even when the lexer,
 * without that mode, calls it a string.
 */
function nameWritten(token: Token): string | undefined {
  if (token.kind === 'word' || token.kind === 'quoted') return token.value;
  if (token.kind === 'string' && token.value.startsWith('"')) return token.value.slice(1, -1).replaceAll('""', '"');
  return undefined;
}

function unplaced(text: string): Ident {
  return { text, quoted: false, start: -1, end: -1 };
}
