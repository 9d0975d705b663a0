/**
 * From a host string expression to an SQL region: decode the literal pieces, decide whether the
 * text is SQL, grade its certainty, and turn interpolations and driver placeholders into the
 * dialect's parameters (`$n` for PostgreSQL, `?` for MySQL) mapped to their host characters.
 */
import type { Dialect } from '../schema/snapshot';
import type { HostScan, PlainLiteral, StringExpression } from './hostScan';
import { MappedTextBuilder, toSegments, type MappedText } from './mappedText';
import type { Certainty, RegionParameter, SqlRegion } from './region';
import type { EmbeddedSettings } from './settings';
import { parameterMarkers, placeholderForm } from '../sql/toolPlaceholders';
import { HOLE, significantTokens, tokenizeSql, type SqlToken } from './sqlLexer';
import {
  endsMidStatement,
  holeIsValue,
  readsAsStatement,
  startsWithMistypedKeyword,
  startsWithStatementKeyword,
} from './sqlShape';

/** What one string expression turned out to be. */
export type StringVerdict =
  | { kind: 'region'; region: Omit<SqlRegion, 'suppressed'> }
  | { kind: 'literal'; literal: PlainLiteral }
  | { kind: 'none' };

const DYNAMIC_REASONS = {
  formatting: 'the text is built with % or .format()',
  concatenation: 'the text is concatenated with non-literal values',
  fragment: 'SQL fragments are spliced into the text',
  position: 'an interpolation stands where SQL text goes, not a value',
  extended: 'the text is extended elsewhere (+=)',
  incomplete: 'the statement continues elsewhere',
  identifierBinding: 'identifiers are bound at run time (?? or :name:)',
} as const;

/** The first words of the statement shapes `readsAsStatement` knows, after any leading whitespace. */
const SHAPE_FIRST_WORD = /^\s*(select|insert|replace|update|delete|with|create|alter)\b/i;

/** A string that is not SQL: a single static literal may still name a schema element. */
function notSql(expression: StringExpression, value: string): StringVerdict {
  const only = expression.parts.length === 1 ? expression.parts[0] : undefined;
  return only?.kind === 'literal'
    ? { kind: 'literal', literal: { start: only.start, end: only.end, value } }
    : { kind: 'none' };
}

/** Judges one string expression of a host scan. */
export function judgeString(expression: StringExpression, dialect: Dialect, settings: EmbeddedSettings): StringVerdict {
  const decoded = decode(expression);
  const context = expression.context;
  // Most strings in code are not SQL: a look at the first word spares tokenizing them.
  if (!context && !SHAPE_FIRST_WORD.test(decoded.text)) return notSql(expression, decoded.text);
  const tokens = tokenizeSql(decoded.text, dialect).filter((t) => t.kind !== 'comment');
  const isSql = context
    ? context.fragment
      ? tokens.length > 0
      : startsWithStatementKeyword(tokens) || startsWithMistypedKeyword(tokens)
    : settings.detectStatements && readsAsStatement(tokens);
  if (!isSql) return context || expression.unknownTag ? { kind: 'none' } : notSql(expression, decoded.text);

  const reasons = new Set<string>();
  if (expression.unknownTag)
    reasons.add(`it is tagged with ${expression.unknownTag}, not a known SQL tag (see liveSchema.embedded.sqlTags)`);
  if (expression.extendedLater) reasons.add(DYNAMIC_REASONS.extended);
  if (!context && endsMidStatement(tokens)) reasons.add(DYNAMIC_REASONS.incomplete);
  const holes = expression.parts.filter((p) => p.kind === 'hole');
  for (const hole of holes) if (hole.hole !== 'value') reasons.add(DYNAMIC_REASONS[hole.hole]);
  tokens.forEach((token, index) => {
    if (token.kind === 'hole' && !holeIsValue(tokens, index)) reasons.add(DYNAMIC_REASONS.position);
    if (token.kind === 'placeholder' && (token.text === '??' || /^:.+:$/.test(token.text)))
      reasons.add(DYNAMIC_REASONS.identifierBinding);
  });
  const certainty: Certainty = reasons.size > 0 ? 'dynamic' : holes.length > 0 ? 'templated' : 'static';
  const { text, parameters } = rewriteParameters(decoded, dialect);
  const region: Omit<SqlRegion, 'suppressed'> = {
    text: text.text,
    dialect,
    hostStart: expression.start,
    hostEnd: expression.end,
    segments: toSegments(text),
    parameters,
    certainty,
    kind: context?.fragment ? 'fragment' : 'statement',
    origin: context ? { kind: context.kind, name: context.name } : { kind: 'shape', name: 'statement' },
    injectionRisk: holes.length > 0 && !context?.bindsValues,
  };
  if (certainty === 'dynamic') region.dynamicReason = [...reasons].join('; ');
  return { kind: 'region', region };
}

/** The literal pieces decoded, each hole as one `HOLE` character mapped to the host `${…}`/`{…}`/operand. */
function decode(expression: StringExpression): MappedText {
  const out = new MappedTextBuilder();
  for (const part of expression.parts) {
    if (part.kind === 'literal') part.decode(out);
    else out.mapped(HOLE, part.start, part.end);
  }
  return out.build();
}

/**
 * Replaces holes and driver placeholders by the dialect's parameter markers. Holes inside SQL string
 * literals or comments are dropped (the literal stays a literal); `%%` becomes `%` where pyformat
 * placeholders show the driver will format the text.
 */
function rewriteParameters(decoded: MappedText, dialect: Dialect): { text: MappedText; parameters: RegionParameter[] } {
  const all = tokenizeSql(decoded.text, dialect);
  const pyformat = all.some((t) => t.kind === 'placeholder' && t.text.startsWith('%'));
  const marker = parameterMarkers(
    dialect,
    all.filter((t) => t.kind === 'placeholder'),
  );

  const out = new MappedTextBuilder();
  const parameters: RegionParameter[] = [];
  let copied = 0;
  const replace = (token: SqlToken, replacement: string, parameter?: RegionParameter['source']): void => {
    out.copy(decoded, copied, token.start);
    const hostStart = decoded.hostStarts[token.start];
    const hostEnd = decoded.hostEnds[token.end - 1];
    const sqlStart = out.length;
    out.mapped(replacement, hostStart, hostEnd);
    if (parameter) parameters.push({ sqlStart, sqlEnd: out.length, hostStart, hostEnd, source: parameter });
    copied = token.end;
  };

  all.forEach((token, index) => {
    if (token.kind === 'hole') {
      replace(token, marker(), 'interpolation');
    } else if (token.kind === 'string' || token.kind === 'comment' || token.kind === 'quoted-identifier') {
      // An interpolation inside quotes only changes the literal's content: drop the marker. The
      // driver's formatting turns `%%` into `%` inside literals too.
      for (let i = token.start; i < token.end; i++) {
        const percent = pyformat && decoded.text.startsWith('%%', i);
        if (decoded.text[i] !== HOLE && !percent) continue;
        out.copy(decoded, copied, i);
        if (percent) out.mapped('%', decoded.hostStarts[i], decoded.hostEnds[i + 1]);
        copied = percent ? i + 2 : i + 1;
        if (percent) i++;
      }
    } else if (token.kind === 'percent-escape') {
      if (pyformat) replace(token, '%');
    } else if (token.kind === 'placeholder') {
      const converted = convertPlaceholder(all, index, dialect, marker);
      if (converted === undefined) return;
      if (converted === token.text) {
        const hostStart = decoded.hostStarts[token.start];
        const hostEnd = decoded.hostEnds[token.end - 1];
        out.copy(decoded, copied, token.end);
        copied = token.end;
        parameters.push({
          sqlStart: out.length - token.text.length,
          sqlEnd: out.length,
          hostStart,
          hostEnd,
          source: 'placeholder',
        });
      } else {
        replace(token, converted, 'placeholder');
      }
    }
  });
  out.copy(decoded, copied, decoded.text.length);
  return { text: out.build(), parameters };
}

/**
 * The dialect's marker for a driver placeholder that stands for one value, or undefined when the
 * token is left as written: not a placeholder here, or a tool's list expansion (`IN :ids`,
 * `VALUES :rows`, `$$ids`) that the analysis binds itself (`sql/toolPlaceholders.ts`).
 */
function convertPlaceholder(
  tokens: SqlToken[],
  index: number,
  dialect: Dialect,
  marker: (name?: string) => string,
): string | undefined {
  const token = tokens[index];
  const text = token.text;
  if (text === '??') return undefined;
  if (text === '?') {
    // PostgreSQL's jsonb `?` operator is followed by the key: `data ? 'admin'`.
    if (dialect === 'postgres' && nextSignificant(tokens, index)?.kind === 'string') return undefined;
    if (dialect === 'postgres' && partOfOperator(tokens, index)) return undefined;
    return dialect === 'mysql' ? '?' : marker();
  }
  if (/^\$\d+$/.test(text)) return dialect === 'postgres' ? text : '?';
  const form = placeholderForm(significantTokens(tokens.slice(0, index + 1)), significantIndex(tokens, index));
  return form?.kind === 'value' ? marker(form.name) : undefined;
}

/**
 * `?` written against other operator characters: jsonb's `?|` and `?&`, jsonpath's `@?`, the
 * geometric `?||` and `?#`. (`-?` and `?-1` stay placeholders: a sign or a subtraction.)
 */
function partOfOperator(tokens: SqlToken[], index: number): boolean {
  const token = tokens[index];
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  return (
    (before?.end === token.start && before.text.endsWith('@')) ||
    (after?.start === token.end && /^[|&#]/.test(after.text))
  );
}

function nextSignificant(tokens: SqlToken[], index: number): SqlToken | undefined {
  for (let i = index + 1; i < tokens.length; i++) if (tokens[i].kind !== 'comment') return tokens[i];
  return undefined;
}

function significantIndex(tokens: SqlToken[], index: number): number {
  let count = 0;
  for (let i = 0; i < index; i++) if (tokens[i].kind !== 'comment') count++;
  return count;
}

/** Every region and plain literal of a scan, in source order. */
export function judgeScan(
  scan: HostScan,
  dialect: Dialect,
  settings: EmbeddedSettings,
): { regions: Omit<SqlRegion, 'suppressed'>[]; literals: PlainLiteral[] } {
  const regions: Omit<SqlRegion, 'suppressed'>[] = [];
  const literals: PlainLiteral[] = [];
  for (const expression of scan.strings) {
    const verdict = judgeString(expression, dialect, settings);
    if (verdict.kind === 'region') regions.push(verdict.region);
    else if (verdict.kind === 'literal') literals.push(verdict.literal);
  }
  regions.sort((a, b) => a.hostStart - b.hostStart);
  literals.sort((a, b) => a.start - b.start);
  return { regions, literals };
}
