import { finding, type Finding } from '../findings';
import { didYouMean } from './suggest';

/** The `unknown-function` finding on a call's name, worded once for both dialects. */
export function unknownFunction(
  name: { text: string; start: number; end: number },
  written: string,
  where: string,
  suggestions: string[],
): Finding {
  return finding(
    'unknown-function',
    name.start,
    name.end,
    `Function "${written}" does not exist: ${where}.${didYouMean(suggestions)}`,
    suggestions,
    { names: [name.text, written] },
  );
}
