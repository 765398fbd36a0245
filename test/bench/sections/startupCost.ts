import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { median } from '../report/benchMetrics';

/** What loading the extension costs VS Code at start-up, each figure from fresh Node processes. */
export interface StartupReport {
  /** Median milliseconds to `require` each file, timed inside the process. */
  extensionMs: number;
  /** The tokenizer, loaded on the first token count instead of at activation. */
  tokenizerMs: number;
  runs: number;
}

/** Requires `file` in a new process (with a stand-in for the `vscode` module) and returns the milliseconds it took. */
function timeRequire(file: string): number {
  const script = `
    const Module = require('node:module');
    const load = Module._load;
    const stub = new Proxy(function () {}, { get: (_, key) => (key === 'then' ? undefined : stub) });
    Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
    const start = performance.now();
    require(${JSON.stringify(file)});
    process.stdout.write(String(performance.now() - start));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}


/** Times loading the built bundles in `dist` (alternating, `runs` each). */
export function measureStartup(dist: string, runs = 9): StartupReport {
  const extension: number[] = [];
  const tokenizer: number[] = [];
  for (let i = 0; i < runs; i++) {
    extension.push(timeRequire(path.join(dist, 'extension.js')));
    tokenizer.push(timeRequire(path.join(dist, 'tokenizer.js')));
  }
  return { extensionMs: median(extension), tokenizerMs: median(tokenizer), runs };
}

export function formatStartup(report: StartupReport): string {
  return [
    `Loading dist/extension.js (what activation at start-up parses and runs): ${report.extensionMs.toFixed(1)} ms`,
    `Loading dist/tokenizer.js (deferred to the first token count): ${report.tokenizerMs.toFixed(1)} ms`,
    `Medians of ${report.runs} fresh processes each.`,
  ].join('\n');
}
