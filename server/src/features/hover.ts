import { MarkupKind, type Connection, type ServerCapabilities } from 'vscode-languageserver';
import type { DescribeCache } from '../resultTypes/describeCache';
import { describeElement, symbolAt } from '../sql/editing/symbolAt';
import { rangeOf } from './convert';
import { sqlAtPosition, type EditingServices } from './editingContext';
import { resultTypeHover } from './resultTypeHover';

export const hoverCapability: Pick<ServerCapabilities, 'hoverProvider'> = { hoverProvider: true };

/**
 * Type, nullability, keys, default and comment of the table or column under the cursor;
 * elsewhere in a statement, the row it returns.
 */
export function registerHover(connection: Connection, services: EditingServices, results: DescribeCache): void {
  connection.onHover(async (params) => {
    const found = await sqlAtPosition(services, params);
    if (!found) return null;
    const { document, sql } = found;
    const symbol = symbolAt(sql.text, sql.offset, sql.snapshot);
    const source = services.session.connectionFor(document.uri);
    if (!source) return null;
    if (!symbol) return resultTypeHover(services, results, document, sql);
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
