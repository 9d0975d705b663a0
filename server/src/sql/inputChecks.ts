/**
 * Input a parser must not be handed: what would crash it, hang it or make it misjudge valid SQL.
 * Such statements are reported as "not checked" with the reason, never as errors.
 */
import type { StatementSpan } from './splitStatements';

/** Deeper nesting than this is not parsed: the grammar and the model walk recurse per level. */
export const MAX_NESTING = 1_000;

/** Why `span` cannot be checked, or undefined when it can. */
export function inputProblem(span: StatementSpan, maxLength: number): string | undefined {
  const text = span.text;
  if (text.length > maxLength)
    return `the statement is ${text.length.toLocaleString('en')} characters long, over the ${maxLength.toLocaleString('en')} limit`;
  if (text.includes('\0')) return 'the text contains NUL bytes (binary data?)';
  if (text.includes('\ufffd')) return 'the text is not valid UTF-8 here';
  if (looksBinary(text)) return 'the text looks like binary data, not SQL';
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING)
    return `parentheses nest ${depth.toLocaleString('en')} levels deep, over the ${MAX_NESTING.toLocaleString('en')} limit`;
  return undefined;
}

/** Counts control characters other than tab, CR, LF and FF: SQL text has none. */
function looksBinary(text: string): boolean {
  let controls = 0;
  const limit = Math.min(text.length, 65_536);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) controls++;
  }
  return controls > 0;
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) {
      if (++depth > max) max = depth;
    } else if (c === 0x29 && depth > 0) depth--;
  }
  return max;
}
