import tseslint from 'typescript-eslint';

// The layers of src/: which folder may import which (README, "Where things are"). A folder may import itself and
// the folders listed here, nothing else of src/; only src/vscode (and src/extension.ts) may import `vscode`.
export const LAYERS = {
  base: [],
  shared: ['base'],
  core: ['base', 'shared'],
  tools: ['base', 'shared'],
  providers: ['base', 'shared'],
  mcpClient: ['base', 'shared'],
  surfaces: ['base', 'shared'],
  webview: ['base', 'shared', 'surfaces'],
  host: ['base', 'shared', 'core', 'tools', 'providers', 'mcpClient'],
  cli: ['base', 'shared', 'surfaces', 'host'],
  mcp: ['base', 'shared', 'surfaces', 'host'],
  vscode: ['base', 'shared', 'surfaces', 'host', 'core', 'tools', 'providers'],
  bin: ['base', 'shared', 'providers', 'host', 'cli', 'mcp'],
};

function layerRule(folder) {
  const banned = Object.keys(LAYERS).filter((other) => other !== folder && !LAYERS[folder].includes(other));
  const may = LAYERS[folder].length ? LAYERS[folder].map((f) => `src/${f}`).join(', ') : 'nothing else of src/';
  return {
    'no-restricted-imports': ['error', {
      ...(folder === 'vscode' ? {} : { paths: [{ name: 'vscode', message: 'Only src/vscode may import vscode.' }] }),
      patterns: banned.map((other) => ({
        // A relative import that climbs to src/ and enters the other folder.
        regex: `^\\.\\.?/(\\.\\./)*${other}(/|$)`,
        message: `src/${folder} may import ${may}; not src/${other}.`,
      })),
    }],
  };
}

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
  ...Object.keys(LAYERS).map((folder) => ({ files: [`src/${folder}/**`], rules: layerRule(folder) })),
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
