/**
 * SQL → SQLAlchemy Core: turns one statement (PostgreSQL or MySQL, read by `parseSourceStatement`)
 * into a Python expression that compiles to the same statement for the same database:
 * `select(schema.orders.c.id).where(schema.orders.c.total > 100)`. Tables and columns are
 * referenced through the generated schema module (imported as `options.instance`), constants are
 * bound values, placeholders become the host expressions that filled them. Anything that cannot
 * be converted faithfully is refused with the reason, never approximated.
 */
import type { BuilderConversion, GenerateOptions } from '../builderTarget';
import { Refusal, unwrap } from '../query/astNodes';
import { parseSourceStatement } from '../query/sourceStatement';
import { Context } from './context';
import { renderDelete, renderInsert, renderUpdate } from './dataStatements';
import { renderSelect } from './selectStatement';

/** Converts one statement's text: parses it for `options.dialect`, then `sqlAlchemyFromStatement`. */
export async function generateSqlAlchemy(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  const source = await parseSourceStatement(sql, options.dialect);
  if ('refused' in source) return source;
  return sqlAlchemyFromStatement(source.statement, options, source.unquotedCapitals);
}

/** Converts a statement `parseSourceStatement` read into a SQLAlchemy Core expression. */
export function sqlAlchemyFromStatement(
  statement: unknown,
  options: GenerateOptions,
  unquotedCapitals?: ReadonlySet<string>,
): BuilderConversion {
  const ctx = new Context(options, unquotedCapitals);
  try {
    const code = renderStatement(statement, ctx);
    // A chain over several lines is parenthesized so it stays one expression wherever it lands.
    const expression = code.includes('\n') ? `(${code})` : code;
    return { code: expression, imports: ctx.imports() };
  } catch (error) {
    if (error instanceof Refusal) return { refused: error.reason };
    if (error instanceof RangeError) return { refused: 'the statement nests too deeply to convert' };
    throw error;
  }
}

function renderStatement(node: unknown, ctx: Context): string {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'SelectStmt':
      return renderSelect(fields, ctx, undefined, 'statement', true);
    case 'InsertStmt':
      return renderInsert(fields, ctx, true);
    case 'UpdateStmt':
      return renderUpdate(fields, ctx, true);
    case 'DeleteStmt':
      return renderDelete(fields, ctx, true);
    default:
      throw new Refusal(
        `${kind.replace(/Stmt$/, '')} statements are not converted; only SELECT, INSERT, UPDATE and DELETE`,
      );
  }
}
