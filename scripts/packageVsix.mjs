// `npm run package`: stages the runtime files the server bundle loads from disk, then builds the
// .vsix with @vscode/vsce. Run after `node scripts/build.mjs`. Usage: node scripts/packageVsix.mjs [--out file.vsix]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import console from 'node:console';

/**
 * Packages the server bundle keeps external (or resolves files of) because they read WASM and data
 * files next to their own module: only the files needed at runtime, so the .vsix stays small.
 * They go to `server/out/node_modules`, where Node's resolution from `server/out/*.js` finds them.
 */
const RUNTIME_FILES = {
  '@electric-sql/pglite': (f) => /^dist\/[^/]+\.(js|wasm|data)$/.test(f),
  'libpg-query': (f) => f.startsWith('wasm/') && !f.endsWith('.d.ts'),
  // libpg-query's CommonJS entry requires it at runtime.
  '@pgsql/types': (f) => /^[^/]+\.js$/.test(f),
  'web-tree-sitter': (f) => f === 'web-tree-sitter.wasm',
  'tree-sitter-python': (f) => f === 'tree-sitter-python.wasm',
};

const require = createRequire(import.meta.url);
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
