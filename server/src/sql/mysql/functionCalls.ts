/**
 * The function calls of a MySQL/MariaDB query statement, for the check that each function exists,
 * and the functions a `CREATE FUNCTION` makes (node-sql-parser cannot read it, so its tokens are).
 * A call counts only where the tokens at the parser's location spell `name(` or `db.name(` and
 * the name is the one the parser read: anything else (`CURRENT_DATE`, syntax the parser turns
 * into a function node) is left out.
 */
import type { FunctionCall, Ident, Name, SchemaEffect } from '../model';
import type { Token } from './tokenize';

const QUERY_TYPES = new Set(['select', 'insert', 'replace', 'update', 'delete']);

type Node = Record<string, unknown>;

export function functionCalls(ast: Node, tokens: Token[], base: number): FunctionCall[] {
  if (!QUERY_TYPES.has(String(ast.type))) return [];
  const calls: FunctionCall[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.type === 'function') {
      const call = callAt(node, tokens, base);
      if (call) calls.push(call);
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(ast);
  return calls;
}

function callAt(node: Node, tokens: Token[], base: number): FunctionCall | undefined {
  const parts = (node.name as { name?: { value?: unknown }[] } | undefined)?.name;
  const start = (node.loc as { start?: { offset?: number } } | undefined)?.start?.offset;
  if (!Array.isArray(parts) || parts.length !== 1 || typeof start !== 'number') return undefined;
  const first = tokens.findIndex((t) => t.start >= start);
  if (first < 0 || tokens[first].start !== start) return undefined;
  const qualified = tokens[first + 1]?.value === '.';
  const nameToken = tokens[qualified ? first + 2 : first];
  const open = tokens[qualified ? first + 3 : first + 1];
  if (!isName(nameToken) || open?.value !== '(' || open.start !== nameToken.end) return undefined;
  if (nameToken.value.toLowerCase() !== String(parts[0].value).toLowerCase()) return undefined;
  if (qualified && !isName(tokens[first])) return undefined;
  const name = ident(nameToken, base);
  return qualified ? { schema: ident(tokens[first], base), name } : { name };
}

/**
 * What a statement does to the functions later calls may name: `CREATE [OR REPLACE] [DEFINER = …]
 * [AGGREGATE] FUNCTION [IF NOT EXISTS] [db.]name` (a stored function or a UDF) makes `name`;
 * `INSTALL PLUGIN`/`SONAME`, or a name that cannot be read, may make any (executable comments: `analyze.ts`).
 */
export function functionEffect(tokens: Token[]): SchemaEffect | undefined {
  const created = createdFunction(tokens);
  if (!created && !/^install$/i.test(tokens[0]?.value ?? '')) return undefined;
  return {
    touchedRelations: [],
    createdSchemas: [],
    ...(created?.name ? { createdRoutines: [created.name] } : { routinesUnknowable: true }),
  };
}

function createdFunction(tokens: Token[]): { name?: Name } | undefined {
  const words = tokens;
  if (!/^create$/i.test(words[0]?.value ?? '')) return undefined;
  const at = words.findIndex((t, i) => i < 12 && t.kind === 'word' && /^function$/i.test(t.value));
  if (at < 0 || words.slice(1, at).some((t) => /^(table|view|trigger|procedure|event|index)$/i.test(t.value)))
    return undefined;
  let i = at + 1;
  if (/^if$/i.test(words[i]?.value ?? '')) i += 3;
  if (words[i + 1]?.value === '.') i += 2;
  return isName(words[i]) ? { name: { text: words[i].value, quoted: words[i].kind !== 'word' } } : {};
}

function isName(token: Token | undefined): token is Token {
  return token?.kind === 'word' || token?.kind === 'quoted';
}

function ident(token: Token, base: number): Ident {
  return { text: token.value, quoted: token.kind !== 'word', start: base + token.start, end: base + token.end };
}
