/**
 * Where a `JSON.parse` failure lies, without quoting the text: V8's messages can carry the first
 * bytes of the input ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), and the input
 * may be any file a repository points at. Returns "not valid JSON (line 3, column 7)" or the like.
 */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input/.test(message)) return 'not valid JSON (it ends too early)';
  const position = /at position (\d+)/.exec(message);
  if (!position) return 'not valid JSON';
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `not valid JSON (line ${line}, column ${column})`;
}
