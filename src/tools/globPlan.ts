import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from './globMatch';
import type { GlobMatcher } from './globMatch';
import type { IgnoreRules } from './ignoreRules';

/**
 * How ripgrep narrows a search to a glob without ever re-admitting ignored files (which `rg --glob` does): the
 * glob's file-name part becomes an rg file type (types only filter, they never override ignore files), its literal
 * folder prefix becomes the search path, and the exact glob is then checked on every path rg reports.
 */
export interface GlobPlan {
  /** Root-relative folder to search (`.` for the root). */
  searchPath: string;
  /** File-name glob for `--type-add`, when the glob's last part is one. */
  typeGlob?: string;
  /** The exact test, on root-relative paths. */
  matches: GlobMatcher;
}

const META = /[*?[\]{}\\]/;

/** Plans a glob for one root; undefined when it cannot match any file there (so rg need not run). */
export function planGlob(glob: string, root: string, rules: IgnoreRules): GlobPlan | undefined {
  const matches = compileGlob(glob);
  const pattern = glob.trim().replace(/^\.?\/+/, '');
  if (pattern.endsWith('/')) return undefined; // folders only: never a file
  const parts = pattern.split('/');
  const last = parts[parts.length - 1];
  const typeGlob = last && !last.includes('**') && !/[:,]/.test(last.replace(/\{[^}]*\}/g, '')) ? last : undefined;
  if (parts.length === 1) return { searchPath: '.', typeGlob, matches };

  const prefix: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (META.test(part)) break;
    prefix.push(part);
  }
  if (prefix.length === 0) return { searchPath: '.', typeGlob, matches };
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
  return { searchPath: prefix.join('/'), typeGlob, matches };
}
