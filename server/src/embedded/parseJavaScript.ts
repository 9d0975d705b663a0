/**
 * Babel parsing that survives broken files (the file being edited is broken half the time).
 * First the line the parser stopped at is blanked and the file read again; when that does not do
 * (an unclosed bracket is only noticed at the end), each top-level chunk — a run of lines from one
 * unindented line to the next — is parsed on its own, so only the broken chunk is lost.
 */
import type { parse as babelParse, ParserOptions, ParserPlugin } from '@babel/parser';
import type { Comment, Node, Statement } from '@babel/types';

const LINE_RETRIES = 3;
const MAX_CHUNKS = 400;

let parse: typeof babelParse | undefined;

/** Loads Babel (600 KB of JavaScript) with the first TS/JS file, not with the server; `parseTolerantly` needs it. */
export async function loadJavaScriptParser(): Promise<void> {
  const babel: { default?: typeof import('@babel/parser') } & Partial<typeof import('@babel/parser')> =
    await import('@babel/parser');
  // A CommonJS module: `import()` in the bundle hands its exports over as `default` only, tsx as names only.
  parse ??= (babel.default ?? babel).parse;
}

export interface ParsedJavaScript {
  program: Node;
  comments: Comment[];
}

/** The program (possibly pieced together from chunks), or undefined with a note. */
export function parseTolerantly(fileName: string, text: string, notes: string[]): ParsedJavaScript | undefined {
  const options = parserOptions(fileName);
  const wholeNotes: string[] = [];
  const whole = parseWithRetries(text, 0, options, wholeNotes);
  if (whole) {
    notes.push(...wholeNotes);
    return { program: whole.program, comments: whole.comments ?? [] };
  }

  const chunks = topLevelChunks(text);
  if (chunks.length > MAX_CHUNKS) {
    notes.push('The file has syntax errors and too many top-level parts to read separately; no SQL was read from it.');
    return undefined;
  }
  const body: Statement[] = [];
  const comments: Comment[] = [];
  const chunkNotes: string[] = [];
  for (const chunk of chunks) {
    const parsed = parseWithRetries(text.slice(chunk.start, chunk.end), chunk.start, options, chunkNotes, text);
    if (!parsed) continue;
    body.push(...parsed.program.body);
    comments.push(...(parsed.comments ?? []));
  }
  notes.push(...chunkNotes.slice(0, 3));
  notes.push('The file has syntax errors; SQL was read from the parts that parse.');
  const program = { type: 'Program', body, directives: [], sourceType: 'module', start: 0, end: text.length } as Node;
  return { program, comments };
}

function parserOptions(fileName: string): ParserOptions {
  const typescript = /\.[cm]?tsx?$/i.test(fileName);
  const plugins: ParserPlugin[] = typescript
    ? ['typescript', 'decorators-legacy', ...(/x$/i.test(fileName) ? (['jsx'] as const) : [])]
    : ['jsx', 'decorators-legacy'];
  const commonJs = /\.c[jt]s$/i.test(fileName);
  // CommonJS implies top-level return and new.target, and Babel refuses the flags beside it.
  const scriptFlags = commonJs
    ? {}
    : { allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowNewTargetOutsideFunction: true };
  return {
    sourceType: commonJs ? 'commonjs' : 'unambiguous',
    plugins,
    errorRecovery: true,
    allowImportExportEverywhere: true,
    allowUndeclaredExports: true,
    allowSuperOutsideMethod: true,
    ...scriptFlags,
  };
}

/**
 * Parses `source` (which starts at `startIndex` of the file, so offsets stay file offsets),
 * blanking the offending line and retrying a few times.
 */
function parseWithRetries(
  source: string,
  startIndex: number,
  options: ParserOptions,
  notes: string[],
  file = source,
): ReturnType<typeof babelParse> | undefined {
  let current = source;
  for (let attempt = 0; attempt <= LINE_RETRIES; attempt++) {
    // Babel throws and catches errors while it tries alternatives (TypeScript generics, arrows);
    // without stack traces those throws cost next to nothing.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      if (!parse) throw new Error('loadJavaScriptParser() was not awaited');
      return parse(current, { ...options, startIndex });
    } catch (error) {
      const pos = (error as { pos?: unknown }).pos;
      const message = (error instanceof Error ? error.message : String(error)).replace(/ \(\d+:\d+\)$/, '');
      if (typeof pos !== 'number') {
        notes.push(`The file could not be parsed (${message}).`);
        return undefined;
      }
      notes.push(`Syntax error at line ${lineNumberAt(file, pos)}: ${message}.`);
      const line = lineBounds(current, pos - startIndex);
      if (line.end <= line.start) return undefined;
      // Blank the line (same length, so every offset stays valid) and read the rest.
      current = current.slice(0, line.start) + ' '.repeat(line.end - line.start) + current.slice(line.end);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
  return undefined;
}

/** Runs of lines from one line starting in column 0 (not with a closing bracket) to the next. */
function topLevelChunks(text: string): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) {
    const next = text[i + 1];
    if (/[\s})\]]/.test(next)) continue;
    chunks.push({ start, end: i + 1 });
    start = i + 1;
  }
  chunks.push({ start, end: text.length });
  return chunks;
}

function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  const newline = text.indexOf('\n', offset);
  let end = newline < 0 ? text.length : newline;
  if (text[end - 1] === '\r') end--;
  return { start, end: Math.max(end, Math.min(offset + 1, text.length)) };
}

function lineNumberAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
