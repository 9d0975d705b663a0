/** One entry per builder target: SQL text in, builder code or a refusal out. */
import { TARGET_TITLES, type BuilderConversion, type BuilderTarget, type GenerateOptions } from './builderTarget';
import { generateKysely } from './kysely/generateKysely';

type Generator = (sql: string, options: GenerateOptions) => Promise<BuilderConversion>;

const GENERATORS: Partial<Record<BuilderTarget, Generator>> = {
  kysely: async (sql, options) => {
    if (options.dialect !== 'postgres') return { refused: 'only PostgreSQL SQL is converted to Kysely so far' };
    const conversion = await generateKysely(sql, { ...options, db: options.instance });
    return 'code' in conversion ? { code: conversion.code, imports: [] } : conversion;
  },
};

export function generateBuilder(
  target: BuilderTarget,
  sql: string,
  options: GenerateOptions,
): Promise<BuilderConversion> {
  const generator = GENERATORS[target];
  if (!generator) return Promise.resolve({ refused: `conversion to ${TARGET_TITLES[target]} is not available` });
  return generator(sql, options);
}
