import type { Tool } from '../../src/shared/toolContract';
import { createNodeTools } from '../../src/tools/nodeTools';
import type { NodeToolOptions } from '../../src/tools/nodeTools';
import { findRipgrep } from '../../src/tools/search/ripgrepPath';

/** ripgrep on this machine, if any; CI installs it. */
export const RIPGREP = findRipgrep();

export interface Backend {
  name: string;
  /** Why the backend cannot run here, if it cannot. */
  missing?: string;
  tools(options?: NodeToolOptions): Tool[];
}

/** find_files and grep run on both: ripgrep, and the JavaScript fallback (forced). */
export const BACKENDS: Backend[] = [
  {
    name: 'ripgrep',
    missing: RIPGREP ? undefined : 'ripgrep (rg) is not installed; install it (apt-get install ripgrep) to run these tests',
    tools: (options = {}) => createNodeTools({ ...options, ripgrepPath: RIPGREP }),
  },
  { name: 'JavaScript fallback', tools: (options = {}) => createNodeTools({ ...options, useRipgrep: false }) },
];

/** Skips the current test with a visible reason when ripgrep is missing. */
export function requireRipgrep(ctx: Mocha.Context): string {
  if (!RIPGREP) {
    console.warn('      (skipped: ripgrep (rg) is not installed)');
    // Counted by the root hook in ripgrepNotice.ts, which names the total at the end of the run.
    if (ctx.test) (ctx.test as unknown as Record<string, unknown>).skippedForRipgrep = true;
    ctx.skip();
  }
  return RIPGREP!;
}
