import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CompilerError } from '../../base/errors';
import type { FileLocation, ToolReads } from '../../shared/toolContract';

/** A workspace path after confinement: inside a root once symlinks are followed. */
export interface ResolvedPath {
  /** Absolute, symlinks resolved. */
  abs: string;
  /** The root that holds it. */
  root: string;
  /** Relative to `root`, `/`-separated; `''` for the root itself. */
  rel: string;
  /** What tools print: `rel` (or `.`), prefixed with the root's name in a multi-root workspace. */
  display: string;
  exists: boolean;
  /** The path as given, absolute, links not followed: where a re-pointed link would now lead. */
  given: string;
}

export interface ResolveOptions {
  /** Default true: a missing path is a `not-found` error. When false, only confinement is checked. */
  mustExist?: boolean;
}

/** `/`-separated form of a relative path, for display, globs and ignore rules. */
export function toPosix(rel: string): string {
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Display names of the roots: folder names, made unique, used as prefixes in multi-root output. */
export function rootNames(roots: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return roots.map((root) => {
    const base = path.basename(root) || root;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

/** The root holding `abs` (the most specific one when roots nest), or undefined. */
export function rootOf(abs: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const root of roots) if (isInside(abs, root) && (!best || root.length > best.length)) best = root;
  return best;
}

/** How tools print an absolute path that lies in a root. */
export function displayPath(abs: string, roots: readonly string[]): string {
  const root = rootOf(abs, roots);
  if (root === undefined) return toPosix(abs);
  const rel = toPosix(path.relative(root, abs));
  if (roots.length === 1) return rel || '.';
  const name = rootNames(roots)[roots.indexOf(root)];
  return rel ? `${name}/${rel}` : name;
}

/**
 * Display path, absolute path and location of a file known by its root and root-relative path; cheaper than the
 * absolute-path forms (no path arithmetic), which matters for thousands of search results.
 */
export function rootedFile(root: string, rel: string, roots: readonly string[]): { abs: string; display: string; location: FileLocation } {
  const abs = path.sep === '/' ? `${root}/${rel}` : path.join(root, ...rel.split('/'));
  const display = roots.length === 1 ? rel : `${rootNames(roots)[roots.indexOf(root)]}/${rel}`;
  return { abs, display, location: { path: abs, relPath: rel } };
}

export function fileLocation(
  abs: string,
  roots: readonly string[],
  pos: Omit<FileLocation, 'path' | 'relPath'> = {},
): FileLocation {
  const root = rootOf(abs, roots);
  const relPath = root === undefined ? toPosix(abs) : toPosix(path.relative(root, abs));
  return { path: abs, relPath, ...pos };
}

const realRoots = new Map<string, Promise<string>>();

/** Roots are given resolved, but a caller may pass a symlinked one; resolving once keeps the checks honest. */
function realRoot(root: string): Promise<string> {
  let real = realRoots.get(root);
  if (!real) {
    real = fs.realpath(root).catch(() => root);
    realRoots.set(root, real);
  }
  return real;
}

function escape(input: string, why: string): CompilerError {
  return new CompilerError('path-escape', `Path "${input}" ${why}; only paths inside the workspace can be used.`);
}

async function exists(abs: string): Promise<boolean> {
  try {
    await fs.lstat(abs);
    return true;
  } catch {
    return false;
  }
}

/** The candidates a relative path may name: in a multi-root workspace `name/rest` picks a root, else every root. */
function candidates(input: string, roots: readonly string[]): Array<{ root: string; abs: string }> {
  const out: Array<{ root: string; abs: string }> = [];
  if (roots.length > 1) {
    const names = rootNames(roots);
    const [first, ...rest] = input.split(/[\\/]+/);
    const i = names.indexOf(first);
    if (i >= 0) out.push({ root: roots[i], abs: path.resolve(roots[i], rest.join('/')) });
  }
  for (const root of roots) out.push({ root, abs: path.resolve(root, input) });
  return out;
}

/**
 * Resolves a path argument and confines it to the workspace: `..` escapes, absolute paths elsewhere, `~` and
 * symlinks that lead out are refused with `path-escape`; a missing path is `not-found` (unless allowed).
 */
export async function resolveWorkspacePath(
  input: string,
  roots: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolvedPath> {
  const mustExist = options.mustExist ?? true;
  if (roots.length === 0) throw new CompilerError('not-found', 'No workspace folder is open.');
  if (input.includes('\0')) throw new CompilerError('invalid-args', 'Path contains a NUL character.');
  if (input.startsWith('~')) throw escape(input, 'names a home directory, outside the workspace');

  let picked: { root: string; abs: string } | undefined;
  if (path.isAbsolute(input)) {
    const abs = path.resolve(input);
    const root = rootOf(abs, roots);
    if (root === undefined) throw escape(input, 'is outside the workspace');
    picked = { root, abs };
  } else {
    const all = candidates(input === '' ? '.' : input, roots);
    const escaping = all.find((c) => !isInside(c.abs, c.root));
    if (escaping) throw escape(input, 'leads outside the workspace');
    for (const c of all) {
      if (await exists(c.abs)) {
        picked = c;
        break;
      }
    }
    picked ??= all[0];
  }

  const realRootList = await Promise.all(roots.map(realRoot));
  let real: string;
  let found = true;
  try {
    real = await fs.realpath(picked.abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new CompilerError('tool-failed', `Cannot access "${input}": ${(error as Error).message}`, { cause: error });
    }
    found = false;
    real = await realOfMissing(picked.abs, input, realRootList);
  }
  const realRootHolding = rootOf(real, realRootList);
  if (realRootHolding === undefined) throw escape(input, 'is a symbolic link (or under one) that leads outside the workspace');
  if (!found && mustExist) throw new CompilerError('not-found', `No such file or folder: ${input}`);

  // Report the path under the root as the caller knows it, not its realpath spelling.
  const root = roots[realRootList.indexOf(realRootHolding)];
  const abs = path.join(root, path.relative(realRootHolding, real));
  const rel = toPosix(path.relative(root, abs));
  return { abs, root, rel, display: displayPath(abs, roots), exists: found, given: picked.abs };
}

/**
 * Records a resolved path for reuse: what it leads to, and the path as given when links led there, whose state
 * follows the links as they are at each check (a link re-pointed later changes it).
 */
export async function recordResolved(reads: ToolReads | undefined, target: { abs: string; given: string }): Promise<void> {
  if (!reads) return;
  await Promise.all([reads.path(target.abs), ...(target.given !== target.abs ? [reads.path(target.given)] : [])]);
}

/** For a missing path: the realpath of its nearest existing ancestor with the rest appended; a dangling symlink counts by its target. */
async function realOfMissing(abs: string, input: string, realRootList: string[]): Promise<string> {
  try {
    const stat = await fs.lstat(abs);
    if (stat.isSymbolicLink()) {
      const target = path.resolve(path.dirname(abs), await fs.readlink(abs));
      if (rootOf(target, realRootList) === undefined) throw escape(input, 'is a symbolic link that leads outside the workspace');
    }
  } catch (error) {
    if (error instanceof CompilerError) throw error;
  }
  let dir = abs;
  const rest: string[] = [];
  for (;;) {
    const parent = path.dirname(dir);
    rest.unshift(path.basename(dir));
    if (parent === dir) return abs;
    dir = parent;
    try {
      return path.join(await fs.realpath(dir), ...rest);
    } catch {
      // keep climbing
    }
  }
}
