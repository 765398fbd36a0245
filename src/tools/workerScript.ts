import * as path from 'node:path';

/** How to start a worker entry module: its file and the Node options it needs. */
export interface WorkerScript {
  file: string;
  execArgv?: string[];
}

/**
 * Worker entries are built next to the bundles (`dist/<name>.js`); the caller passes its own `__dirname`, which is
 * the bundle's folder once bundled. From source under tsx (tests, scripts) the entry is the `.ts` file beside the
 * caller; tsx's `--import` hooks do not reach a worker's entry on Node 20, its require hook does (the package is
 * CommonJS).
 */
export function workerScript(name: string, callerDir: string): WorkerScript {
  if (path.extname(__filename) !== '.ts') return { file: path.join(callerDir, `${name}.js`) };
  return { file: path.join(callerDir, `${name}.ts`), execArgv: ['--require', require.resolve('tsx/cjs')] };
}
