import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import { relationDdl } from '../schema/ddl';
import { symbolAt } from '../sql/editing/symbolAt';
import { sqlAtPosition, type EditingServices } from './editingContext';
import { ddlUri } from './virtualDocuments';

export const definitionCapability: Pick<ServerCapabilities, 'definitionProvider'> = { definitionProvider: true };

/** Go to definition: the table's generated DDL, at the column's line for a column. */
export function registerDefinition(connection: Connection, services: EditingServices): void {
  connection.onDefinition(async (params) => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const symbol = symbolAt(found.sql.text, found.sql.offset, found.sql.snapshot);
    const source = services.session.connectionFor(found.document.uri);
    if (!symbol || !source || symbol.element.kind === 'schema') return null;
    const ddl = relationDdl(found.sql.snapshot, symbol.element.relation);
    const line =
      symbol.element.kind === 'column'
        ? (ddl.columnLines.get(symbol.element.column.name) ?? ddl.relationLine)
        : ddl.relationLine;
    return {
      uri: ddlUri(source.name, symbol.element.relation),
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
    };
  });
}
