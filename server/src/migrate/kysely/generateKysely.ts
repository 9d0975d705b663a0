/**
 * SQL → Kysely: turns one statement (PostgreSQL or MySQL, read by `parseSourceStatement`) into
 * TypeScript builder code that compiles to the same statement for the same database
 * (`db.selectFrom('orders as o').innerJoin(…).select([…]).where(…)`). Constants become bound
 * parameters, placeholders become the host expressions that filled them. Anything that cannot be
 * converted faithfully is refused with the reason, never approximated.
 */
import type { BuilderConversion, GenerateOptions, ImportNeed } from '../builderTarget';
import { parseSourceStatement } from '../query/sourceStatement';
import { Refusal, unwrap } from '../query/astNodes';
import { deleteCalls, insertCalls, updateCalls } from './dataStatements';
import type { RenderContext } from './expressions';
import { selectCalls } from './selectStatement';

/** Converts one statement's text: parses it for `options.dialect`, then `kyselyFromStatement`. */
export async function generateKysely(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  const source = await parseSourceStatement(sql, options.dialect);
  if ('refused' in source) return source;
  return kyselyFromStatement(source.statement, options);
}

/** Converts a statement `parseSourceStatement` read into a Kysely builder expression on `options.instance`. */
export function kyselyFromStatement(statement: unknown, options: GenerateOptions): BuilderConversion {
  const ctx: RenderContext = {
    dialect: options.dialect,
    parameters: options.parameters,
    valuesOnly: options.valuesOnly,
    language: options.language ?? 'typescript',
    namedColumns: true,
    imports: [],
    subquery: selectCalls,
  };
  try {
    const code = [options.instance, ...statementCalls(statement, ctx)].join('\n  .');
    return { code, imports: distinctImports(ctx.imports).filter((need) => usesName(code, need.name)) };
  } catch (error) {
    if (error instanceof Refusal) return { refused: error.reason };
    if (error instanceof RangeError) return { refused: 'the statement nests too deeply to convert' };
    throw error;
  }
}

/** Whether `code` uses `name` outside its strings (a constant may be bound after all, leaving `sql` unused). */
function usesName(code: string, name: string): boolean {
  const withoutStrings = code.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return new RegExp(`(^|[^\\w$.])${name}\\b`).test(withoutStrings);
}

function distinctImports(needs: ImportNeed[]): ImportNeed[] {
  const byKey = new Map(needs.map((need) => [`${need.module}\0${need.name}`, need]));
  return [...byKey.values()];
}

function statementCalls(node: unknown, ctx: RenderContext): string[] {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'SelectStmt':
      return selectCalls(fields, ctx);
    case 'InsertStmt':
      return insertCalls(fields, ctx);
    case 'UpdateStmt':
      return updateCalls(fields, ctx);
    case 'DeleteStmt':
      return deleteCalls(fields, ctx);
    default:
      throw new Refusal(
        `${kind.replace(/Stmt$/, '')} statements are not converted; only SELECT, INSERT, UPDATE and DELETE`,
      );
  }
}
