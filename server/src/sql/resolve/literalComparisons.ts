/**
 * `type-mismatch` (PostgreSQL): a column compared with a string literal its type can never read
 * (`qty = 'abc'`, `paid = 'maybe'`, `id = 'x'` on a uuid, a label its enum lacks). PostgreSQL reads
 * the literal as the column's type while it prepares the statement, so it rejects the statement
 * whatever the rows. Only a column that resolves to exactly one table column is judged.
 */
import type { Column, EnumType } from '../../schema/snapshot';
import { finding } from '../findings';
import type { ColumnRef, LiteralComparison } from '../model';
import { unreadableAs } from './literalTypes';
import type { Frame, Resolver } from './resolveStatement';
import { relationColumns, type Source } from './sources';

export function checkLiteralComparisons(r: Resolver, comparisons: readonly LiteralComparison[], frame: Frame): void {
  const { snapshot } = r.ctx;
  // Failed schema DDL may have changed a column's type or an enum's labels.
  if (r.ctx.dialect !== 'postgres' || snapshot.uncertain) return;
  for (const { column, literal, assigned } of comparisons) {
    const target = tableColumn(r, column, frame, assigned === true);
    if (!target) continue;
    const wanted = unreadableAs(target.type, literal.value, (type) => enumNamed(r, type));
    if (!wanted) continue;
    r.report(
      finding(
        'type-mismatch',
        literal.start,
        literal.end,
        `PostgreSQL cannot read '${literal.value}' as ${wanted}, the type of column "${target.name}", so it rejects the statement. ${assigned ? 'Assign' : 'Compare with'} a value of that type.`,
        [],
        { names: [target.name] },
      ),
    );
  }
}

/** The one table column `ref` names here, or undefined when that is not certain. */
function tableColumn(r: Resolver, ref: ColumnRef, frame: Frame, assigned: boolean): Column | undefined {
  const parts = ref.parts;
  if (parts.some((p) => p.start < 0)) return undefined;
  const name = parts[parts.length - 1];
  let source: Source | undefined;
  if (assigned) source = frame.target;
  else if (parts.length === 2) {
    const found = r.findSource(frame, r.ctx.tableKey(parts[0].text), undefined);
    source = found === 'unsure' ? undefined : found;
  } else if (parts.length === 1) {
    const key = r.ctx.columnKey(name.text);
    for (let f: Frame | undefined = frame; f && !source; f = f.parent) {
      if (f.unsure) return undefined;
      const entry = f.ns.entries.get(key);
      if (entry) {
        if (entry.count !== 1 || entry.sources.length !== 1) return undefined;
        source = entry.sources[0];
      } else if (f.ns.open) return undefined;
    }
  }
  const relation = source?.relation;
  if (!source || !relation) return undefined;
  // Column aliases (`FROM t AS x(a, b)`) rename the relation's columns: then names do not say which.
  const own = r.ctx.columnsOf(relation, () =>
    relationColumns(relation, (s) => r.ctx.columnKey(s), r.ctx.dialect === 'postgres'),
  );
  if (source.columns !== own) return undefined;
  return relation.columns.find((c) => r.ctx.columnKey(c.name) === r.ctx.columnKey(name.text));
}

/** The enum a column type names (`order_status`, `sales.status`, `"Mood"`), when that is certain. */
function enumNamed(r: Resolver, type: string): EnumType | undefined {
  const parts = type
    .match(/"(?:[^"]|"")*"|[^.]+/g)
    ?.map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p));
  if (!parts || parts.length > 2) return undefined;
  const name = parts[parts.length - 1];
  // ALTER TYPE … ADD VALUE earlier in the script.
  if (r.ctx.createdRoutines.has(name)) return undefined;
  const candidates = r.ctx.snapshot.enums.filter(
    (e) => e.name === name && (parts.length === 1 || e.schema === parts[0]),
  );
  if (parts.length === 2 || candidates.length <= 1) return candidates[0];
  return r.ctx.searchPath.map((s) => candidates.find((e) => e.schema === s)).find((e) => e !== undefined);
}
