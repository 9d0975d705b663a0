import type { FromItem, Query, StatementModel } from '../model';
import { isKeyword, type Token } from './tokenize';

/**
 * `JSON_TABLE(doc, path COLUMNS (…)) AS jt`, which node-sql-parser cannot read: the parenthesis
 * is blanked so the parser sees a table named JSON_TABLE, and the model's reference to it becomes
 * a table function whose columns are the COLUMNS names and whose arguments see the FROM items
 * before it, as MariaDB's do.
 */
export interface JsonTableCall {
  /** Statement offsets of the `JSON_TABLE` word and of its arguments before COLUMNS. */
  nameStart: number;
  argsStart: number;
  argsEnd: number;
  /** The parenthesis to blank. */
  open: Token;
  close: Token;
  /** Column names, NESTED PATH columns included. */
  columns: string[];
}

export function findJsonTables(tokens: Token[]): JsonTableCall[] {
  const calls: JsonTableCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], 'JSON_TABLE') || tokens[i + 1]?.value !== '(') continue;
    const close = closing(tokens, i + 1);
    const columns = tokens.findIndex((t, j) => j > i + 1 && j < close && isKeyword(t, 'COLUMNS'));
    if (close < 0 || columns < 0 || tokens[columns + 1]?.value !== '(') continue;
    const names = columnNames(tokens, columns + 1);
    if (!names) continue;
    calls.push({
      nameStart: tokens[i].start,
      argsStart: tokens[i + 2].start,
      argsEnd: tokens[columns - 1].end,
      open: tokens[i + 1],
      close: tokens[close],
      columns: names,
    });
  }
  return calls;
}

function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].value === '(') depth++;
    else if (tokens[i].value === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The names of a COLUMNS (…) list starting at `open`, or undefined when it cannot be read. */
function columnNames(tokens: Token[], open: number): string[] | undefined {
  const close = closing(tokens, open);
  if (close < 0) return undefined;
  const names: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    if (tokens[i].value === '(') {
      i = closing(tokens, i);
      if (i < 0) return undefined;
      continue;
    }
    if (tokens[i].value !== ',' && i !== close) continue;
    const first = tokens[start];
    if (isKeyword(first, 'NESTED')) {
      const nested = tokens.findIndex((t, j) => j > start && j < i && isKeyword(t, 'COLUMNS'));
      const inner = nested < 0 ? undefined : columnNames(tokens, nested + 1);
      if (!inner) return undefined;
      names.push(...inner);
    } else if (first?.kind === 'word' || first?.kind === 'quoted') {
      names.push(first.value);
    } else {
      return undefined;
    }
    start = i + 1;
  }
  return names;
}

/**
 * Replaces the model's references to the blanked JSON_TABLE calls (found by where their name is
 * written, `base` + statement offset) with table functions; `argsOf` gives each call's arguments.
 */
export function attachJsonTables(
  model: StatementModel,
  calls: JsonTableCall[],
  base: number,
  argsOf: (call: JsonTableCall) => Query | undefined,
): void {
  const byStart = new Map(calls.map((call) => [base + call.nameStart, call]));
  const swap = (item: FromItem): FromItem => {
    if (item.kind === 'join') return { ...item, left: swap(item.left), right: swap(item.right) };
    if (item.kind === 'derived') walk(item.query);
    const call = item.kind === 'table' && !item.schema ? byStart.get(item.name.start) : undefined;
    if (!call || item.kind !== 'table') return item;
    const args = argsOf(call);
    return {
      kind: 'opaque',
      ...(item.alias ? { alias: item.alias } : {}),
      ...(args ? { args } : {}),
      knownColumns: call.columns.map((text) => ({ text, quoted: false })),
    };
  };
  const walk = (query: Query): void => {
    query.from = query.from.map(swap);
    for (const cte of query.ctes) walk(cte.query);
    for (const q of [...query.subqueries, ...query.sources, ...query.setBranches]) walk(q);
  };
  if (model.query) walk(model.query);
}
