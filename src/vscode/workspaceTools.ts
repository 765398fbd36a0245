import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ToolSource } from '../host/toolSource';
import type { Tool } from '../shared/toolContract';
import * as path from 'node:path';
import { createNodeToolSet } from '../tools/nodeTools';
import { ToolSetBySettings } from '../host/toolSetBySettings';
import { SYMBOL_TOOL_NAMES, rankDeclaringFiles } from '../tools/symbols/symbolContract';
import { findRipgrep } from '../tools/search/ripgrepPath';
import type { SearchBackend } from '../tools/search/workspaceSearch';
import { searchTargets, searchText } from '../tools/search/workspaceSearch';
import type { FileFinder } from './symbols/symbolTarget';
import { readExcludeGlobs, readListProtectedFiles, readProtectedGlobs, readRunSettings } from './settings';
import { createVsCodeSymbolTools } from './symbols/symbolTools';
import { withSecretsWithheld } from '../tools/secrets/withheldOutput';

/**
 * Tools left out in an untrusted workspace. git reads the repository's own config, which can name programs to run
 * (`core.fsmonitor`, `diff.external`, filters); the other tools only read files.
 */
export function untrustedExclusions(names: readonly string[]): string[] {
  return names.filter((n) => n.startsWith('git_'));
}

/** The workspace folders on disk, symlinks resolved (the tools compare real paths). */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => {
      try {
        return fs.realpathSync(f.uri.fsPath);
      } catch {
        return f.uri.fsPath;
      }
    });
}

/** Files mentioning `word` as a whole word, those that seem to declare it first. */
export function fileFinder(backend: SearchBackend): FileFinder {
  return async (word, roots, signal) => {
    const pattern = `\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`;
    const { files } = await searchText(backend, searchTargets(roots, undefined), { pattern, regex: true, caseSensitive: true, contextLines: 0 }, signal, 200);
    return rankDeclaringFiles(files.map((f) => ({ file: path.join(f.root, f.rel), lines: f.lines })));
  };
}

const toolSets = new ToolSetBySettings();

/** The Node tools with VS Code's symbol tools in place of the TypeScript-only ones; kept while the excludes are the same. */
function allTools(): Tool[] {
  const globs = readExcludeGlobs(vscode.workspace);
  const protectedGlobs = readProtectedGlobs(vscode.workspace);
  const listProtectedFiles = readListProtectedFiles(vscode.workspace);
  const key = JSON.stringify([globs, protectedGlobs, listProtectedFiles]);
  return toolSets.tools(key, () => {
    const ripgrepPath = findRipgrep({ appRoot: vscode.env.appRoot });
    const node = createNodeToolSet({ ripgrepPath, excludeGlobs: globs, protectedGlobs, listProtectedFiles });
    const symbolNames: readonly string[] = SYMBOL_TOOL_NAMES;
    const fallbacks = new Map(node.tools.filter((t) => symbolNames.includes(t.name)).map((t) => [t.name, t]));
    const finder = fileFinder({ ripgrep: ripgrepPath, excludeGlobs: globs });
    // VS Code's symbol tools show the editor's texts: they pass the same check as the Node tools.
    const replacements = new Map(createVsCodeSymbolTools(fallbacks, finder, protectedGlobs).map((t) => [t.name, withSecretsWithheld(t)]));
    const tools = node.tools.map((t) => replacements.get(t.name) ?? t);
    for (const [name, tool] of replacements) if (!fallbacks.has(name)) tools.push(tool);
    return { tools, close: node.close };
  });
}

/** The names of every workspace tool, whether settings or Workspace Trust leave it out or not: names no other tool may take. */
export function workspaceToolNames(): string[] {
  return allTools().map((t) => t.name);
}

/**
 * The window's workspace tools as a session's source: at each question, `llmCompiler.tools` decides which tools, and
 * Workspace Trust may remove some.
 */
export function workspaceToolSource(): ToolSource {
  return {
    name: 'workspace',
    tools: () => {
      const include = readRunSettings(vscode.workspace).tools;
      let tools = allTools();
      if (include) tools = tools.filter((t) => include.includes(t.name));
      if (!vscode.workspace.isTrusted) {
        const excluded = untrustedExclusions(tools.map((t) => t.name));
        tools = tools.filter((t) => !excluded.includes(t.name));
      }
      return tools;
    },
  };
}
