/**
 * What a host-language scanner reports, independent of the language: string expressions with their
 * literal pieces and holes, plain literals, object/dict literals, and suppressed lines.
 */
import type { MappedTextBuilder } from './mappedText';

/**
 * A hole in a string expression:
 * - `value`: an interpolated expression that may be a value (judged later by its place in the SQL);
 * - `fragment`: certainly SQL text (a nested template, a conditional, a `sql.raw(…)`, a join);
 * - `concatenation`: a non-literal operand of `+`;
 * - `formatting`: the string is run through `%` or `.format(…)`.
 */
export type HoleKind = 'value' | 'fragment' | 'concatenation' | 'formatting';

export type StringPart =
  | { kind: 'literal'; start: number; end: number; decode: (out: MappedTextBuilder) => void }
  | { kind: 'hole'; start: number; end: number; hole: HoleKind };

/** A string-valued expression: a literal, a template, a concatenation of literals, an f-string. */
export interface StringExpression {
  start: number;
  end: number;
  parts: StringPart[];
  /** The known query call or tag the expression is passed to, if any. */
  context?: { kind: 'call' | 'tag'; name: string; fragment: boolean; bindsValues: boolean };
  /** The template is tagged by a function that is not a known SQL tag (`typedSql`, `gql`). */
  unknownTag?: string;
  /** The expression initialises a variable that is later extended (`sql +=`, `q += …`). */
  extendedLater: boolean;
}

/** A static string literal that might name a schema element; `start`/`end` cover its value's text. */
export interface PlainLiteral {
  start: number;
  end: number;
  value: string;
}

/** An object or dict literal whose entries may map terms to tables or columns. */
export interface MappingLiteral {
  start: number;
  end: number;
  keys: PlainLiteral[];
  values: PlainLiteral[];
}

export interface HostScan {
  strings: StringExpression[];
  mappings: MappingLiteral[];
  /** Zero-based lines that a `live-schema-ignore-next-line` comment suppresses. */
  suppressedLines: Set<number>;
  /** Best-effort notes (syntax errors that were worked around). */
  notes: string[];
}

export const SUPPRESSION_MARKER = 'live-schema-ignore-next-line';
