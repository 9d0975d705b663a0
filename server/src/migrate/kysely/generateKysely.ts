/**
 * SQL → Kysely: turns one statement (PostgreSQL or MySQL, read by the shared front half in
 * `../query/`) into TypeScript builder code that compiles to the same statement for the same
 * database (`db.selectFrom('orders as o').innerJoin(…).select([…]).where(…)`). Constants stay in
 * the SQL text, placeholders become the host expressions that filled them. Anything Kysely cannot
 * print faithfully is refused with the reason, never approximated.
 */
import type { BuilderConversion, GenerateOptions, ImportNeed } from '../builderTarget';
import { convertStatement, type ReadStatement } from '../query/convertStatement';
import { deleteCalls, insertCalls, updateCalls } from './dataStatements';
import type { RenderContext } from './expressions';
import { selectCalls } from './selectStatement';

/** Converts one statement's text into a Kysely builder expression on `options.instance`. */
export function generateKysely(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  return convertStatement(sql, options, (statement) => printKysely(statement, options));
}

function printKysely(statement: ReadStatement, options: GenerateOptions): { code: string; imports: ImportNeed[] } {
  const ctx: RenderContext = {
    dialect: options.dialect,
    parameters: options.parameters,
    valuesOnly: options.valuesOnly,
    language: options.language ?? 'typescript',
    namedColumns: true,
    imports: [],
    subquery: selectCalls,
  };
  const code = [options.instance, ...statementCalls(statement, ctx)].join('\n  .');
  return { code, imports: distinctImports(ctx.imports).filter((need) => usesName(code, need.name)) };
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

function statementCalls({ kind, fields }: ReadStatement, ctx: RenderContext): string[] {
  switch (kind) {
    case 'SelectStmt':
      return selectCalls(fields, ctx);
    case 'InsertStmt':
      return insertCalls(fields, ctx);
    case 'UpdateStmt':
      return updateCalls(fields, ctx);
    case 'DeleteStmt':
      return deleteCalls(fields, ctx);
  }
}
