import type { Tool } from '../../src/shared/toolContract';
import { createNodeTools } from '../../src/tools/nodeTools';
import type { NodeToolOptions } from '../../src/tools/nodeTools';
import { findRipgrep } from '../../src/tools/search/ripgrepPath';
import { skipBecause } from './skips';

/** ripgrep on this machine, if any; CI installs it. */
export const RIPGREP = findRipgrep();

/** Why a test that needs ripgrep is skipped; the end-of-run banner counts the skips with this reason. */
export const NO_RIPGREP = 'ripgrep (rg) is not installed; install it (apt-get install ripgrep) to run these tests';

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
    missing: RIPGREP ? undefined : NO_RIPGREP,
    tools: (options = {}) => createNodeTools({ ...options, ripgrepPath: RIPGREP }),
  },
  { name: 'JavaScript fallback', tools: (options = {}) => createNodeTools({ ...options, useRipgrep: false }) },
];

/**
 * Declares the same tests once per search backend, each set in a suite named `with <backend>`; a backend that
 * cannot run here has its suite skipped, loudly.
 */
export function forEachBackend(declare: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    describe(`with ${backend.name}`, () => {
      before(function () {
        if (backend.missing) skipBecause(this, backend.missing);
      });
      declare(backend);
    });
  }
}

/** Skips the current test (or the suite, from a `before` hook) with a visible reason when ripgrep is missing. */
export function requireRipgrep(ctx: Mocha.Context): string {
  if (!RIPGREP) skipBecause(ctx, NO_RIPGREP);
  return RIPGREP!;
}
