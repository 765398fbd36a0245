import * as fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { CompilerError } from '../../base/errors';
import { isInside } from '../paths/workspacePath';

/**
 * Where git would find a folder's repository, read from the files git itself reads, before git runs: the nearest
 * `.git` entry at or above the folder, the folder holding it (the work tree's top) and the git folder it names.
 * A repository received as a folder or an archive can aim these elsewhere (a `.git` file's `gitdir:`, a `commondir`
 * file, `core.worktree`), and git would then show another repository's history and files; `checkLayout` refuses
 * that, save for the layouts git creates itself: a linked worktree and a submodule.
 */
export interface GitLayout {
  /** The folder holding the `.git` entry, symlinks resolved; git runs with it as the work tree. */
  top: string;
  /** The `.git` entry (a folder, or a file naming the git folder). */
  dotGit: string;
  /** The git folder, symlinks resolved; git runs with it as its git folder. */
  gitDir: string;
  /** How the `.git` entry names a git folder elsewhere (`file ("gitdir: …")`, `link (to "…")`), for the refusal's wording. */
  pointer?: string;
}

/** A `.git` file, a worktree's `gitdir` or a `commondir` file holds one path; anything longer is not git's. */
const MAX_POINTER_BYTES = 4096;

/** The text of a small regular file, or undefined when there is none (a pipe or device is not opened for reading). */
async function readPointer(file: string): Promise<string | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    if (!(await handle.stat()).isFile()) return undefined;
    const buf = Buffer.alloc(MAX_POINTER_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').replace(/\s+$/, '');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function real(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}

function refused(folder: string, why: string): CompilerError {
  return new CompilerError('path-escape', `The git tools refused the repository of ${folder}: ${why}. They read only this folder's own repository.`);
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/** The nearest `.git` entry at or above `realRoot` and the git folder it names; `unsupported` when there is none. */
export async function findLayout(realRoot: string, folder: string): Promise<GitLayout> {
  for (let d = realRoot; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    const stat = await fs.stat(dotGit).catch(() => undefined);
    if (stat?.isDirectory()) {
      const link = await fs.readlink(dotGit).catch(() => undefined);
      return { top: d, dotGit, gitDir: await real(dotGit), ...(link !== undefined ? { pointer: `link (to ${quoted(link)})` } : {}) };
    }
    if (stat?.isFile()) {
      const text = await readPointer(dotGit);
      const match = text === undefined ? null : /^gitdir: (.+)$/.exec(text.split('\n')[0]!);
      if (!match) throw new CompilerError('unsupported', `${folder} is in a folder whose .git file git cannot use.`);
      return { top: d, dotGit, gitDir: await real(path.resolve(d, match[1]!)), pointer: `file (${quoted(match[0])})` };
    }
    if (path.dirname(d) === d) throw new CompilerError('unsupported', `${folder} is not in a git repository.`);
  }
}

/** True when the git folder is a linked worktree's whose `gitdir` file names this `.git` file (as `git worktree add` writes). */
async function isLinkedWorktree(layout: GitLayout): Promise<boolean> {
  const back = await readPointer(path.join(layout.gitDir, 'gitdir'));
  return back !== undefined && back !== '' && (await real(path.resolve(layout.gitDir, back))) === (await real(layout.dotGit));
}

/**
 * Refuses a layout that leads git to another repository. `worktreeSetting` is the repository's `core.worktree`, if
 * set: git resolves it from the git folder, and only the folder's own work tree is allowed (a submodule's git folder
 * names its work tree so). The work tree is fixed for every git call anyway; this says plainly why a repository is
 * not read.
 */
export async function checkLayout(layout: GitLayout, worktreeSetting: string | undefined, folder: string): Promise<void> {
  const worktree = worktreeSetting ? await real(path.resolve(layout.gitDir, worktreeSetting)) : undefined;
  if (worktree !== undefined && worktree !== layout.top) {
    throw refused(folder, `its config sets core.worktree to ${quoted(worktreeSetting!)}, a work tree other than the folder's own, so git would read the files of another folder`);
  }
  if (!isInside(layout.gitDir, layout.top)) {
    // Outside the work tree, a git folder is this folder's own only when it says so itself.
    if (worktree === layout.top || (await isLinkedWorktree(layout))) return;
    throw refused(
      folder,
      `its .git ${layout.pointer ?? 'folder'} points git at a git folder outside the folder, which is neither a linked worktree of it nor its submodule, so git would read another repository's history`,
    );
  }
  // A git folder with a `commondir` file takes its history and config from there.
  const common = await readPointer(path.join(layout.gitDir, 'commondir'));
  if (common !== undefined && common !== '' && !isInside(await real(path.resolve(layout.gitDir, common)), layout.top)) {
    throw refused(folder, `its git folder's commondir file points git at ${quoted(common)}, outside the folder, so git would read another repository's history`);
  }
}
