import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../../base/errors';
import { IgnoreRules } from '../paths/ignoreRules';
import { AI_IGNORE_FILES } from '../paths/readPolicy';
import { changedSince } from './pathState';

/** The names of ignore files a search reads in each folder. */
export const IGNORE_FILE_NAMES: readonly string[] = ['.rgignore', '.ignore', '.gitignore'];
/** Those and the AI-ignore files: a change of any decides what a result may show. */
export const RULE_FILE_NAMES: readonly string[] = [...IGNORE_FILE_NAMES, ...AI_IGNORE_FILES];

/** A walk over what a search under `root` selects, for changes made since `since`. */
export interface TreeWatch {
  root: string;
  /** The folder walked, relative to `root` (`''`: the root). */
  under: string;
  /** Levels of folders read, 1 being `under` alone; unlimited when absent. */
  depth?: number;
  /** Ignore files and these globs select entries as the search does; when false, every entry counts. */
  ignoreRules: boolean;
  excludeGlobs: readonly string[];
  /** Whether the files' contents matter, or only which entries exist. */
  contents: boolean;
  /** Milliseconds since the epoch: changes from then on make the result stale. */
  since: number;
}

/** Folders and files checked at once. */
const PARALLEL = 32;

/**
 * True when nothing the walk selects changed since `watch.since`, checking at most `limit` entries (more is
 * reported as changed). Adding, removing or renaming an entry changes its folder's times; editing a file changes the
 * file's; the change time cannot be set back, so a restored modification time does not hide an edit.
 */
export async function treeUnchanged(watch: TreeWatch, limit: number, signal: AbortSignal): Promise<boolean> {
  const rules = watch.ignoreRules ? new IgnoreRules(watch.root, watch.excludeGlobs) : undefined;
  let checked = 0;
  let changed = false;
  let active = 0;
  const waiting: Array<() => void> = [];
  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  /** Marks the walk changed when the entry changed (or vanished, or there are too many to check). */
  const check = async (abs: string): Promise<boolean> => {
    if (changed) return false;
    if (++checked > limit) {
      changed = true;
      return false;
    }
    const stat = await limited(() => fs.lstat(abs, { bigint: true })).catch(() => undefined);
    if (!stat || changedSince(stat, watch.since)) changed = true;
    return !changed;
  };

  const visit = async (dirRel: string, level: number): Promise<void> => {
    if (changed) return;
    throwIfAborted(signal);
    const abs = path.join(watch.root, dirRel);
    if (!(await check(abs))) return;
    await rules?.prepare(dirRel);
    let entries: Dirent[];
    try {
      entries = await limited(() => fs.readdir(abs, { withFileTypes: true }));
    } catch {
      changed = true;
      return;
    }
    const work: Array<Promise<unknown>> = [];
    for (const entry of entries) {
      if (changed) break;
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (entry.name === '.git') {
        // Its exclude file is an ignore file of this folder.
        if (rules && entry.isDirectory()) work.push(checkIfPresent(path.join(abs, '.git', 'info')).then((ok) => ok && checkIfPresent(path.join(abs, '.git', 'info', 'exclude'))));
        continue;
      }
      if (rules && RULE_FILE_NAMES.includes(entry.name)) {
        work.push(check(path.join(abs, entry.name)));
        continue;
      }
      const isDir = entry.isDirectory() && !entry.isSymbolicLink();
      if (rules?.ignores(rel, isDir)) continue;
      if (isDir) {
        if (watch.depth === undefined || level < watch.depth) work.push(visit(rel, level + 1));
      } else if (watch.contents) {
        work.push(check(path.join(abs, entry.name)));
      }
    }
    await Promise.all(work);
  };
  const checkIfPresent = async (abs: string): Promise<boolean> => {
    const exists = await fs.lstat(abs).then(() => true, () => false);
    return exists ? check(abs) : true;
  };

  await visit(watch.under, 1);
  throwIfAborted(signal);
  return !changed;
}
