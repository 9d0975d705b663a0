/**
 * Count mismatches PostgreSQL rejects before it looks at any name: an INSERT whose column list and
 * VALUES rows differ in length, VALUES rows of different lengths, and set operations (UNION,
 * INTERSECT, EXCEPT) whose branches produce different numbers of columns. Certain from the syntax
 * alone, so they need no schema; a `*` or anything else of unknown width keeps the check silent.
 */
import { finding, type Finding } from '../findings';
import { list, unwrap, walk, type Node, type TranslateContext } from './translateContext';

/** The problems of one parsed statement, in PostgreSQL's own words. */
export function countProblems(statement: Node, ctx: TranslateContext): Finding[] {
  const problems: Finding[] = [];
  walk(statement, (kind, n) => {
    if (kind === 'InsertStmt') insertProblem(n, ctx, problems);
    else if (kind === 'SelectStmt') selectProblem(n, ctx, problems);
  });
  return problems;
}

const location = (node: unknown): number | undefined => {
  const entry = unwrap(node);
  const at = entry?.[1].location;
  return typeof at === 'number' && at >= 0 ? at : undefined;
};

function report(ctx: TranslateContext, node: unknown, message: string, problems: Finding[]): void {
  const at = location(node);
  if (at === undefined) return;
  const start = ctx.offsets.fromByte(at);
  const text = ctx.offsets.text;
  let end = ctx.offsets.local(start);
  while (end < text.length && !/[\s,()]/.test(text[end])) end++;
  problems.push(
    finding('column-count-mismatch', start, ctx.offsets.base + Math.max(end, ctx.offsets.local(start) + 1), message),
  );
}

const rows = (select: Node): unknown[][] => list(select.valuesLists).map((row) => list(unwrap(row)?.[1].items));

/** A VALUES list whose rows differ in length: reported on the first row that differs. */
function unevenRow(select: Node): unknown[] | undefined {
  const all = rows(select);
  return all.find((row) => row.length !== all[0].length);
}

function insertProblem(n: Node, ctx: TranslateContext, problems: Finding[]): void {
  const columns = list(n.cols);
  const select = unwrap(n.selectStmt)?.[1];
  if (columns.length === 0 || !select || list(select.valuesLists).length === 0) return;
  if (unevenRow(select)) return; // reported by the SelectStmt visit
  const values = rows(select)[0];
  if (values.length > columns.length)
    report(ctx, values[columns.length], 'INSERT has more expressions than target columns.', problems);
  else if (values.length < columns.length)
    report(ctx, columns[values.length], 'INSERT has more target columns than expressions.', problems);
}

function selectProblem(n: Node, ctx: TranslateContext, problems: Finding[]): void {
  const uneven = unevenRow(n);
  if (uneven) report(ctx, uneven[0], 'VALUES lists must all be the same length.', problems);
  if (!n.op || n.op === 'SETOP_NONE') return;
  // The branches of a set operation are bare SelectStmt fields, not `{ SelectStmt: … }` nodes.
  for (const branch of [n.larg, n.rarg] as (Node | undefined)[]) if (branch) selectProblem(branch, ctx, problems);
  const left = width(n.larg as Node);
  const right = width(n.rarg as Node);
  if (left === undefined || right === undefined || left === right) return;
  const operation = typeof n.op === 'string' ? n.op.replace('SETOP_', '') : 'UNION';
  report(ctx, firstTarget(n.rarg as Node), `each ${operation} query must have the same number of columns.`, problems);
}

/** The number of columns a SELECT produces, or undefined when a `*` (or a nested set) hides it. */
function width(select: Node | undefined): number | undefined {
  if (!select) return undefined;
  if (select.op && select.op !== 'SETOP_NONE') return width(select.larg as Node);
  const values = rows(select);
  if (values.length > 0) return values[0].length;
  const targets = list(select.targetList);
  if (targets.length === 0 || JSON.stringify(targets).includes('"A_Star"')) return undefined;
  return targets.length;
}

function firstTarget(select: Node | undefined): unknown {
  if (!select) return undefined;
  if (select.op && select.op !== 'SETOP_NONE') return firstTarget(select.larg as Node);
  return rows(select)[0]?.[0] ?? list(select.targetList)[0];
}
