/**
 * Loads tree-sitter's Python grammar into `web-tree-sitter` once per process. WASM keeps the
 * extension platform-neutral (no node-gyp build): 210 KB runtime + 458 KB grammar + 76 KB JS.
 */
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';

/** Where the two WASM files are, when they are not beside their npm packages (a bundled extension). */
export interface PythonParserLocation {
  runtimeWasm?: string;
  grammarWasm?: string;
}

let loading: Promise<Parser> | undefined;

/** The shared Python parser; the first call loads the WASM (about 30 ms), later calls are free. */
export function pythonParser(location: PythonParserLocation = {}): Promise<Parser> {
  loading ??= load(location).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(location: PythonParserLocation): Promise<Parser> {
  // Its JavaScript too is loaded with the first Python file, not with the server.
  const { Language, Parser } = await import('web-tree-sitter');
  const require = createRequire(import.meta.url);
  const runtimeWasm = location.runtimeWasm ?? require.resolve('web-tree-sitter/web-tree-sitter.wasm');
  const grammarWasm = location.grammarWasm ?? require.resolve('tree-sitter-python/tree-sitter-python.wasm');
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(grammarWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
