import { findRipgrep } from '../tools/search/ripgrepPath';

/**
 * What grep and find_files search with in plain Node, found the way the Node tools find it (`rg` on the PATH):
 * ripgrep's path, or the JavaScript fallback, which is slower on large trees.
 */
export function nodeSearchBackend(): string {
  const rg = findRipgrep();
  return rg ? `ripgrep ${rg}` : 'the JavaScript fallback (no rg on the PATH; slower on large trees)';
}
