/**
 * What the Kysely generator knows while rendering one statement, and the operands it renders: the
 * types every Kysely module shares, kept apart so that the modules import each other one way.
 */
import type { HostLanguage } from '../../embedded/extract';
import type { Dialect } from '../../schema/snapshot';
import type { ImportNeed } from '../builderTarget';
import type { Fields } from '../query/astNodes';

/** What the generator knows while rendering one statement. */
export interface RenderContext {
  /** The database the statement is for; Kysely compiles it for the same one. */
  dialect: Dialect;
  /** Host-language expressions for `$1`, `$2`, … (index 0 is `$1`). */
  parameters: readonly string[];
  /** Parameters stand for text spliced into the SQL: refuse them outside value positions. */
  valuesOnly: boolean;
  /**
   * The select list's column names are seen: a statement's result, RETURNING, a subquery in FROM;
   * not EXISTS, IN or scalar subqueries, nor the SELECT of an INSERT.
   */
  namedColumns: boolean;
  /** The host file's language: JavaScript gets no type syntax. */
  language: HostLanguage;
  /** What the generated code imports; filled while rendering. */
  imports: ImportNeed[];
  /** Builder calls for a nested SELECT (the select renderer, passed in to keep the modules acyclic). */
  subquery(stmt: Fields, ctx: RenderContext): string[];
}

/**
 * A rendered operand. `ref`: a column reference string (`o.id`); `value`: JavaScript that yields a
 * value to bind (a host parameter); `literal`: a constant, as builder code that keeps it in the SQL
 * text; `expression`: builder code. `binary` marks operator expressions, which Kysely prints
 * without parentheses and so must be wrapped when nested.
 */
export interface Operand {
  kind: 'ref' | 'value' | 'literal' | 'expression';
  code: string;
  binary?: boolean;
  /** A number constant's text. */
  number?: string;
  /** The NULL constant. */
  nullConstant?: boolean;
  /** A string constant as a JavaScript string, bound where a column gives it its type. */
  bound?: string;
  /** PostgreSQL's default output column name for this expression. */
  defaultName: string;
  /** A parameter spliced into the SQL text, which only a value position may take. */
  spliced?: boolean;
}
