import * as path from 'node:path';

/** How to start a worker entry module: its file and the Node options it needs. */
export interface WorkerScript {
  file: string;
  execArgv?: string[];
}

/**
 * Worker entries are built next to the bundles (`dist/<name>.js`). From source under tsx (tests, scripts) the
 * entry is the `.ts` file beside this module; tsx's `--import` hooks do not reach a worker's entry on Node 20,
 * its require hook does (the package is CommonJS).
 */
export function workerScript(name: string): WorkerScript {
  if (path.extname(__filename) !== '.ts') return { file: path.join(__dirname, `${name}.js`) };
  return { file: path.join(__dirname, `${name}.ts`), execArgv: ['--require', require.resolve('tsx/cjs')] };
}
