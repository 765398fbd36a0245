import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { throwIfAborted } from '../../base/errors';
import type { GlobMatcher } from '../paths/globMatch';
import type { IgnoreRules } from '../paths/ignoreRules';

export interface WalkOptions {
  root: string;
  rules: IgnoreRules;
  /** Only files matching it are reported (folders are still entered). */
  glob?: GlobMatcher;
  /** Files and folders matching it are left out (a negated glob). */
  exclude?: GlobMatcher;
  signal: AbortSignal;
  /** Receives the root-relative, `/`-separated path. Returning false stops the walk. */
  onFile(rel: string): boolean | void;
}

/** Folders read at once: enough to hide disk latency, few enough not to exhaust file handles. */
const PARALLEL_READS = 16;
/** Milliseconds of checking one folder's entries between turns of the event loop. */
const SLICE_MS = 10;

function entryKind(entry: Dirent): 'file' | 'dir' | 'other' {
  // Symbolic links are not followed, as ripgrep does by default: a link cannot lead the walk out of the workspace.
  if (entry.isSymbolicLink()) return 'other';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  return 'other';
}

/**
 * Lists the files under a root the way `rg --files --hidden` does: ignore files and exclude globs honoured, `.git`
 * skipped, symbolic links not followed. Order is unspecified. Resolves true when the walk ran to the end.
 */
export async function walkFiles(options: WalkOptions): Promise<boolean> {
  const { root, rules, glob, exclude, signal, onFile } = options;
  let stopped = false;
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (active >= PARALLEL_READS) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  };
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };

  const visit = async (dirRel: string): Promise<void> => {
    if (stopped) return;
    throwIfAborted(signal);
    await rules.prepare(dirRel);
    let entries: Dirent[];
    await acquire();
    try {
      entries = await fs.readdir(path.join(root, dirRel), { withFileTypes: true });
    } catch {
      // Unreadable folders are skipped, as rg does (it only warns).
      return;
    } finally {
      release();
    }
    throwIfAborted(signal);
    const subdirs: string[] = [];
    let slice = performance.now();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (stopped) return;
      // A folder of many thousand entries, each checked against many rules, gives the event loop a turn now and then.
      if ((i & 255) === 255 && performance.now() - slice > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfAborted(signal);
        slice = performance.now();
      }
      const kind = entryKind(entry);
      if (kind === 'other') continue;
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      if (rules.ignores(rel, kind === 'dir') || exclude?.(rel, kind === 'dir')) continue;
      if (kind === 'dir') subdirs.push(rel);
      else if ((!glob || glob(rel, false)) && onFile(rel) === false) stopped = true;
    }
    await Promise.all(subdirs.map(visit));
  };

  await visit('');
  return !stopped;
}
