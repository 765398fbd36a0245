import { CompilerError } from '../../base/errors';
import { LruCache } from '../../base/lruCache';
import { GlobTooComplexError, MAX_GLOB_CHARS, compilePathPattern, stripTrailingSlashes } from './globPattern';

/** Tests a root-relative, `/`-separated path. */
export type GlobMatcher = (rel: string, isDir: boolean) => boolean;

/**
 * Compiling costs more than matching a few thousand paths, and every call compiles its glob and the workspace
 * excludes again: the latest globs are kept.
 */
const compiled = new LruCache<string, GlobMatcher>(256);


/**
 * Compiles a glob with ripgrep's (gitignore-style) rules, so the JavaScript fallback selects what `rg -g` does:
 * a glob without `/` matches the file name at any depth, one with `/` matches the path from the root, a leading `/`
 * only anchors, a trailing `/` matches folders only; `**`, `{a,b}` and `[...]` work as usual.
 */
export function compileGlob(glob: string): GlobMatcher {
  let matcher = compiled.get(glob);
  if (!matcher) {
    matcher = compileUncached(glob);
    compiled.set(glob, matcher);
  }
  return matcher;
}

function compileUncached(glob: string): GlobMatcher {
  let pattern = glob.trim();
  if (!pattern) throw new CompilerError('invalid-args', 'Empty glob.');
  if (pattern.length > MAX_GLOB_CHARS) {
    throw new CompilerError('invalid-args', `Glob too long (${pattern.length} characters, at most ${MAX_GLOB_CHARS}).`);
  }
  const dirOnly = pattern.endsWith('/');
  if (dirOnly) pattern = stripTrailingSlashes(pattern);
  const anchored = pattern.startsWith('/') || pattern.includes('/');
  pattern = pattern.replace(/^\.?\/+/, '');
  let test: (rel: string) => boolean;
  try {
    test = compilePathPattern(pattern, anchored).test;
  } catch (error) {
    if (error instanceof GlobTooComplexError) throw new CompilerError('invalid-args', `Glob too complex: ${error.message}.`);
    throw error;
  }
  return (rel, isDir) => (!dirOnly || isDir) && test(rel);
}
