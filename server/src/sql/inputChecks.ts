/**
 * Input a parser must not be handed: what would crash it, hang it or make it misjudge valid SQL.
 * Such statements are reported as "not checked" with the reason, never as errors.
 */
import type { StatementSpan } from './splitStatements';

/** Deeper nesting than this is not parsed: the grammar and the model walk recurse per level. */
export const MAX_NESTING = 1_000;

/** Why `span` cannot be checked, or undefined when it can. One pass over the text: it runs for every statement. */
export function inputProblem(span: StatementSpan, maxLength: number): string | undefined {
  const text = span.text;
  if (text.length > maxLength)
    return `the statement is ${text.length.toLocaleString('en')} characters long, over the ${maxLength.toLocaleString('en')} limit`;
  let nul = false;
  let replacement = false;
  // Control characters other than tab, CR, LF and FF: SQL text has none. Counted in the first 64 KB.
  let controls = false;
  const controlLimit = Math.min(text.length, 65_536);
  let depth = 0;
  let maxDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 0x29) {
      if (depth > 0) depth--;
    } else if (c < 0x20) {
      if (c === 0) nul = true;
      else if (i < controlLimit && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) controls = true;
    } else if (c === 0xfffd) replacement = true;
  }
  if (nul) return 'the text contains NUL bytes (binary data?)';
  if (replacement) return 'the text is not valid UTF-8 here';
  if (controls) return 'the text looks like binary data, not SQL';
  if (maxDepth > MAX_NESTING)
    return `parentheses nest ${maxDepth.toLocaleString('en')} levels deep, over the ${MAX_NESTING.toLocaleString('en')} limit`;
  return undefined;
}
