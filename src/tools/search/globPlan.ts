import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from '../paths/globMatch';
import type { GlobMatcher } from '../paths/globMatch';
import type { IgnoreRules } from '../paths/ignoreRules';

/**
 * How ripgrep narrows a search to a glob without ever re-admitting ignored files (which `rg --glob` does): the
 * glob's file-name part becomes an rg file type (types only filter, they never override ignore files), its literal
 * folder prefix becomes the search path, and the exact glob is then checked on every path rg reports, unless the
 * two already select exactly what the glob does.
 */
export interface GlobPlan {
  /** Root-relative folder to search (`.` for the root). */
  searchPath: string;
  /** File-name glob for `--type-add`, when the glob's last part is one. */
  typeGlob?: string;
  /** The exact test, on root-relative paths; absent when the search path and type select exactly the glob's files. */
  matches?: GlobMatcher;
  /** A negated glob's pattern (`!GLOB`), given to rg as its own `-g '!GLOB'`: an exclusion never re-admits ignored files. */
  excludeGlob?: string;
}

/** The pattern of a negated glob (`!*.js` leaves out what `*.js` matches, as rg's `-g '!GLOB'`), else undefined. */
export function negatedGlob(glob: string): string | undefined {
  const trimmed = glob.trim();
  return trimmed.startsWith('!') ? trimmed.slice(1) : undefined;
}

/**
 * A glob as the JavaScript walker applies it: a plain glob selects files (folders are still entered); a negated one
 * leaves out the files and the folders it matches, as rg's `-g '!GLOB'` does.
 */
export function globFilter(glob: string | undefined): { include?: GlobMatcher; exclude?: GlobMatcher } {
  if (glob === undefined) return {};
  const negated = negatedGlob(glob);
  return negated !== undefined ? { exclude: compileGlob(negated) } : { include: compileGlob(glob) };
}

const META = /[*?[\]{}\\]/;
/**
 * File-name globs that ripgrep's type filter and globPattern read alike: `*`, `?` and flat `{a,b}` (classes and
 * escapes differ in corner cases, so those keep the exact check).
 */
const PLAIN_NAME_GLOB = /^(?:[^\\[\]{}]|\{[^\\[\]{}]*\})*$/;

/** Plans a glob for one root; undefined when it cannot match any file there (so rg need not run). */
export function planGlob(glob: string, root: string, rules: IgnoreRules): GlobPlan | undefined {
  const negated = negatedGlob(glob);
  if (negated !== undefined) {
    compileGlob(negated);
    return { searchPath: '.', excludeGlob: negated };
  }
  const matches = compileGlob(glob);
  const trimmed = glob.trim();
  const pattern = trimmed.replace(/^\.?\/+/, '');
  if (pattern.endsWith('/')) return undefined; // folders only: never a file
  const parts = pattern.split('/');
  const last = parts[parts.length - 1];
  const typeGlob = last && !last.includes('**') && !/[:,]/.test(last.replace(/\{[^}]*\}/g, '')) ? last : undefined;

  const prefix: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (META.test(part)) break;
    prefix.push(part);
  }
  // `name`, `**/name` and `dir/**/name`: any depth below the search path, which is what rg walks.
  const middle = parts.slice(prefix.length, -1);
  const anyDepth = parts.length === 1 ? pattern === trimmed : middle.length > 0 && middle.every((p) => p === '**');
  const exact = typeGlob !== undefined && PLAIN_NAME_GLOB.test(typeGlob) && anyDepth;
  const plan = (searchPath: string): GlobPlan => ({ searchPath, typeGlob, ...(exact ? {} : { matches }) });

  if (prefix.length === 0) return plan('.');
  if (prefix.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  // rg follows a path it is given and does not apply ignore files to it: the walk would not enter a linked or an
  // ignored folder, so neither does the search.
  for (let i = 1; i <= prefix.length; i++) {
    const rel = prefix.slice(0, i).join('/');
    try {
      if (!fs.lstatSync(path.join(root, ...prefix.slice(0, i))).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    if (rules.ignoresPathSync(rel, true)) return undefined;
  }
  return plan(prefix.join('/'));
}
