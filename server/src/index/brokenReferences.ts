import type { SchemaChange, SchemaDiff } from '../schema/schemaDiff';
import type { ElementRef } from '../sql/editing/references';
import type { ReferenceLocation, WorkspaceIndex } from './workspaceIndex';

const RELATION_OBJECTS: ReadonlySet<string> = new Set([
  'table',
  'partitioned-table',
  'view',
  'materialized-view',
  'foreign-table',
  'sequence',
]);

/**
 * The places in the workspace that a schema change breaks: every reference to a dropped or
 * renamed schema, relation (with its columns) or column, by its old name. Asked of the index
 * before it follows the change, while it still resolves names against the previous snapshot.
 */
export function brokenReferences(index: WorkspaceIndex, diff: SchemaDiff): ReferenceLocation[] {
  const found = new Map<string, ReferenceLocation>();
  for (const change of diff.changes) {
    const element = brokenElement(change);
    if (!element) continue;
    for (const reference of index.referencesTo(element, { includeColumns: true }))
      found.set(`${reference.file}\0${reference.start}`, reference);
  }
  return [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
}

function brokenElement(change: SchemaChange): ElementRef | undefined {
  if (change.action !== 'dropped' && change.action !== 'renamed') return undefined;
  const oldName = change.action === 'renamed' ? change.from : change.path.name;
  const { schema, relation } = change.path;
  if (change.object === 'schema') return { kind: 'schema', schema: oldName };
  if (RELATION_OBJECTS.has(change.object)) return { kind: 'relation', schema, table: oldName };
  if (change.object === 'column' && relation !== undefined)
    return { kind: 'column', schema, table: relation, column: oldName };
  return undefined;
}
