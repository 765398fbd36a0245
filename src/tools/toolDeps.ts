import type { ReadPolicy } from './paths/readPolicy';
import type { SymbolProjects } from './symbols/tsProjects';
import type { SearchBackend } from './search/workspaceSearch';

/** What the Node tools share, built once by `createNodeTools`. */
export interface NodeToolDeps {
  search: SearchBackend;
  /** The git executable (default `git` on PATH). */
  gitPath: string;
  /** TypeScript language services per set of roots, built on first use. */
  symbols: SymbolProjects;
  /** What the tools may read, made for one call (project ignore files are read again when they change). */
  readPolicy(): ReadPolicy;
  /**
   * Whether list_dir and find_files show the names of protected files (marked so), for a user who asks about them;
   * by default they leave them out. `.git` internals are never listed.
   */
  listProtectedFiles?: boolean;
}
