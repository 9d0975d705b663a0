/**
 * SQL → Kysely: turns one PostgreSQL statement into TypeScript builder code that compiles to the
 * same statement (`db.selectFrom('orders as o').innerJoin(…).select([…]).where(…)`). Constants become
 * bound parameters, `$n` placeholders become the host expressions that filled them. Anything that
 * cannot be converted faithfully is refused with the reason, never approximated.
 */
import { loadModule, parseSync } from 'libpg-query';
import { Refusal, unwrap } from './astNodes';
import { deleteCalls, insertCalls, updateCalls } from './dataStatements';
import type { RenderContext } from './expressions';
import { selectCalls } from './selectStatement';

export interface KyselyOptions {
  /** Host-language expressions for `$1`, `$2`, … (index 0 is `$1`). */
  parameters?: readonly string[];
  /** The expression that holds the `Kysely` instance in the generated code. */
  db?: string;
  /**
   * The parameters were spliced into the SQL text by the host code: accept them only where a
   * value stands, since elsewhere the spliced text may have been a SQL fragment.
   */
  valuesOnly?: boolean;
}

/** The builder expression (without `.execute()`/`.compile()`), or why the statement was not converted. */
export type KyselyConversion = { code: string } | { refused: string };

let loading: Promise<void> | undefined;

/** Converts one PostgreSQL statement into a Kysely builder expression. */
export async function generateKysely(sql: string, options: KyselyOptions = {}): Promise<KyselyConversion> {
  await (loading ??= loadModule());
  let statements: unknown[];
  try {
    statements = (parseSync(sql) as { stmts?: { stmt?: unknown }[] }).stmts?.map((s) => s.stmt) ?? [];
  } catch (error) {
    return { refused: `the statement does not parse as PostgreSQL: ${(error as Error).message}` };
  }
  if (statements.length !== 1) return { refused: 'exactly one statement is converted at a time' };
  const ctx: RenderContext = {
    parameters: options.parameters ?? [],
    valuesOnly: options.valuesOnly ?? false,
    subquery: selectCalls,
  };
  try {
    const calls = statementCalls(statements[0], ctx);
    return { code: [options.db ?? 'db', ...calls].join('\n  .') };
  } catch (error) {
    if (error instanceof Refusal) return { refused: error.reason };
    if (error instanceof RangeError) return { refused: 'the statement nests too deeply to convert' };
    throw error;
  }
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
