import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { CompilerError, abortError, throwIfAborted } from '../../base/errors';
import { displayPath } from '../files/workspacePath';

/**
 * Fixed settings for every call: UTF-8 paths unquoted, no colours or signatures, and no fsmonitor hook (a
 * repository's config must not start programs behind a read-only question).
 */
const GIT_CONFIG = ['core.quotepath=false', 'core.fsmonitor=false', 'color.ui=false', 'log.showSignature=false'];

/**
 * Global options before every subcommand: reading never takes git's optional index lock (it would collide with the
 * user's own git), and paths after `--` are literal, not pathspec patterns.
 */
const GLOBAL_OPTIONS = ['--no-optional-locks', '--literal-pathspecs'];

/** Diff options of git_show and git_diff: no external diff programs or text conversion, renames detected. */
export const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '-M'];

/** A git repository seen from one workspace root. */
export interface GitRepo {
  /** The workspace root; git runs there and paths after `--` are relative to it. */
  root: string;
  /** The repository's top folder; git prints paths relative to it. */
  top: string;
  run(args: readonly string[]): Promise<string>;
  runBinary(args: readonly string[]): Promise<Buffer>;
}

async function hasGitAbove(dir: string): Promise<boolean> {
  for (let d = dir; ; d = path.dirname(d)) {
    if (await fs.lstat(path.join(d, '.git')).then(() => true, () => false)) return true;
    if (path.dirname(d) === d) return false;
  }
}

function failure(error: unknown, args: readonly string[], signal: AbortSignal): Error {
  if (signal.aborted) return abortError(signal.reason);
  const message = error instanceof Error ? error.message.trim() : String(error);
  return new CompilerError('tool-failed', `git ${args.find((a) => !a.startsWith('-')) ?? ''} failed: ${message}`, { cause: error });
}

/** Opens the repository holding `root`; `unsupported` when there is none. Every call honours `signal`. */
export async function openRepo(root: string, roots: readonly string[], signal: AbortSignal, gitPath = 'git'): Promise<GitRepo> {
  throwIfAborted(signal);
  if (!(await hasGitAbove(root))) {
    throw new CompilerError('unsupported', `${displayPath(root, roots)} is not in a git repository.`);
  }
  const git: SimpleGit = simpleGit({
    baseDir: root,
    binary: gitPath,
    abort: signal,
    config: GIT_CONFIG,
    trimmed: false,
    maxConcurrentProcesses: 4,
    unsafe: { allowUnsafeFsMonitor: true, allowUnsafeCustomBinary: gitPath !== 'git' },
  });
  const run = async (args: readonly string[]): Promise<string> => {
    try {
      return await git.raw([...GLOBAL_OPTIONS, ...args]);
    } catch (error) {
      throw failure(error, args, signal);
    }
  };
  const runBinary = async (args: readonly string[]): Promise<Buffer> => {
    try {
      return await git.binaryCatFile([...args]);
    } catch (error) {
      throw failure(error, args, signal);
    }
  };
  const top = path.resolve((await run(['rev-parse', '--show-toplevel'])).trim());
  return { root, top: await fs.realpath(top).catch(() => top), run, runBinary };
}

/** Characters a revision may use: names, hashes, `~N`, `^N`, `@{...}`. No spaces, no `:` (that would name a file). */
const REV_SYNTAX = /^[A-Za-z0-9_@][A-Za-z0-9_./~^@{}+-]*$/;

/** Checks a revision argument's shape; it never reaches git as an option. */
export function checkRev(rev: string, param: string): string {
  if (!rev || rev.length > 200 || !REV_SYNTAX.test(rev) || rev.includes('..')) {
    throw new CompilerError('invalid-args', `Parameter ${param}: "${rev}" is not a revision (e.g. HEAD, HEAD~2, main, a commit hash, a tag).`);
  }
  return rev;
}

/** Resolves a revision to the full hash of its commit; `not-found` if the repository has no such commit. */
export async function resolveCommit(repo: GitRepo, rev: string, param: string): Promise<string> {
  checkRev(rev, param);
  const hash = (await repo.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new CompilerError('not-found', `Unknown revision "${rev}".`);
  return hash;
}

/** Absolute path of a path git printed (relative to the repository's top). */
export function repoPath(repo: GitRepo, gitRel: string): string {
  return path.join(repo.top, ...gitRel.split('/'));
}

/** The pathspec for a root-relative path: `.` stands for the root itself. */
export function pathspec(rel: string): string {
  return rel === '' ? '.' : rel;
}
