import * as path from 'node:path';

/** How to start a worker entry module: its file and the Node options it needs. */
export interface WorkerScript {
  file: string;
  execArgv?: string[];
}

/**
 * Names a folder of built worker entries (`<name>.js`, built as esbuild.js builds them) for a process that runs from
 * source: its threads start from those rather than through tsx, whose loader costs each symbol worker ~0.9 s of CPU
 * (it scans the 9 MB TypeScript module). The test run builds them once (test/support/runner/workerBundles.ts).
 */
export const WORKER_BUNDLES_ENV = 'LLMC_WORKER_BUNDLES';

/**
 * Worker entries are built next to the bundles (`dist/<name>.js`); the caller passes its own `__dirname`, which is
 * the bundle's folder once bundled. From source under tsx (tests, scripts) the entry is the `.ts` file beside the
 * caller; tsx's `--import` hooks do not reach a worker's entry on Node 20, its require hook does (the package is
 * CommonJS).
 */
export function workerScript(name: string, callerDir: string): WorkerScript {
  if (path.extname(__filename) !== '.ts') return { file: path.join(callerDir, `${name}.js`) };
  const bundles = process.env[WORKER_BUNDLES_ENV];
  // No Node options at all: a built entry needs no loader, and the process's own (tsx's) would cost as much again.
  if (bundles) return { file: path.join(bundles, `${name}.js`), execArgv: [] };
  return { file: path.join(callerDir, `${name}.ts`), execArgv: ['--require', require.resolve('tsx/cjs')] };
}
