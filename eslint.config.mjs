import tseslint from 'typescript-eslint';

// The core runs in plain Node (CLI, tests, benchmark): nothing under src/core, src/shared, src/tools or
// src/providers may reach `vscode`, directly or through src/vscode.
const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Only src/vscode may import vscode.' }],
    patterns: [{ group: ['**/vscode/*', '../vscode', './vscode'], message: 'Plain-Node code must not import from src/vscode.' }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],
    },
  },
  { files: ['src/base/**', 'src/core/**', 'src/shared/**', 'src/tools/**', 'src/providers/**', 'src/cli/**', 'src/webview/**', 'src/surfaces/**'], rules: noVscode },
  { files: ['test/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
  // A skipped test says why, and the run counts it: skips go through skipBecause.
  {
    files: ['test/**'],
    ignores: ['test/support/skips.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='skip']",
        message: 'Skip with skipBecause(this, reason) from test/support/skips.ts: it prints why and the run counts it.',
      }],
    },
  },
);
