import * as path from 'node:path';
import { throwIfAborted } from '../../base/errors';
import type { ReadRecord, ReadRecording, ReadTracker } from '../../shared/toolContract';
import type { ToolReads } from '../../shared/toolContract';
import { capturePath, pathUnchanged } from './pathState';
import type { PathState } from './pathState';
import { AI_IGNORE_FILES } from '../paths/readPolicy';
import { RULE_FILE_NAMES, treeUnchanged } from './treeCheck';
import type { TreeWatch } from './treeCheck';

/** Entries a result's check may look at; a result that needs more is not reused. */
export const MAX_CHECKED_ENTRIES = 20_000;

/** The files of a git repository that decide what the git tools print, besides its refs. */
function gitFiles(gitDir: string, commonDir: string): string[] {
  return [
    path.join(gitDir, 'HEAD'),
    path.join(gitDir, 'index'),
    path.join(commonDir, 'packed-refs'),
    path.join(commonDir, 'config'),
    path.join(gitDir, 'config.worktree'),
    path.join(commonDir, 'shallow'),
    path.join(commonDir, 'info', 'grafts'),
  ];
}

/** The folders above `dir`, nearest first. */
function foldersAbove(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The ignore and AI-ignore files (and `.git`, which bounds git's) a search under a folder reads from `folder`. */
function ignoreInputs(folder: string): string[] {
  return [...RULE_FILE_NAMES.map((n) => path.join(folder, n)), path.join(folder, '.git'), path.join(folder, '.git', 'info', 'exclude')];
}

class Recording implements ReadRecording {
  private readonly started = Date.now();
  private readonly paths: Array<Promise<PathState>> = [];
  private readonly trees: TreeWatch[] = [];
  private readonly watched = new Set<string>();
  private git = false;
  private volatile = false;

  readonly reads: ToolReads = {
    path: async (abs, options) => {
      // Whether the tools may show it is decided by the AI-ignore files of the folders above it, as they are then.
      await Promise.all([this.addPath(abs, options?.since), ...this.ruleFilesAbove(abs).map((p) => this.addPath(p))]);
    },
    tree: async (root, options) => {
      const under = options.under ?? '';
      // The ignore files above the folder walked apply to it: those of the root's parents, and of the root's
      // folders down to it.
      const folders = foldersAbove(root);
      const parts = under ? under.split('/') : [];
      for (let i = 0; i < parts.length; i++) folders.push(path.join(root, ...parts.slice(0, i)));
      await Promise.all(folders.flatMap(ignoreInputs).map((p) => this.addPath(p)));
      this.trees.push({
        root,
        under,
        ...(options.depth !== undefined ? { depth: options.depth } : {}),
        ignoreRules: true,
        excludeGlobs: [...options.excludeGlobs],
        contents: options.contents,
        since: Math.min(this.started, options.since ?? Infinity),
      });
    },
    git: async (gitDir, commonDir) => {
      this.git = true;
      // A ref that moves is a file under refs/: its folder counts as changed for the watcher's events.
      this.watched.add(path.join(commonDir, 'refs'));
      await Promise.all(gitFiles(gitDir, commonDir).map((p) => this.addPath(p)));
      // Every ref: a new commit, branch or tag moves one of these (or packed-refs).
      this.trees.push({ root: path.join(commonDir, 'refs'), under: '', ignoreRules: false, excludeGlobs: [], contents: true, since: this.started });
    },
    volatile: () => {
      this.volatile = true;
    },
  };

  /** The AI-ignore files (present or not) of the folders above `abs` not yet recorded. */
  private ruleFilesAbove(abs: string): string[] {
    const out: string[] = [];
    for (const folder of foldersAbove(abs)) {
      const first = path.join(folder, AI_IGNORE_FILES[0]!);
      // Recorded from some path before: so were the folders above it.
      if (this.watched.has(first)) break;
      for (const name of AI_IGNORE_FILES) {
        const file = path.join(folder, name);
        if (!this.watched.has(file)) out.push(file);
      }
    }
    return out;
  }

  private addPath(abs: string, readSince?: number): Promise<PathState> {
    this.watched.add(abs);
    const state = capturePath(abs, readSince);
    this.paths.push(state);
    return state;
  }

  async finish(): Promise<ReadRecord | undefined> {
    const paths = await Promise.all(this.paths);
    if (this.volatile || (paths.length === 0 && this.trees.length === 0)) return undefined;
    const trees = this.trees;
    if (paths.length > MAX_CHECKED_ENTRIES) return undefined;
    return {
      paths: [...this.watched],
      git: this.git,
      async unchanged(signal) {
        throwIfAborted(signal);
        const same = await Promise.all(paths.map(pathUnchanged));
        if (same.includes(false)) return false;
        const budget = MAX_CHECKED_ENTRIES - paths.length;
        for (const tree of trees) if (!(await treeUnchanged(tree, budget, signal))) return false;
        return true;
      },
    };
  }
}

/** Records what the Node tools read, and checks it with stats (hashes only for files changed moments before). */
export const nodeReadTracker: ReadTracker = {
  record: () => new Recording(),
};
