/**
 * The front half every generator shares: read the statement (`sourceStatement.ts`), refuse what no
 * builder converts (`commonRefusals.ts`), then let the generator print its code. A refusal thrown
 * while printing becomes the answer, with its reason.
 */
import type { BuilderConversion, GenerateOptions, ImportNeed } from '../builderTarget';
import { Refusal, unwrap, type Fields } from './astNodes';
import { refuseCommon, type StatementKind } from './commonRefusals';
import { REFUSAL } from './refusals';
import { parseSourceStatement } from './sourceStatement';

/** A statement no builder-independent reason refuses: what a generator prints from. */
export interface ReadStatement {
  kind: StatementKind;
  fields: Fields;
  /** MySQL names written with capitals and no backticks, as written: the server folds their case. */
  unquotedCapitals: ReadonlySet<string>;
}

export type PrintBuilder = (statement: ReadStatement) => { code: string; imports: ImportNeed[] };

/** Converts one statement's text with `print`, or says why it is not converted. */
export async function convertStatement(
  sql: string,
  options: GenerateOptions,
  print: PrintBuilder,
): Promise<BuilderConversion> {
  const source = await parseSourceStatement(sql, options.dialect);
  if ('refused' in source) return source;
  try {
    const kind = refuseCommon(source.statement, options.dialect, options.parameters.length);
    const fields = unwrap(source.statement)[1];
    return print({ kind, fields, unquotedCapitals: source.unquotedCapitals ?? new Set() });
  } catch (error) {
    if (error instanceof Refusal) return { refused: error.reason };
    if (error instanceof RangeError) return { refused: REFUSAL.tooDeep };
    throw error;
  }
}
