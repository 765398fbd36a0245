// The worker threads' entries, built once for a test run: a thread started from source goes through tsx's loader,
// which costs a symbol worker ~0.9 s of CPU more than the built entry (the test run starts some forty).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Each worker entry by the name `workerScript` is called with; esbuild.js builds the same files for dist/. */
export const WORKER_ENTRIES: Record<string, string> = {
  tsSymbolsWorker: 'src/tools/symbols/tsSymbolsWorker.ts',
  jsSearchWorker: 'src/tools/search/jsSearchWorker.ts',
};

/** Builds every worker entry into `outdir` with esbuild.js's Node options, and grep's regex engine beside them. */
export async function buildWorkerBundles(outdir: string): Promise<void> {
  const entryPoints = Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)]));
  await esbuild.build({ entryPoints, outdir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, sourcesContent: false, logLevel: 'silent' });
  // rregex loads its WebAssembly from beside the bundle that uses it, as in dist/.
  fs.copyFileSync(require.resolve('rregex/lib/rregex.wasm'), path.join(outdir, 'rregex.wasm'));
}
