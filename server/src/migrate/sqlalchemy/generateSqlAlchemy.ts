/**
 * SQL → SQLAlchemy Core: turns one statement (PostgreSQL or MySQL, read by the shared front half
 * in `../query/`) into a Python expression that compiles to the same statement for the same
 * database: `select(schema.orders.c.id).where(schema.orders.c.total > 100)`. Tables and columns are
 * referenced through the generated schema module (imported as `options.instance`), constants are
 * bound values, placeholders become the host expressions that filled them. Anything SQLAlchemy
 * cannot print faithfully is refused with the reason, never approximated.
 */
import type { BuilderConversion, GenerateOptions } from '../builderTarget';
import { convertStatement, type ReadStatement } from '../query/convertStatement';
import { Context } from './context';
import { renderDelete, renderInsert, renderUpdate } from './dataStatements';
import { renderSelect } from './selectStatement';

/** Converts one statement's text into a SQLAlchemy Core expression. */
export function generateSqlAlchemy(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  return convertStatement(sql, options, (statement) => {
    const ctx = new Context(options, statement.unquotedCapitals);
    const code = renderStatement(statement, ctx);
    // A chain over several lines is parenthesized so it stays one expression wherever it lands.
    return { code: code.includes('\n') ? `(${code})` : code, imports: ctx.imports() };
  });
}

function renderStatement({ kind, fields }: ReadStatement, ctx: Context): string {
  switch (kind) {
    case 'SelectStmt':
      return renderSelect(fields, ctx, undefined, 'statement', true);
    case 'InsertStmt':
      return renderInsert(fields, ctx, true);
    case 'UpdateStmt':
      return renderUpdate(fields, ctx, true);
    case 'DeleteStmt':
      return renderDelete(fields, ctx, true);
  }
}
