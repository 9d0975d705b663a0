/** INSERT, UPDATE and DELETE (libpg-query AST) → Kysely `insertInto`/`updateTable`/`deleteFrom` chains. */
import { quote } from '../javascriptString';
import { list, refuse, unwrap, type Fields } from '../query/astNodes';
import { REFUSAL } from '../query/refusals';
import { filterCalls, selectionCalls } from './clauses';
import { renderExpression } from './expressions';
import { propertyKey, safeName, tableExpression } from './names';
import type { RenderContext } from './renderContext';
import { asValue } from './spelling';
import { untyped } from './untyped';

/** An object literal of column → value, and whether it needs an expression builder (`eb`) in scope. */
function assignmentObject(entries: [string, unknown][], ctx: RenderContext): { body: string; needsBuilder: boolean } {
  const rendered = entries.map(([column, node]) => [column, renderExpression(node, ctx)] as const);
  const spelled = rendered.map(([column, operand]) => [column, untyped(ctx, asValue(operand, true))] as const);
  const body = `{ ${spelled.map(([column, code]) => `${propertyKey(column)}: ${code}`).join(', ')} }`;
  return { body, needsBuilder: spelled.some(([, code]) => /\beb\b/.test(code)) };
}

/** The argument of `values(…)`/`set(…)`: plain values are bound as they are; anything else needs `(eb) => …`. */
function withBuilder(body: string, needsBuilder: boolean): string {
  return needsBuilder ? `(eb) => (${body})` : body;
}

function returningCalls(stmt: Fields, ctx: RenderContext): string[] {
  const returning = list((stmt.returningClause as Fields | undefined)?.exprs);
  return selectionCalls(returning, { some: 'returning', all: 'returningAll' }, ctx);
}

function targetTable(relation: Fields): string {
  return quote(tableExpression(relation));
}

/** The builder calls after `db.` for an INSERT … VALUES or INSERT … SELECT statement. */
export function insertCalls(stmt: Fields, ctx: RenderContext): string[] {
  const columns = list(stmt.cols).map((col) => safeName(unwrap(col)[1].name as string));
  const source = unwrap(stmt.selectStmt)[1];
  const calls = [`insertInto(${targetTable(stmt.relation as Fields)})`];
  if (list(source.valuesLists).length > 0) calls.push(valuesCall(source, columns, ctx));
  else calls.push(...selectSourceCalls(source, columns, ctx));
  if (stmt.onConflictClause) calls.push(onConflictCall(stmt.onConflictClause as Fields, ctx));
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}

/** `columns([…])` and `expression((eb) => eb.selectFrom(…)…)` for INSERT … SELECT. */
function selectSourceCalls(source: Fields, columns: string[], ctx: RenderContext): string[] {
  // INSERT takes the SELECT's columns by position: their names are not seen.
  const select = ctx.subquery(source, { ...ctx, namedColumns: false });
  if (select[0].startsWith('selectNoFrom')) refuse(REFUSAL.subqueryWithoutFrom);
  const names = columns.map(quote).join(', ');
  return [`columns([${names}])`, `expression((eb) => ${['eb', ...select].join('.')})`];
}

/** `values(…)` for INSERT … VALUES: one object per row. */
function valuesCall(source: Fields, columns: string[], ctx: RenderContext): string {
  const rows = list(source.valuesLists).map((row) => {
    const items = list(unwrap(row)[1].items);
    // DEFAULT is an omitted key: Kysely writes `default` where another row has a value for it.
    const entries = items
      .map((item, index) => [columns[index], item] as [string, unknown])
      .filter(([, item]) => unwrap(item)[0] !== 'SetToDefault');
    if (entries.length === 0) refuse(REFUSAL.valuesOnlyDefault);
    return assignmentObject(entries, ctx);
  });
  const bodies = rows.map((row) => row.body);
  const needsBuilder = rows.some((row) => row.needsBuilder);
  return `values(${withBuilder(bodies.length === 1 ? bodies[0] : `[${bodies.join(', ')}]`, needsBuilder)})`;
}

function onConflictCall(clause: Fields, ctx: RenderContext): string {
  let target = 'oc';
  const infer = clause.infer as Fields | undefined;
  if (infer) {
    if (infer.conname) target = `oc.constraint(${quote(safeName(infer.conname as string))})`;
    else {
      const columns = list(infer.indexElems).map((elem) => quote(safeName(unwrap(elem)[1].name as string)));
      target = `oc.columns([${columns.join(', ')}])`;
    }
  }
  if (clause.action === 'ONCONFLICT_NOTHING') return `onConflict((oc) => ${target}.doNothing())`;
  if (!infer) refuse(REFUSAL.onConflictWithoutTarget);
  if (clause.whereClause) refuse(REFUSAL.onConflictWhere);
  const set = assignmentObject(assignments(list(clause.targetList)), ctx);
  return `onConflict((oc) => ${target}.doUpdateSet(${withBuilder(set.body, set.needsBuilder)}))`;
}

/** `SET column = expression` pairs. */
function assignments(targets: unknown[]): [string, unknown][] {
  return targets.map((target) => {
    const fields = unwrap(target)[1];
    return [safeName(fields.name as string), fields.val];
  });
}

/** The builder calls after `db.` for an UPDATE statement. */
export function updateCalls(stmt: Fields, ctx: RenderContext): string[] {
  const calls = [`updateTable(${targetTable(stmt.relation as Fields)})`];
  // PostgreSQL's UPDATE … FROM (commonRefusals.ts refuses it for MySQL).
  calls.push(...otherTables('from', list(stmt.fromClause), 'UPDATE … FROM'));
  const set = assignmentObject(assignments(list(stmt.targetList)), ctx);
  calls.push(`set(${withBuilder(set.body, set.needsBuilder)})`);
  if (stmt.whereClause) calls.push(...filterCalls('where', stmt.whereClause, ctx));
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}

/** The builder calls after `db.` for a DELETE statement. */
export function deleteCalls(stmt: Fields, ctx: RenderContext): string[] {
  const calls = [`deleteFrom(${targetTable(stmt.relation as Fields)})`];
  calls.push(...otherTables('using', list(stmt.usingClause), 'DELETE … USING'));
  if (stmt.whereClause) calls.push(...filterCalls('where', stmt.whereClause, ctx));
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}

/** `from([…])` of UPDATE or `using([…])` of DELETE: the other tables, plain ones as Kysely lists them. */
function otherTables(method: 'from' | 'using', items: unknown[], construct: string): string[] {
  if (items.length === 0) return [];
  const tables = items.map((item) => {
    const [kind, fields] = unwrap(item);
    if (kind !== 'RangeVar') refuse(REFUSAL.onlyPlainTables(construct));
    return quote(tableExpression(fields));
  });
  return [`${method}(${tables.length === 1 ? tables[0] : `[${tables.join(', ')}]`})`];
}
