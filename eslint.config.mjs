import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** The core must stay free of editor and protocol types so the CLI can reuse it. */
const coreFolders = [
  'server/src/db/**',
  'server/src/schema/**',
  'server/src/config/**',
  'server/src/sql/**',
  'server/src/embedded/**',
  'server/src/migrate/**',
  'server/src/text/**',
  'server/src/engine/**',
];

export default tseslint.config(
  { ignores: ['**/out/**', '**/dist/**', 'node_modules/**', '**/*.vsix', 'examples/**', 'test/fixtures/embedded/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's suite functions return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'test', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: coreFolders,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'],
              message: 'The core knows nothing of VS Code or LSP: adapt it in server/src/features or client/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Protocol messages follow vscode-eslint's `namespace X { method; type }` shape, one per message.
    files: ['server/src/protocol/**'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
