/**
 * Count mismatches MySQL and MariaDB reject whatever the schema: an INSERT row whose value count
 * differs from its column list (node-sql-parser refuses those with its own words; error 1136), and
 * UNION/INTERSECT/EXCEPT branches of different widths (error 1222). A `*` keeps the check silent.
 */
import { finding, type Finding } from '../findings';
import { isKeyword, type Token } from './tokenize';

const VALUE_COUNT = /column count doesn't match value count at row (\d+)/i;

/** The finding for node-sql-parser's value-count refusal, on the row it names; else undefined. */
export function valueCountProblem(reason: string, tokens: Token[], base: number): Finding | undefined {
  const row = Number(VALUE_COUNT.exec(reason)?.[1] ?? 0);
  if (row < 1) return undefined;
  const values = tokens.findIndex((t) => isKeyword(t, 'VALUES', 'VALUE'));
  if (values < 0) return undefined;
  let depth = 0;
  let seen = 0;
  let open = -1;
  for (let i = values + 1; i < tokens.length; i++) {
    const text = tokens[i].kind === 'punct' ? tokens[i].value : '';
    if (text === '(' && depth++ === 0) {
      seen++;
      open = i;
    } else if (text === ')' && --depth === 0 && seen === row) {
      return finding(
        'column-count-mismatch',
        base + tokens[open].start,
        base + tokens[i].end,
        `Column count doesn't match value count at row ${row}.`,
      );
    }
  }
  return undefined;
}

type AstNode = Record<string, unknown>;

/** Set operations whose branches produce different numbers of columns, anywhere in the statement. */
export function setOperationProblems(ast: unknown, text: string, base: number): Finding[] {
  const problems: Finding[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as AstNode;
    if (node.type === 'select' && node._next && !seen.has(node._next)) {
      const problem = chainProblem(node, text, base);
      if (problem) problems.push(problem);
    }
    Object.values(node).forEach(visit);
  };
  visit(ast);
  return problems;
}

function chainProblem(first: AstNode, text: string, base: number): Finding | undefined {
  const expected = width(first);
  for (let branch = first._next as AstNode | undefined; branch; branch = branch._next as AstNode | undefined) {
    const found = width(branch);
    if (expected === undefined || found === undefined) return undefined;
    if (found === expected) continue;
    const location = firstColumnLocation(branch, text);
    return location
      ? finding(
          'column-count-mismatch',
          base + location.start,
          base + location.end,
          'The used SELECT statements have a different number of columns.',
        )
      : undefined;
  }
  return undefined;
}

function width(select: AstNode): number | undefined {
  const columns = select.columns;
  if (!Array.isArray(columns) || columns.length === 0) return undefined;
  const starred = JSON.stringify(columns).includes('"column":"*"');
  return starred ? undefined : columns.length;
}

/** The first column's range, without the whitespace node-sql-parser's location takes along. */
function firstColumnLocation(select: AstNode, text: string): { start: number; end: number } | undefined {
  const columns = select.columns as { expr?: { loc?: { start: { offset: number }; end: { offset: number } } } }[];
  const loc = columns[0]?.expr?.loc;
  if (!loc) return undefined;
  let end = loc.end.offset;
  while (end > loc.start.offset + 1 && /\s/.test(text[end - 1])) end--;
  return { start: loc.start.offset, end };
}
