import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DescribeCache } from '../resultTypes/describeCache';
import { resultTypeAt } from '../session/resultTypeAt';
import type { SqlAtOffset } from '../session/sqlAtOffset';
import { rangeOf } from './convert';
import type { EditingServices } from './editingContext';

/**
 * The result row (column, database type, nullable, the type the driver returns) and the
 * parameters of the statement under the cursor, in a `.sql` file or a SQL string alike.
 */
export async function resultTypeHover(
  services: EditingServices,
  cache: DescribeCache,
  document: TextDocument,
  sql: SqlAtOffset,
): Promise<Hover | null> {
  const found = await resultTypeAt(services.session, document.uri, sql, cache);
  if (!found) return null;
  const { description, fields } = found;
  // The TypeScript column names what node-postgres/mysql2 return; Python drivers differ, so it is left out there.
  const typescript = !document.uri.endsWith('.py');
  const lines = ['**Result row**', ''];
  if (fields.length === 0) lines.push('No rows: the statement returns no columns.');
  else {
    lines.push(
      typescript ? '| column | type | nullable | driver returns |' : '| column | type | nullable |',
      typescript ? '| --- | --- | --- | --- |' : '| --- | --- | --- |',
    );
    description.columns.forEach((column, index) => {
      const driverType = typescript ? ` \`${fields[index].tsType}\` |` : '';
      lines.push(`| \`${column.name}\` | ${column.type} | ${column.nullable ? 'yes' : 'no'} |${driverType}`);
    });
  }
  if (description.parameters.length > 0) {
    const marker = (index: number): string => (sql.snapshot.dialect === 'postgres' ? `$${index + 1}` : `?${index + 1}`);
    lines.push(
      '',
      `**Parameters**: ${description.parameters.map((type, i) => `\`${marker(i)}: ${type}\``).join(', ')}`,
    );
  }
  const range = sql.toDocument(found.statement.start, found.statement.end);
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    range: rangeOf(document, range.start, range.end),
  };
}
