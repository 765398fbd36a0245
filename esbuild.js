// Builds three bundles: the extension host (Node, `vscode` external), the headless CLI and benchmark (Node),
// and the task-graph panel (browser). `--watch` rebuilds on change, `--production` minifies, `--no-bench` leaves
// the benchmark out (a third of the build, which the unit tests do not run). `--workers-to DIR` builds only the
// worker threads' entries, with what they load, into DIR (the tests run their threads from those).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const bench = !process.argv.includes('--no-bench');
const workersTo = process.argv.includes('--workers-to') ? process.argv[process.argv.indexOf('--workers-to') + 1] : undefined;
const out = workersTo ?? 'dist';

/** Prints errors in the `file:line:col: error: text` shape the `$esbuild-watch` problem matcher reads. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const workers = [
  // The symbol tools' language service runs in this worker thread, started from beside the bundle that uses it.
  // The TypeScript language service (several MB) lives only in the symbol worker, loaded on the first symbol
  // question that VS Code's own language features cannot answer (or in the CLI), so start-up never pays for it.
  { ...node, entryPoints: ['src/tools/symbols/tsSymbolsWorker.ts'], outfile: `${out}/tsSymbolsWorker.js` },
  // The grep fallback (no ripgrep) matches lines in this worker thread, where a costly line cannot block the host.
  { ...node, entryPoints: ['src/tools/search/jsSearchWorker.ts'], outfile: `${out}/jsSearchWorker.js` },
];

const builds = workersTo ? workers : [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/bin/llmCompiler.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  ...(bench ? [{ ...node, entryPoints: ['test/bench/main.ts'], outfile: 'dist/bench.js' }] : []),
  ...workers,
  // The tokenizer's tables (megabytes of source) load on the first token count, from beside the bundle counting.
  { ...node, entryPoints: ['src/providers/gptTokenizer.ts'], outfile: 'dist/tokenizer.js' },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
].filter((b) => b.entryPoints.every((p) => fs.existsSync(p)));

async function main() {
  // The regex engine of grep's fallback (rregex) loads its WebAssembly from beside the bundle that uses it.
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(require.resolve('rregex/lib/rregex.wasm'), `${out}/rregex.wasm`);
  // A bundled TypeScript looks for its standard library (lib.*.d.ts) beside itself, where the symbol worker's host
  // finds it in a folder of its own (see libraryFolder in src/tools/symbols/tsService.ts).
  const lib = path.dirname(require.resolve('typescript/lib/lib.d.ts'));
  const libOut = `${out}/typescript-lib`;
  fs.rmSync(libOut, { recursive: true, force: true });
  fs.mkdirSync(libOut);
  for (const f of fs.readdirSync(lib)) if (/^lib\..*\.d\.ts$|^lib\.d\.ts$/.test(f)) fs.copyFileSync(path.join(lib, f), `${libOut}/${f}`);
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
