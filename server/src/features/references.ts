import type { Connection, Location, ServerCapabilities } from 'vscode-languageserver';
import { pathToFileURL } from 'node:url';
import type { ReferenceLocation } from '../index/workspaceIndex';
import type { BrokenReference } from '../protocol/customMessages';
import type { WorkspaceIndexes } from '../session/workspaceIndexes';
import { elementRef } from '../sql/editing/references';
import { symbolAt } from '../sql/editing/symbolAt';
import { sqlAtPosition, type EditingServices } from './editingContext';

export const referencesCapability: Pick<ServerCapabilities, 'referencesProvider'> = { referencesProvider: true };

export function toLocation(reference: ReferenceLocation): Location {
  return { uri: pathToFileURL(reference.file).href, range: reference.range };
}

/** A reference a schema change broke, named as it was (`public.orders.total_cents`). */
export function toBrokenReference(reference: ReferenceLocation): BrokenReference {
  const { schema, table, column } = reference.element;
  return { ...toLocation(reference), name: [schema, table, column].filter((part) => part !== undefined).join('.') };
}

/** Find references of the table or column under the cursor: every use in `.sql` files and code, from the index. */
export function registerReferences(connection: Connection, services: EditingServices, indexes: WorkspaceIndexes): void {
  connection.onReferences(async (params) => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const symbol = symbolAt(found.sql.text, found.sql.offset, found.sql.snapshot);
    if (!symbol) return null;
    const index = await indexes.indexFor(services.session.folderConnectionFor(found.document.uri));
    return index?.referencesTo(elementRef(symbol.element)).map(toLocation) ?? [];
  });
}
