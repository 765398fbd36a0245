import type { Tool } from '../shared/toolContract';
import { createDefinitionTool } from './symbols/definition';
import { createFindFilesTool } from './search/findFiles';
import { createGitBlameTool } from './git/gitBlame';
import { createGitDiffTool } from './git/gitDiff';
import { createGitLogTool } from './git/gitLog';
import { createGitShowTool } from './git/gitShow';
import { createGrepTool } from './search/grep';
import { createListDirTool } from './files/listDir';
import { createOutlineTool } from './symbols/outline';
import { createReadFileTool } from './files/readFile';
import { createReferencesTool } from './symbols/references';
import { ReadPolicy } from './paths/readPolicy';
import { findRipgrep } from './search/ripgrepPath';
import { createSymbolsTool } from './symbols/symbols';
import type { NodeToolDeps } from './toolDeps';
import { SymbolProjects } from './symbols/tsProjects';
import { withSecretsWithheld } from './secrets/withheldOutput';

export interface NodeToolOptions {
  /** ripgrep to use; when absent, VS Code's bundled one under `appRoot`, then `rg` on PATH (see `findRipgrep`). */
  ripgrepPath?: string;
  /** VS Code's `appRoot`, where its bundled ripgrep lives. */
  appRoot?: string;
  /** False forces the JavaScript implementation of find_files and grep even when ripgrep exists. */
  useRipgrep?: boolean;
  /** Extra exclusions on top of ignore files, gitignore-style globs (e.g. VS Code's `files.exclude` and `search.exclude` keys that are on). */
  excludeGlobs?: string[];
  /** Names of the tools to create; all when absent. */
  include?: string[];
  /** False leaves out the TypeScript-based symbols/definition/references/outline (e.g. when the editor provides its own). */
  symbolTools?: boolean;
  /** The git executable (default `git` on PATH). */
  gitPath?: string;
  /** More files the tools never read, gitignore-style globs after the built-in secret rules (`!` allows one). */
  protectedGlobs?: string[];
  /** list_dir and find_files show the names of protected files, marked so (default: they leave them out). */
  listProtectedFiles?: boolean;
}

type ToolFactory = (deps: NodeToolDeps) => Tool;

/** Every Node tool, in the order the planner sees them. A new tool is one file and one line here. */
const TOOLS: ReadonlyArray<{ make: ToolFactory; symbol?: true }> = [
  { make: createListDirTool },
  { make: createFindFilesTool },
  { make: createGrepTool },
  { make: createReadFileTool },
  { make: createSymbolsTool, symbol: true },
  { make: createDefinitionTool, symbol: true },
  { make: createReferencesTool, symbol: true },
  { make: createOutlineTool, symbol: true },
  { make: createGitLogTool },
  { make: createGitShowTool },
  { make: createGitBlameTool },
  { make: createGitDiffTool },
];

/**
 * The workspace tools for plain Node (CLI, tests, benchmark) and the extension's fallback; pass to a `ToolRegistry`.
 * Every output has its private keys and tokens withheld (see `withSecretsWithheld`).
 */
export function createNodeTools(options: NodeToolOptions = {}): Tool[] {
  return createNodeToolSet(options).tools;
}

/**
 * The workspace tools and what lets go of them: `close` ends the symbol tools' worker threads, each holding a built
 * language service; a later symbol call starts a new one.
 */
export function createNodeToolSet(options: NodeToolOptions = {}): { tools: Tool[]; close(): void } {
  const ripgrep = options.useRipgrep === false ? undefined : findRipgrep({ ripgrepPath: options.ripgrepPath, appRoot: options.appRoot });
  const search = { ripgrep, excludeGlobs: [...(options.excludeGlobs ?? [])] };
  const protectedGlobs = [...(options.protectedGlobs ?? [])];
  const symbols = new SymbolProjects(search, protectedGlobs);
  const deps: NodeToolDeps = {
    search,
    gitPath: options.gitPath ?? 'git',
    symbols,
    readPolicy: () => new ReadPolicy(protectedGlobs),
    listProtectedFiles: options.listProtectedFiles ?? false,
  };
  const tools = TOOLS.filter((t) => options.symbolTools !== false || !t.symbol)
    .map((t) => withSecretsWithheld(t.make(deps)))
    .filter((tool) => !options.include || options.include.includes(tool.name));
  return { tools, close: () => symbols.close() };
}
