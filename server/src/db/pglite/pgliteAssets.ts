import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';
import type { PGliteOptions } from '@electric-sql/pglite';

/** The options through which PGlite takes its WebAssembly and file-system image instead of reading them. */
export type PgliteAssets = Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;

/** Node's global, declared here: the project's `lib` has no DOM and @types/node 20 does not declare it. */
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<object> };

const unbrotli = promisify(brotliDecompress);
let packaged: Promise<PgliteAssets> | undefined;

/**
 * The packaged extension ships PGlite's WebAssembly and file-system image brotli-compressed
 * (`pglite.wasm.br`, … next to PGlite's modules, written by scripts/packageVsix.mjs: 1.7 MB less
 * in the .vsix), so they are decompressed and compiled here once per process. In a checkout the
 * plain files are there and PGlite reads them itself.
 */
export function pgliteAssets(): Promise<PgliteAssets> {
  const dist = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  if (!existsSync(path.join(dist, 'pglite.wasm.br'))) return Promise.resolve({});
  packaged ??= (async () => {
    const [pglite, initdb, data] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm', 'pglite.data'].map(async (file) =>
        unbrotli(await readFile(path.join(dist, `${file}.br`))),
      ),
    );
    return {
      pgliteWasmModule: await WebAssembly.compile(pglite),
      initdbWasmModule: await WebAssembly.compile(initdb),
      fsBundle: new Blob([data]),
    };
  })();
  // A failed read is retried on the next discovery rather than remembered.
  packaged.catch(() => (packaged = undefined));
  return packaged;
}
