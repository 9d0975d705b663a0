import { MarkupKind, type Connection, type ServerCapabilities } from 'vscode-languageserver';
import { describeElement, symbolAt } from '../sql/editing/symbolAt';
import { rangeOf } from './convert';
import { sqlAtPosition, type EditingServices } from './editingContext';

export const hoverCapability: Pick<ServerCapabilities, 'hoverProvider'> = { hoverProvider: true };

/** Type, nullability, keys, default and comment of the table or column under the cursor. */
export function registerHover(connection: Connection, services: EditingServices): void {
  connection.onHover(async (params) => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const { document, sql } = found;
    const symbol = symbolAt(sql.text, sql.offset, sql.snapshot);
    const source = services.session.connectionFor(document.uri);
    if (!symbol || !source) return null;
    const range = sql.toDocument(symbol.start, symbol.end);
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: describeElement(symbol.element, `${source.name} · ${source.settings.driver}`),
      },
      range: rangeOf(document, range.start, range.end),
    };
  });
}
