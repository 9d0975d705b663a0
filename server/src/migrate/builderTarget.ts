/**
 * What every SQL → builder generator (Kysely, Knex, SQLAlchemy Core) takes and returns, so the
 * migration planner can drive them alike.
 */
import type { HostLanguage } from '../embedded/extract';
import type { Dialect } from '../schema/snapshot';

export const BUILDER_TARGETS = ['kysely', 'knex', 'sqlalchemy'] as const;
export type BuilderTarget = (typeof BUILDER_TARGETS)[number];

export const TARGET_TITLES: Record<BuilderTarget, string> = {
  kysely: 'Kysely',
  knex: 'Knex',
  sqlalchemy: 'SQLAlchemy Core',
};

export interface GenerateOptions {
  /** The dialect of the source SQL; the builder is set up for the same database. */
  dialect: Dialect;
  /** Host-language expressions for `$1`, `$2`, … (index 0 is `$1`); MySQL `?` are numbered in order. */
  parameters: readonly string[];
  /**
   * The parameters were spliced into the SQL text by the host code: accept them only where a
   * value stands, since elsewhere the spliced text may have been a SQL fragment.
   */
  valuesOnly: boolean;
  /** The expression that holds the builder: the `Kysely` instance, the `knex` instance, or the Python schema module's name. */
  instance: string;
  /** The language of the file the code goes into: JavaScript takes no type syntax. TypeScript when absent. */
  language?: HostLanguage;
  /**
   * The call binds each value with the SQL type of its host type (mysql2 `execute`, the binary
   * protocol, sends every JavaScript number as a DOUBLE): constants must then stay in the SQL text.
   */
  typedParameters?: boolean;
}

/** A name the generated code needs imported: `import { name } from 'module'` / `from module import name`. */
export interface ImportNeed {
  module: string;
  name: string;
}

/**
 * The builder expression that compiles to the same statement (without `.execute()`/`.compile()`),
 * and what it needs imported; or why the statement was not converted.
 */
export type BuilderConversion = { code: string; imports: ImportNeed[] } | { refused: string };
