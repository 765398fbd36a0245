// Skips that say so: a test skipped for want of something prints why at once, and the run ends with a count of the
// skipped tests by reason (mochaHooks.ts prints it). The count goes through a file named in the
// environment, so tests run in mocha's parallel workers are counted by the main process too.
import * as fs from 'node:fs';

/** The environment variable naming the file skips are counted in, one line per skip: `<tests>\t<reason>`. */
export const SKIP_LEDGER_ENV = 'LLMC_SKIP_LEDGER';

/**
 * Skips the running test, or every test of the suite when called from a `before` hook, with a line saying why; the
 * end of the run counts it under `reason`.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  // From a `before all` hook mocha skips the whole suite, nested suites included.
  const runnable = ctx.test as (Mocha.Runnable & { type?: string }) | undefined;
  const tests = runnable?.type === 'hook' && runnable.title.startsWith('"before all"') ? testsUnder(runnable.parent) : 1;
  console.warn(`      (skipped${tests > 1 ? ` ${tests} tests` : ''}: ${reason})`);
  const ledger = process.env[SKIP_LEDGER_ENV];
  if (ledger) fs.appendFileSync(ledger, `${tests}\t${reason.replace(/\s+/g, ' ')}\n`);
  ctx.skip();
}

function testsUnder(suite: Mocha.Suite | undefined): number {
  if (!suite) return 0;
  return suite.tests.length + suite.suites.reduce((n, s) => n + testsUnder(s), 0);
}

/** The skips counted in `ledger`, by reason, most first. */
export function readSkips(ledger: string): Array<{ reason: string; tests: number }> {
  const counts = new Map<string, number>();
  const text = fs.existsSync(ledger) ? fs.readFileSync(ledger, 'utf8') : '';
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const reason = line.slice(tab + 1);
    counts.set(reason, (counts.get(reason) ?? 0) + Number(line.slice(0, tab)));
  }
  return [...counts].map(([reason, tests]) => ({ reason, tests })).sort((a, b) => b.tests - a.tests);
}
