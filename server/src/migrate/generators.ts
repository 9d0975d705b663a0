/** One entry per builder target: SQL text in, builder code or a refusal out. */
import type { BuilderConversion, BuilderTarget, GenerateOptions } from './builderTarget';
import { convertSqlToKnex } from './knex/generateKnex';
import { generateKysely } from './kysely/generateKysely';
import { generateSqlAlchemy } from './sqlalchemy/generateSqlAlchemy';

const GENERATORS: Record<BuilderTarget, (sql: string, options: GenerateOptions) => Promise<BuilderConversion>> = {
  kysely: generateKysely,
  knex: convertSqlToKnex,
  sqlalchemy: generateSqlAlchemy,
};

export function generateBuilder(
  target: BuilderTarget,
  sql: string,
  options: GenerateOptions,
): Promise<BuilderConversion> {
  return GENERATORS[target](sql, options);
}
