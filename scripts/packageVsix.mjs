// `npm run package`: stages the runtime files the server bundle loads from disk, then builds the
// .vsix with @vscode/vsce. Run after `node scripts/build.mjs`. Usage: node scripts/packageVsix.mjs [--out file.vsix]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import console from 'node:console';
import { brotliCompressSync, constants } from 'node:zlib';

/**
 * Packages the server bundle keeps external (or resolves files of) because they read WASM and data
 * files next to their own module: only the files needed at runtime, so the .vsix stays small.
 * They go to `server/out/node_modules`, where Node's resolution from `server/out/*.js` finds them.
 */
const RUNTIME_FILES = {
  // What its entry imports, statically or on demand, the WebAssembly and file-system image it
  // reads, and the contrib extensions' bundles (`citext.tar.gz`, …: 1.5 MB, loaded only when a schema
  // file creates one, by server/src/db/pglite/pgliteExtensions.ts); not the extensions' modules,
  // source maps, nor `pglite.js`/`initdb.js` (copies of the Emscripten modules the chunks contain).
  '@electric-sql/pglite': (f) =>
    reachableModules('node_modules/@electric-sql/pglite', 'dist/index.js').has(f) ||
    ['dist/pglite.wasm', 'dist/pglite.data', 'dist/initdb.wasm'].includes(f) ||
    /^dist\/[\w-]+\.tar\.gz$/.test(f),
  'libpg-query': (f) => f.startsWith('wasm/') && !f.endsWith('.d.ts'),
  // libpg-query's CommonJS entry requires it at runtime.
  '@pgsql/types': (f) => /^[^/]+\.js$/.test(f),
  'web-tree-sitter': (f) => f === 'web-tree-sitter.wasm',
  'tree-sitter-python': (f) => f === 'tree-sitter-python.wasm',
};

/**
 * PGlite's WebAssembly and file-system image are 5.3 MB of the .vsix when deflated and 3.6 MB as
 * brotli: they are shipped as `<file>.br` only, and server/src/db/pglite/pgliteAssets.ts hands them
 * to PGlite decompressed (PGlite takes both as options).
 */
const BROTLI_FILES = {
  '@electric-sql/pglite': ['dist/pglite.wasm', 'dist/pglite.data', 'dist/initdb.wasm'],
};

const require = createRequire(import.meta.url);
const reachable = new Map();
const target = 'server/out/node_modules';
rmSync(target, { recursive: true, force: true });
for (const [name, keep] of Object.entries(RUNTIME_FILES)) {
  // Not require.resolve: some of these packages do not export their package.json.
  const root = path.join('node_modules', name);
  if (!existsSync(path.join(root, 'package.json'))) throw new Error(`${name} is not installed: run npm ci`);
  cpSync(root, path.join(target, name), {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source).split(path.sep).join('/');
      if (relative === '' || relative === 'package.json' || relative === 'LICENSE') return true;
      return statSync(source).isDirectory() ? !relative.includes('node_modules') : keep(relative);
    },
  });
  for (const file of BROTLI_FILES[name] ?? []) {
    const staged = path.join(target, name, file);
    writeFileSync(`${staged}.br`, brotli(path.join(root, file)));
    rmSync(staged);
  }
}

/** The package's files `entry` imports, transitively, through relative `import`/`from`/`import()` specifiers. */
function reachableModules(root, entry) {
  if (reachable.has(root)) return reachable.get(root);
  const found = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (found.has(file)) continue;
    found.add(file);
    const code = readFileSync(path.join(root, file), 'utf8');
    for (const [, specifier] of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g))
      pending.push(path.posix.join(path.posix.dirname(file), specifier));
  }
  reachable.set(root, found);
  return found;
}

/** The file brotli-compressed at the highest quality (about 45 s for PGlite), cached by content. */
function brotli(file) {
  const input = readFileSync(file);
  const cache = path.join(
    'node_modules/.cache/live-schema-vsix',
    `${createHash('sha256').update(input).digest('hex')}.br`,
  );
  if (existsSync(cache)) return readFileSync(cache);
  const output = brotliCompressSync(input, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    },
  });
  mkdirSync(path.dirname(cache), { recursive: true });
  writeFileSync(cache, output);
  return output;
}

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : `${name}-${version}.vsix`;
mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
// Dependencies are bundled (or staged above), so vsce must not add node_modules itself.
try {
  execFileSync(
    process.execPath,
    [
      require.resolve('@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
} catch {
  // vsce has printed why.
  process.exit(1);
}
console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);
