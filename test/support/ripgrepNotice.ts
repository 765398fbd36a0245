import { BACKENDS, RIPGREP } from './backends';

/** Tests `requireRipgrep` skipped for want of ripgrep are marked with this property. */
export const SKIPPED_FOR_RIPGREP = 'skippedForRipgrep';

/** Skipped tests that needed ripgrep: marked by `requireRipgrep`, or run on the ripgrep backend. */
function countSkipped(suite: Mocha.Suite): number {
  const backend = `with ${BACKENDS[0]!.name}`;
  let count = suite.tests.filter((t) => t.isPending() && ((t as unknown as Record<string, unknown>)[SKIPPED_FOR_RIPGREP] || t.fullTitle().includes(backend))).length;
  for (const child of suite.suites) count += countSkipped(child);
  return count;
}

/**
 * A root hook: without ripgrep the suite still passes, skipping every test that compares with it or runs it, so
 * the run ends with a banner saying how many were skipped and how to get ripgrep.
 */
export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    if (RIPGREP) return;
    let root = this.test?.parent;
    while (root?.parent) root = root.parent;
    const skipped = root ? countSkipped(root) : 0;
    if (skipped === 0) return;
    const rule = '!'.repeat(78);
    console.warn(
      [
        '',
        rule,
        `!! ${skipped} ripgrep test${skipped === 1 ? ' was' : 's were'} SKIPPED: ripgrep (rg) is not installed or not on PATH.`,
        '!! grep and find_files were only tested on their JavaScript fallback, not against ripgrep.',
        '!! Install it and run again: apt-get install ripgrep (Debian/Ubuntu), brew install ripgrep (macOS),',
        '!! winget install BurntSushi.ripgrep.MSVC (Windows).',
        rule,
        '',
      ].join('\n'),
    );
  },
};
