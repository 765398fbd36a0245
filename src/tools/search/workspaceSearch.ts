import { throwIfAborted } from '../../base/errors';
import { walkFiles } from './fileWalker';
import { IgnoreRules } from '../paths/ignoreRules';
import { jsSearch } from './jsSearch';
import { globFilter, negatedGlob, planGlob } from './globPlan';
import { rgListFiles, rgSearch } from './ripgrep';
import { comparePaths } from './searchTypes';
import type { FileHits, TextQuery } from './searchTypes';
import { rootNames } from '../paths/workspacePath';

/** How files are found: ripgrep when there is one, else the JavaScript walker; both honour the same excludes. */
export interface SearchBackend {
  ripgrep?: string;
  excludeGlobs: readonly string[];
}

/** A root to search and the glob to apply in it. */
export interface SearchTarget {
  root: string;
  glob?: string;
}

/**
 * Where a glob applies: in a multi-root workspace a glob starting with a root's name (`web/src/**`) is limited to
 * that root; any other glob applies in every root.
 */
export function searchTargets(roots: readonly string[], glob: string | undefined): SearchTarget[] {
  if (glob !== undefined) globFilter(glob); // a bad glob is the caller's error, whichever backend runs
  if (glob && roots.length > 1) {
    const names = rootNames(roots);
    const negated = negatedGlob(glob);
    const pattern = negated ?? glob;
    const slash = pattern.indexOf('/');
    const i = slash > 0 ? names.indexOf(pattern.slice(0, slash)) : -1;
    if (i >= 0) {
      const rest = pattern.slice(slash + 1);
      // `!web/**` leaves files out of the folder `web` only; the other folders are searched whole.
      if (negated !== undefined) return roots.map((root, k) => ({ root, glob: k === i ? `!${rest || '**'}` : undefined }));
      return [{ root: roots[i], glob: rest || undefined }];
    }
  }
  return roots.map((root) => ({ root, glob }));
}

export interface FoundFile {
  root: string;
  rel: string;
}

/**
 * The first `limit` paths in `rg --sort path` order (`comparePaths`) of all those added, and how many were added, in
 * memory for about twice the limit: whatever order a parallel walk finds them in, the answer is the same.
 */
class FirstPaths {
  private kept: string[] = [];
  /** The last of the first `limit` so far: a path after it cannot be among them. */
  private bound: string | undefined;
  count = 0;

  constructor(private readonly limit: number) {}

  add(rel: string): void {
    this.count++;
    if (this.bound !== undefined && comparePaths(rel, this.bound) > 0) return;
    this.kept.push(rel);
    if (this.kept.length >= Math.max(2 * this.limit, this.limit + 4_096)) this.trim();
  }

  paths(): string[] {
    this.trim();
    return this.kept;
  }

  private trim(): void {
    this.kept.sort(comparePaths);
    if (this.kept.length > this.limit) this.kept.length = this.limit;
    if (this.kept.length === this.limit) this.bound = this.kept[this.limit - 1];
  }
}

/**
 * Lists files: the first `limit` by root, then path, and how many there are in all. Every file is walked (rg's
 * parallel walk, or the JavaScript walker), since only a complete walk shows which files sort first; the same tree
 * and call give the same files.
 */
export async function listFiles(
  backend: SearchBackend,
  targets: readonly SearchTarget[],
  signal: AbortSignal,
  limit: number,
  /** Whether a path may be listed; the others are neither shown nor counted. */
  keep?: (root: string, rel: string) => boolean,
): Promise<{ files: FoundFile[]; total: number; complete: boolean }> {
  const perTarget = targets.map(() => new FirstPaths(limit));
  await Promise.all(
    targets.map(async ({ root, glob }, i) => {
      const rules = new IgnoreRules(root, backend.excludeGlobs);
      const onFile = (rel: string): void => {
        if (!keep || keep(root, rel)) perTarget[i]!.add(rel);
      };
      if (backend.ripgrep) {
        const plan = glob ? planGlob(glob, root, rules) : undefined;
        if (glob && !plan) return;
        await rgListFiles({ rg: backend.ripgrep, root, excludeGlobs: backend.excludeGlobs, signal }, plan, onFile);
      } else {
        const { include, exclude } = globFilter(glob);
        await walkFiles({ root, rules, glob: include, exclude, signal, onFile });
      }
    }),
  );
  throwIfAborted(signal);
  // Roots keep their order.
  const files = perTarget.flatMap((first, i) => first.paths().map((rel) => ({ root: targets[i]!.root, rel }))).slice(0, limit);
  const total = perTarget.reduce((sum, first) => sum + first.count, 0);
  return { files, total, complete: total <= limit };
}

export interface TextSearchResult {
  /** Sorted by root then path; lines in file order. */
  files: FileHits[];
  /** Matching lines found (context lines not counted). */
  matches: number;
  /** False when `maxMatches` cut the search short: there are more matches. */
  complete: boolean;
  /** True when the JavaScript fallback searched (no ripgrep). */
  fallback: boolean;
  /** Files the fallback did not search for their size, by root then path. */
  tooLarge: Array<{ root: string; rel: string }>;
}

/**
 * Searches file contents: the first `maxMatches` matching lines by root, then path, then line, the same lines for
 * the same tree and call (each root is searched on its own and the results are cut in root order, so parallel
 * roots cannot race for the cap). Stops each search, killing ripgrep, once one match past the cap proves more.
 */
export async function searchText(
  backend: SearchBackend,
  targets: readonly SearchTarget[],
  query: Omit<TextQuery, 'glob'>,
  signal: AbortSignal,
  maxMatches: number,
  /** Whether a file's lines may be returned (asked once per file); the others are dropped before counting. */
  keep?: (root: string, rel: string) => boolean,
): Promise<TextSearchResult> {
  type Hit = { rel: string; line: FileHits['lines'][number] };
  const perTarget = await Promise.all(
    targets.map(async ({ root, glob }) => {
      const hits: Hit[] = [];
      let matches = 0;
      const kept = new Map<string, boolean>();
      const keepFile = (rel: string): boolean => {
        let ok = kept.get(rel);
        if (ok === undefined) {
          ok = !keep || keep(root, rel);
          kept.set(rel, ok);
        }
        return ok;
      };
      const onHit = (hit: Hit): boolean => {
        if (!keepFile(hit.rel)) return true;
        if (hit.line.column !== undefined && ++matches > maxMatches) return false;
        hits.push(hit);
        return true;
      };
      const rules = new IgnoreRules(root, backend.excludeGlobs);
      let complete = true;
      let tooLarge: string[] = [];
      if (backend.ripgrep) {
        const plan = glob ? planGlob(glob, root, rules) : undefined;
        if (glob && !plan) return { hits, complete, tooLarge };
        complete = await rgSearch({ rg: backend.ripgrep, root, excludeGlobs: backend.excludeGlobs, signal }, query, plan, maxMatches, onHit, keepFile);
      } else {
        ({ complete, tooLarge } = await jsSearch({ root, excludeGlobs: backend.excludeGlobs, signal }, { ...query, glob }, onHit));
      }
      // Protected files are not named: whether one is too large says nothing of its text, but they stay unnamed.
      return { hits, complete, tooLarge: tooLarge.filter((rel) => keepFile(rel)) };
    }),
  );
  throwIfAborted(signal);

  const files: FileHits[] = [];
  let matches = 0;
  let complete = true;
  cut: for (let i = 0; i < targets.length; i++) {
    const { hits, complete: whole } = perTarget[i]!;
    let file: FileHits | undefined;
    for (const hit of hits) {
      if (hit.line.column !== undefined && matches >= maxMatches) {
        complete = false;
        break cut;
      }
      if (hit.line.column !== undefined) matches++;
      if (file?.rel !== hit.rel) {
        file = { root: targets[i]!.root, rel: hit.rel, lines: [] };
        files.push(file);
      }
      file.lines.push(hit.line);
    }
    if (!whole) {
      complete = false;
      break;
    }
  }
  // Trailing context of a file whose last match fell past the cap is dropped with it.
  const tooLarge = perTarget.flatMap((t, i) => t.tooLarge.map((rel) => ({ root: targets[i]!.root, rel })));
  return { files: files.filter((f) => f.lines.some((l) => l.column !== undefined)), matches, complete, fallback: !backend.ripgrep, tooLarge };
}
