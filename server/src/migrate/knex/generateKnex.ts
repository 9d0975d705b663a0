/**
 * SQL → Knex: turns one statement (the AST from `parseSourceStatement`, PostgreSQL or MySQL) into
 * Knex 3 query-builder code on the instance expression (`knex('orders as o').join(…).select(…)
 * .where(…)`) that compiles to the same statement for client `pg` or `mysql2`. Constants become
 * bound parameters and `$n` the host expressions that filled them. Knex writes any other SQL
 * expression only through `knex.raw`, so such statements are refused with the reason.
 */
import type { BuilderConversion, GenerateOptions } from '../builderTarget';
import { Refusal, refuse, unwrap } from '../query/astNodes';
import { parseSourceStatement } from '../query/sourceStatement';
import { deleteParts, insertParts, updateParts } from './dataStatements';
import type { KnexContext } from './knexContext';
import { selectParts } from './selectStatement';

/** Converts one parsed statement into a Knex builder expression (without `await`/`.then`). */
export function generateKnex(statement: unknown, options: GenerateOptions): BuilderConversion {
  const ctx: KnexContext = {
    dialect: options.dialect,
    parameters: options.parameters,
    valuesOnly: options.valuesOnly,
    typedParameters: options.typedParameters ?? false,
    instance: /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\(\))*$/.test(options.instance)
      ? options.instance
      : // `knex('t')`, `knex.ref(…)`: any other expression needs parentheses to be called.
        `(${options.instance})`,
    outputNamed: true,
    // Nested builders (subqueries) stay on one line inside their argument.
    subquery: (select, inner) => selectParts(select, inner).join('.'),
  };
  try {
    return { code: statementParts(statement, ctx).join('\n  .'), imports: [] };
  } catch (error) {
    if (error instanceof Refusal) return { refused: error.reason };
    if (error instanceof RangeError) return { refused: 'the statement nests too deeply to convert' };
    throw error;
  }
}

/** Parses `sql` in `options.dialect` and converts it. */
export async function convertSqlToKnex(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  const source = await parseSourceStatement(sql, options.dialect);
  return 'refused' in source ? source : generateKnex(source.statement, options);
}

function statementParts(node: unknown, ctx: KnexContext): string[] {
  const [kind, fields] = unwrap(node);
  switch (kind) {
    case 'SelectStmt':
      return selectParts(fields, ctx);
    case 'InsertStmt':
      return insertParts(fields, ctx);
    case 'UpdateStmt':
      return updateParts(fields, ctx);
    case 'DeleteStmt':
      return deleteParts(fields, ctx);
    default:
      return refuse(
        `${kind.replace(/Stmt$/, '')} statements are not converted; only SELECT, INSERT, UPDATE and DELETE`,
      );
  }
}
