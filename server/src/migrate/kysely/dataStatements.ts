/** INSERT, UPDATE and DELETE (libpg-query AST) → Kysely `insertInto`/`updateTable`/`deleteFrom` chains. */
import { list, quote, refuse, safeName, tableExpression, unwrap, type Fields } from '../query/astNodes';
import { filterCalls, refuseWith, selectionCalls } from './clauses';
import { asValue, renderExpression, type RenderContext } from './expressions';
import { refuseOnMysql } from './mysqlDifferences';

/** JavaScript property keys for column names. */
function propertyKey(column: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(column) ? column : quote(column);
}

/** An object literal of column → value, and whether it needs an expression builder (`eb`) in scope. */
function assignmentObject(entries: [string, unknown][], ctx: RenderContext): { body: string; needsBuilder: boolean } {
  const rendered = entries.map(([column, node]) => [column, renderExpression(node, ctx)] as const);
  const spelled = rendered.map(([column, operand]) => [column, asValue(operand, true)] as const);
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

function targetTable(relation: Fields, statement: string): string {
  if ((relation.alias as Fields | undefined)?.aliasname && statement === 'INSERT') {
    refuse('an alias on the INSERT target is not converted');
  }
  return quote(tableExpression(relation));
}

/** The builder calls after `db.` for an INSERT … VALUES or INSERT … SELECT statement. */
export function insertCalls(stmt: Fields, ctx: RenderContext): string[] {
  refuseWith(stmt);
  if (stmt.override !== 'OVERRIDING_NOT_SET') refuse('OVERRIDING … VALUE is not converted');
  const columns = list(stmt.cols).map((col) => {
    const target = unwrap(col)[1];
    if (list(target.indirection).length > 0) refuse('subscripted INSERT columns are not converted');
    return safeName(target.name as string);
  });
  if (!stmt.selectStmt) refuse('INSERT … DEFAULT VALUES is not converted');
  if (columns.length === 0) refuse('INSERT without a column list is not converted (Kysely names every column)');
  const source = unwrap(stmt.selectStmt)[1];
  const calls = [`insertInto(${targetTable(stmt.relation as Fields, 'INSERT')})`];
  if (list(source.valuesLists).length > 0) calls.push(valuesCall(source, columns, ctx));
  else calls.push(...selectSourceCalls(source, columns, ctx));
  if (stmt.onConflictClause) {
    refuseOnMysql(ctx, 'onConflict');
    calls.push(onConflictCall(stmt.onConflictClause as Fields, ctx));
  }
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}

/** `columns([…])` and `expression((eb) => eb.selectFrom(…)…)` for INSERT … SELECT. */
function selectSourceCalls(source: Fields, columns: string[], ctx: RenderContext): string[] {
  // INSERT takes the SELECT's columns by position: their names are not seen.
  const select = ctx.subquery(source, { ...ctx, namedColumns: false });
  if (select[0].startsWith('selectNoFrom')) refuse('INSERT … SELECT without FROM is not converted');
  const names = columns.map(quote).join(', ');
  return [`columns([${names}])`, `expression((eb) => ${['eb', ...select].join('.')})`];
}

/** `values(…)` for INSERT … VALUES: one object per row. */
function valuesCall(source: Fields, columns: string[], ctx: RenderContext): string {
  refuseWith(source);
  const rows = list(source.valuesLists).map((row) => {
    const items = list(unwrap(row)[1].items);
    // DEFAULT is an omitted key: Kysely writes `default` where another row has a value for it.
    const entries = items
      .map((item, index) => [columns[index], item] as [string, unknown])
      .filter(([, item]) => unwrap(item)[0] !== 'SetToDefault');
    if (entries.length === 0) refuse('a VALUES row of only DEFAULT is not converted');
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
    if (infer.whereClause) refuse('ON CONFLICT with a partial-index predicate is not converted');
    if (infer.conname) target = `oc.constraint(${quote(safeName(infer.conname as string))})`;
    else {
      const columns = list(infer.indexElems).map((elem) => {
        const index = unwrap(elem)[1];
        if (!index.name || index.collation || index.opclass)
          refuse('ON CONFLICT on an expression index is not converted');
        return quote(safeName(index.name as string));
      });
      target = `oc.columns([${columns.join(', ')}])`;
    }
  }
  if (clause.action === 'ONCONFLICT_NOTHING') return `onConflict((oc) => ${target}.doNothing())`;
  if (!infer) refuse('ON CONFLICT DO UPDATE without a conflict target is not valid SQL');
  if (clause.whereClause) refuse('ON CONFLICT DO UPDATE … WHERE is not converted');
  const set = assignmentObject(assignments(list(clause.targetList)), ctx);
  return `onConflict((oc) => ${target}.doUpdateSet(${withBuilder(set.body, set.needsBuilder)}))`;
}

/** `SET column = expression` pairs, refusing multi-column and subscripted assignments. */
function assignments(targets: unknown[]): [string, unknown][] {
  return targets.map((target) => {
    const fields = unwrap(target)[1];
    if (list(fields.indirection).length > 0) refuse('subscripted SET targets are not converted');
    if (unwrap(fields.val)[0] === 'MultiAssignRef') refuse('SET (a, b) = (…) is not converted');
    if (unwrap(fields.val)[0] === 'SetToDefault') refuse('SET column = DEFAULT is not converted');
    return [safeName(fields.name as string), fields.val];
  });
}

/** The builder calls after `db.` for an UPDATE statement. */
export function updateCalls(stmt: Fields, ctx: RenderContext): string[] {
  refuseWith(stmt);
  if (list(stmt.fromClause).length > 0) refuse('UPDATE … FROM is not converted');
  const calls = [`updateTable(${targetTable(stmt.relation as Fields, 'UPDATE')})`];
  const set = assignmentObject(assignments(list(stmt.targetList)), ctx);
  calls.push(`set(${withBuilder(set.body, set.needsBuilder)})`);
  if (stmt.whereClause) calls.push(...filterCalls('where', stmt.whereClause, ctx));
  if (stmt.returningClause) refuseOnMysql(ctx, 'updateReturning');
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}

/** The builder calls after `db.` for a DELETE statement. */
export function deleteCalls(stmt: Fields, ctx: RenderContext): string[] {
  refuseWith(stmt);
  if (list(stmt.usingClause).length > 0) refuse('DELETE … USING is not converted');
  const calls = [`deleteFrom(${targetTable(stmt.relation as Fields, 'DELETE')})`];
  if (stmt.whereClause) calls.push(...filterCalls('where', stmt.whereClause, ctx));
  calls.push(...returningCalls(stmt, ctx));
  return calls;
}
