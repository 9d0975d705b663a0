/**
 * What a schema change under the running editor sets off, decided once: the workspace index
 * follows the new schema (and says which references the change broke), the generated schema
 * modules are rewritten when the folder opts in, and the change is logged. The front end only
 * tells the user (`liveSchema/schemaChanged`).
 */
import type { ReferenceLocation } from '../index/workspaceIndex';
import { describeChange } from '../schema/schemaDiff';
import type { SchemaChangeEvent } from '../schema/schemaMonitor';
import type { ConnectionSource } from './connectionSource';
import { regenerateSchemaModules } from './schemaModules';
import type { ServerLog, Session } from './session';
import type { WorkspaceIndexes } from './workspaceIndexes';

/** A schema change as the user is told it. */
export interface SchemaChangeReport {
  connection: string;
  /** One line per change, e.g. `column shop.orders.total_cents: type integer → bigint`. */
  changes: string[];
  /** The workspace's references to what was dropped or renamed, by their old names; undefined while the folder is not indexed. */
  broken: ReferenceLocation[] | undefined;
}

/** Follows a schema change through the workspace and returns what to tell the user. */
export function followSchemaChange(
  workspace: { session: Session; indexes: WorkspaceIndexes; log: ServerLog },
  source: ConnectionSource,
  event: SchemaChangeEvent,
): SchemaChangeReport {
  const { session, indexes, log } = workspace;
  const broken = indexes.schemaChanged(source, event);
  void regenerateSchemaModules(session, source).then(
    (files) => files.forEach((file) => log.info(`Regenerated ${file} after the schema change`)),
    (error: unknown) => log.warn(`Could not regenerate the schema module: ${(error as Error).message}`),
  );
  const changes = event.diff.changes.map(describeChange);
  log.info(`Schema of ${source.name} changed: ${changes.join('; ')}`);
  return { connection: source.name, changes, broken };
}
