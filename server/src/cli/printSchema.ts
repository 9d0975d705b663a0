import type { Relation, SchemaSnapshot } from '../schema/snapshot';

/** Renders a snapshot as the indented outline the demo and `live-schema snapshot --print` show. */
export function formatSnapshot(snapshot: SchemaSnapshot): string {
  const lines: string[] = [];
  const { server } = snapshot;
  lines.push(
    `${server.product} ${server.version.split(' ').slice(0, 2).join(' ')}${server.searchPath?.length ? ` · search_path ${server.searchPath.join(', ')}` : ''}`,
  );
  for (const schema of snapshot.schemas) {
    lines.push('', `schema ${schema.name}${schema.comment ? `  -- ${schema.comment}` : ''}`);
    for (const type of snapshot.enums.filter((e) => e.schema === schema.name))
      lines.push(`  enum ${type.name} (${type.values.join(', ')})`);
    for (const domain of snapshot.domains.filter((d) => d.schema === schema.name))
      lines.push(
        `  domain ${domain.name} ${domain.baseType}${domain.nullable ? '' : ' not null'}${domain.checks.length ? ` ${domain.checks.join(' ')}` : ''}`,
      );
    for (const relation of snapshot.relations.filter((r) => r.schema === schema.name))
      lines.push(...formatRelation(relation));
    const routines = snapshot.routines.filter((r) => r.schema === schema.name);
    if (routines.length) lines.push(`  routines: ${routines.map((r) => `${r.name} (${r.kind})`).join(', ')}`);
  }
  return lines.join('\n');
}

function formatRelation(relation: Relation): string[] {
  const lines = [`  ${relation.kind} ${relation.name}${relation.comment ? `  -- ${relation.comment}` : ''}`];
  const width = Math.max(...relation.columns.map((c) => c.name.length), 0);
  for (const column of relation.columns) {
    const flags = [
      column.nullable ? '' : 'not null',
      column.default === null ? '' : `default ${column.default}`,
      column.comment ? `-- ${column.comment}` : '',
    ].filter(Boolean);
    lines.push(`    ${column.name.padEnd(width)}  ${column.type}${flags.length ? `  ${flags.join('  ')}` : ''}`);
  }
  if (relation.primaryKey) lines.push(`    primary key (${relation.primaryKey.columns.join(', ')})`);
  for (const unique of relation.uniqueConstraints) lines.push(`    unique (${unique.columns.join(', ')})`);
  for (const fk of relation.foreignKeys)
    lines.push(
      `    foreign key (${fk.columns.join(', ')}) → ${fk.referencedSchema}.${fk.referencedTable} (${fk.referencedColumns.join(', ')})${fk.onDelete === 'NO ACTION' ? '' : ` on delete ${fk.onDelete.toLowerCase()}`}`,
    );
  for (const index of relation.indexes.filter((i) => !i.primary))
    lines.push(
      `    ${index.unique ? 'unique ' : ''}index ${index.name} (${index.columns.map((c) => c ?? '<expression>').join(', ')})`,
    );
  return lines;
}
