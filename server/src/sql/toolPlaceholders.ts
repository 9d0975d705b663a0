/**
 * The parameter syntaxes of the tools people write SQL for, bound to the dialect's own markers
 * (`$n` for PostgreSQL, `?` for MySQL) so a statement is checked with them as parameters instead of
 * being called a syntax error:
 * - pgtyped: `:id`, `:id!`, `$id`, `$id!`, and the expansions `IN :ids`, `VALUES :rows`, `$$ids`,
 *   `$row(a, b)`, `$$rows(a, b)`;
 * - sqlc: `sqlc.arg(x)`, `sqlc.narg(x)`, `sqlc.slice(x)`, and `@x` on PostgreSQL;
 * - SQLAlchemy `text()` and Knex named bindings: `:x` (Knex's identifier `:x:` is not checked);
 *   psql variables: `:'x'`;
 * - Python DB-API: `%s`, `%(x)s`.
 * The dialect's own markers (`$1`, `?`) are left as they are: the database judges those.
 */
import type { Dialect } from '../schema/snapshot';
import { tokenizeSql, type SqlToken } from '../embedded/sqlLexer';

/** How one placeholder reads in its statement. */
export type PlaceholderForm =
  /** One value. */
  | { kind: 'value'; name?: string }
  /** A parenthesised list of `arity` values: an `IN` list or a `VALUES` row. */
  | { kind: 'tuple'; arity: number }
  | { kind: 'unsupported'; reason: string };

/** One replacement in a statement's text, offsets relative to the statement. */
export interface Binding {
  start: number;
  end: number;
  replacement: string;
}

export type BindResult =
  { kind: 'none' } | { kind: 'bound'; text: string; bindings: Binding[] } | { kind: 'unsupported'; reason: string };

const significant = (tokens: SqlToken[]): SqlToken[] => tokens.filter((t) => t.kind !== 'comment');
const upper = (token: SqlToken | undefined): string => (token?.kind === 'word' ? token.text.toUpperCase() : '');

/** The name of a named placeholder without its sigils and pgtyped's non-null `!`. */
export function placeholderName(text: string): string | undefined {
  const match = /^(?::'?|\$\$?|@|%\()([\p{L}_][\p{L}\p{N}_.]*)/u.exec(text);
  return match?.[1];
}

/** True for placeholders the dialect's driver itself understands: `?`, `??` and `$n`. */
function isNativeMarker(text: string): boolean {
  return text === '?' || text === '??' || /^\$\d+$/.test(text);
}

/**
 * How the tool placeholder at `index` of the significant `tokens` reads: a value, a list (after
 * `IN` or `VALUES`), or something that cannot be checked. Undefined for the dialect's own markers.
 */
export function placeholderForm(tokens: SqlToken[], index: number): PlaceholderForm | undefined {
  const token = tokens[index];
  const text = token.text;
  if (isNativeMarker(text)) return undefined;
  if (/^:.+:$/.test(text)) return { kind: 'unsupported', reason: `${text} binds an identifier at run time` };
  const pick = /^\$\$?[\p{L}_][\p{L}\p{N}_]*\((.*)\)$/su.exec(text);
  if (pick) return { kind: 'tuple', arity: pick[1].split(',').length };
  const before = upper(tokens[index - 1]);
  const spread = text.startsWith('$$');
  if (before === 'IN') return { kind: 'tuple', arity: 1 };
  if (before === 'VALUES') {
    const arity = insertColumnCount(tokens, index - 1);
    return arity
      ? { kind: 'tuple', arity }
      : { kind: 'unsupported', reason: `the row expansion ${text} needs the INSERT's column list` };
  }
  // pgtyped spreads only after IN or VALUES: elsewhere `$$x` is an unterminated dollar quote.
  if (spread) return undefined;
  return { kind: 'value', name: placeholderName(text) };
}

/** The number of columns in `INSERT INTO t (a, b) VALUES`, counted back from the `VALUES` token. */
function insertColumnCount(tokens: SqlToken[], values: number): number | undefined {
  if (tokens[values - 1]?.text !== ')') return undefined;
  let count = 1;
  for (let i = values - 2; i >= 0; i--) {
    const token = tokens[i];
    if (token.text === '(')
      return upper(tokens[i - 2]) === 'INTO' || upper(tokens[i - 4]) === 'INTO' ? count : undefined;
    if (token.text === ',') count++;
    else if (token.kind !== 'word' && token.kind !== 'quoted-identifier' && token.text !== '.') return undefined;
  }
  return undefined;
}

const SQLC_MACROS = new Set(['arg', 'narg', 'slice']);

/**
 * The dialect's next parameter marker: `?` for MySQL; for PostgreSQL `$n` after the highest `$n`
 * already in `tokens`, the same one again for a name seen before.
 */
export function parameterMarkers(dialect: Dialect, tokens: readonly SqlToken[]): (name?: string) => string {
  let next = tokens.reduce((max, t) => (/^\$\d+$/.test(t.text) ? Math.max(max, Number(t.text.slice(1))) : max), 0);
  const byName = new Map<string, string>();
  return (name) => {
    if (dialect === 'mysql') return '?';
    const known = name ? byName.get(name) : undefined;
    if (known) return known;
    const fresh = `$${++next}`;
    if (name) byName.set(name, fresh);
    return fresh;
  };
}

/**
 * Binds the tool placeholders of one statement. The bound text is what the parser and the live
 * check see; findings on it map back with `originalOffset`.
 */
export function bindToolPlaceholders(text: string, dialect: Dialect): BindResult {
  if (!/[:$@%]|sqlc\./i.test(text)) return { kind: 'none' };
  const tokens = significant(tokenizeSql(text, dialect));
  const marker = parameterMarkers(dialect, tokens);
  const bindings: Binding[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'word' && token.text.toLowerCase() === 'sqlc' && tokens[i + 1]?.text === '.') {
      const macro = tokens[i + 2]?.text.toLowerCase() ?? '';
      if (!SQLC_MACROS.has(macro) || tokens[i + 3]?.text !== '(' || tokens[i + 5]?.text !== ')')
        return { kind: 'unsupported', reason: `sqlc's ${tokens[i + 2]?.text ?? ''}() is not a value parameter` };
      const argument = tokens[i + 4];
      const name = argument.kind === 'string' ? argument.text.slice(1, -1) : argument.text;
      bindings.push({ start: token.start, end: tokens[i + 5].end, replacement: marker(name) });
      i += 5;
      continue;
    }
    if (token.kind !== 'placeholder') continue;
    // PostgreSQL's jsonb `?` operators and `$n` are the database's own; `?` there is never bound here.
    if (dialect === 'postgres' && token.text === '?') continue;
    const form = placeholderForm(tokens, i);
    if (!form) continue;
    if (form.kind === 'unsupported') return { kind: 'unsupported', reason: form.reason };
    const replacement =
      form.kind === 'value' ? marker(form.name) : `(${Array.from({ length: form.arity }, () => marker()).join(', ')})`;
    bindings.push({ start: token.start, end: token.end, replacement });
  }
  if (bindings.length === 0) return { kind: 'none' };
  let bound = '';
  let copied = 0;
  for (const binding of bindings) {
    bound += text.slice(copied, binding.start) + binding.replacement;
    copied = binding.end;
  }
  return { kind: 'bound', text: bound + text.slice(copied), bindings };
}

/**
 * Maps an offset into the bound text back to the statement's own text: an offset inside a
 * replacement lands on the placeholder's start (or its end, for an end offset).
 */
export function originalOffset(bindings: readonly Binding[], boundOffset: number, isEnd = false): number {
  let shift = 0;
  for (const binding of bindings) {
    const boundStart = binding.start + shift;
    const boundEnd = boundStart + binding.replacement.length;
    if (boundOffset < boundStart || (isEnd && boundOffset === boundStart)) break;
    if (boundOffset < boundEnd || (isEnd && boundOffset === boundEnd)) return isEnd ? binding.end : binding.start;
    shift += binding.replacement.length - (binding.end - binding.start);
  }
  return boundOffset - shift;
}
