import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob } from './globMatch';
import type { GlobMatcher } from './globMatch';
import type { IgnoreFile } from './ignoreFile';
import { readIgnoreFile, readIgnoreFileSync } from './ignoreFileCache';
import { toPosix } from './workspacePath';

/** The ignore files of one folder. */
interface FolderRules {
  /** The folder, absolute. */
  abs: string;
  rgignore?: IgnoreFile;
  dotIgnore?: IgnoreFile;
  gitignore?: IgnoreFile;
  gitExclude?: IgnoreFile;
  /** The folder holds `.git`: `.gitignore` files above it do not apply. */
  hasGit: boolean;
}

type Category = 'rgignore' | 'dotIgnore' | 'gitignore' | 'gitExclude';
/** ripgrep's precedence: `.rgignore` over `.ignore` over `.gitignore` over git's exclude file. */
const CATEGORIES: readonly Category[] = ['rgignore', 'dotIgnore', 'gitignore', 'gitExclude'];

const FILES: ReadonlyArray<[Category, string[]]> = [
  ['rgignore', ['.rgignore']],
  ['dotIgnore', ['.ignore']],
  ['gitignore', ['.gitignore']],
  ['gitExclude', ['.git', 'info', 'exclude']],
];

async function loadFolder(abs: string): Promise<FolderRules> {
  const gitStat = await fs.promises.lstat(path.join(abs, '.git')).catch(() => undefined);
  const rules: FolderRules = { abs, hasGit: gitStat !== undefined };
  await Promise.all(
    FILES.map(async ([category, parts]) => {
      if (category === 'gitExclude' && !gitStat?.isDirectory()) return;
      const file = await readIgnoreFile(path.join(abs, ...parts));
      if (file) rules[category] = file;
    }),
  );
  return rules;
}

function loadFolderSync(abs: string): FolderRules {
  const gitStat = fs.lstatSync(path.join(abs, '.git'), { throwIfNoEntry: false });
  const rules: FolderRules = { abs, hasGit: gitStat !== undefined };
  for (const [category, parts] of FILES) {
    if (category === 'gitExclude' && !gitStat?.isDirectory()) continue;
    const file = readIgnoreFileSync(path.join(abs, ...parts));
    if (file) rules[category] = file;
  }
  return rules;
}

function parentFolders(root: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    out.push(dir);
    if (path.dirname(dir) === dir) return out;
  }
}

/**
 * What ripgrep skips under one workspace root, for the JavaScript fallback and for checking rg's own results:
 * `.git`, the extra exclude globs, and `.gitignore` / `.ignore` / `.rgignore` / `.git/info/exclude` in the root, its
 * subfolders and its parent folders (`.gitignore` only up to the repository's top). Global git excludes are not read
 * (rg runs with `--no-ignore-global` to match).
 */
export class IgnoreRules {
  private readonly loaded = new Map<string, FolderRules>();
  private readonly loading = new Map<string, Promise<FolderRules>>();
  private parents: FolderRules[] | undefined;
  private readonly excludes: GlobMatcher[];

  constructor(
    readonly root: string,
    excludeGlobs: readonly string[] = [],
  ) {
    this.excludes = excludeGlobs.map(compileGlob);
  }

  /** Loads the ignore files of folder `dirRel` (root-relative) and of the root's parents; idempotent. */
  async prepare(dirRel: string): Promise<void> {
    this.parents ??= await Promise.all(parentFolders(this.root).map(loadFolder));
    if (this.loaded.has(dirRel)) return;
    let pending = this.loading.get(dirRel);
    if (!pending) {
      pending = loadFolder(path.join(this.root, dirRel));
      this.loading.set(dirRel, pending);
    }
    this.loaded.set(dirRel, await pending);
  }

  /** `prepare` without waiting, for checks made while a ripgrep stream is being read. */
  prepareSync(dirRel: string): void {
    this.parents ??= parentFolders(this.root).map(loadFolderSync);
    if (!this.loaded.has(dirRel)) this.loaded.set(dirRel, loadFolderSync(path.join(this.root, dirRel)));
  }

  /**
   * Whether the entry at `rel` (root-relative, `/`-separated) is skipped, its parent folders being walked into.
   * The folders on the way must have been prepared.
   */
  ignores(rel: string, isDir: boolean): boolean {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (name === '.git') return true;
    for (const exclude of this.excludes) if (exclude(rel, isDir)) return true;

    // Deepest folder first: a nearer ignore file overrides a farther one.
    const chain: Array<{ rules: FolderRules; target: string }> = [];
    for (let cut = rel.lastIndexOf('/'); ; cut = rel.lastIndexOf('/', cut - 1)) {
      const rules = this.loaded.get(cut < 0 ? '' : rel.slice(0, cut));
      if (rules) chain.push({ rules, target: rel.slice(cut + 1) });
      if (cut < 0) break;
    }
    for (const rules of this.parents ?? []) {
      chain.push({ rules, target: `${toPosix(path.relative(rules.abs, this.root))}/${rel}` });
    }

    for (const category of CATEGORIES) {
      for (const { rules, target } of chain) {
        const verdict = rules[category]?.match(target, isDir);
        if (verdict) return verdict === 'ignore';
        // Git's rules stop at the repository's top.
        if (rules.hasGit && (category === 'gitignore' || category === 'gitExclude')) break;
      }
    }
    return false;
  }

  /** Whether `rel` or any folder above it is skipped; loads what it needs synchronously. */
  ignoresPathSync(rel: string, isDir: boolean): boolean {
    this.prepareSync('');
    let cut = rel.indexOf('/');
    for (; cut >= 0; cut = rel.indexOf('/', cut + 1)) {
      const dir = rel.slice(0, cut);
      if (this.ignores(dir, true)) return true;
      this.prepareSync(dir);
    }
    return this.ignores(rel, isDir);
  }
}
