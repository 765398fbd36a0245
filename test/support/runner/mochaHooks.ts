// Mocha's global fixtures and root hooks (loaded with --require): the run opens a file that every skip is counted
// in, parallel workers included, and ends by counting the skipped tests by reason; without ripgrep a banner says how
// to get it. It builds the worker threads' entries once for every process of the run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stopSymbolWorkers } from '../../../src/tools/symbols/symbolWorker';
import { WORKER_BUNDLES_ENV } from '../../../src/tools/workerScript';
import { NO_RIPGREP } from '../backends';
import { TEST_RUN_ENV } from '../builtCli';
import { SKIP_LEDGER_ENV, readSkips } from '../skips';
import { buildWorkerBundles } from './workerBundles';

export async function mochaGlobalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmc-skips-'));
  process.env[SKIP_LEDGER_ENV] = path.join(dir, 'skips.tsv');
  process.env[TEST_RUN_ENV] = path.basename(dir);
  // A run inside a test run (this file's own test) uses the entries the run around it built, still there.
  const inherited = process.env[WORKER_BUNDLES_ENV];
  if (inherited && fs.existsSync(inherited)) return;
  // Parallel workers are started after this and inherit the environment.
  const workers = path.join(dir, 'workers');
  await buildWorkerBundles(workers);
  process.env[WORKER_BUNDLES_ENV] = workers;
}

export function mochaGlobalTeardown(): void {
  const ledger = process.env[SKIP_LEDGER_ENV];
  if (!ledger) return;
  const skips = readSkips(ledger);
  fs.rmSync(path.dirname(ledger), { recursive: true, force: true });
  if (skips.length === 0) return;
  const rule = '!'.repeat(78);
  const lines = ['', rule];
  for (const { reason, tests } of skips) {
    if (reason === NO_RIPGREP) {
      lines.push(
        `!! ${tests} ripgrep test${tests === 1 ? ' was' : 's were'} SKIPPED: ripgrep (rg) is not installed or not on PATH.`,
        '!! grep and find_files were only tested on their JavaScript fallback, not against ripgrep.',
        '!! Install it and run again: apt-get install ripgrep (Debian/Ubuntu), brew install ripgrep (macOS),',
        '!! winget install BurntSushi.ripgrep.MSVC (Windows).',
      );
    } else {
      lines.push(`!! ${tests} test${tests === 1 ? ' was' : 's were'} SKIPPED: ${reason}`);
    }
  }
  lines.push(rule, '');
  console.warn(lines.join('\n'));
}

/**
 * Root hooks, run in every process that runs tests: each top-level suite ends the symbol workers left running
 * after its last test (each a thread holding a warm TypeScript language service), so memory does not grow suite
 * after suite.
 */
export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    for (const suite of this.test?.parent?.suites ?? []) suite.afterAll('end the symbol workers left running', stopSymbolWorkers);
  },
};
