/**
 * SQL → Knex: turns one statement (PostgreSQL or MySQL, read by the shared front half in
 * `../query/`) into Knex 3 query-builder code on the instance expression (`knex('orders as o')
 * .join(…).select(…).where(…)`) that compiles to the same statement for client `pg` or `mysql2`.
 * Constants become bound parameters and `$n` the host expressions that filled them. Knex writes
 * any other SQL expression only through `knex.raw`, so such statements are refused with the reason.
 */
import type { BuilderConversion, GenerateOptions } from '../builderTarget';
import { convertStatement, type ReadStatement } from '../query/convertStatement';
import { deleteParts, insertParts, updateParts } from './dataStatements';
import type { KnexContext } from './knexContext';
import { selectParts } from './selectStatement';

/** Converts one statement's text into a Knex builder expression (without `await`/`.then`). */
export function convertSqlToKnex(sql: string, options: GenerateOptions): Promise<BuilderConversion> {
  return convertStatement(sql, options, (statement) => ({ code: printKnex(statement, options), imports: [] }));
}

function printKnex(statement: ReadStatement, options: GenerateOptions): string {
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
  return statementParts(statement, ctx).join('\n  .');
}

function statementParts({ kind, fields }: ReadStatement, ctx: KnexContext): string[] {
  switch (kind) {
    case 'SelectStmt':
      return selectParts(fields, ctx);
    case 'InsertStmt':
      return insertParts(fields, ctx);
    case 'UpdateStmt':
      return updateParts(fields, ctx);
    case 'DeleteStmt':
      return deleteParts(fields, ctx);
  }
}
