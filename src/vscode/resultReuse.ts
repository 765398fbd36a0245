import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultCache } from '../core/resultCache';
import { createResultCache } from '../host/session';
import { COMMANDS } from '../surfaces/commandIds';
import { formatCount, plural } from '../shared/format';
import { isInside } from '../tools/paths/workspacePath';
import { SETTINGS_SECTION, readResultCacheBytes } from './settings';

/** How long file-system events are gathered before the results they affect are dropped. */
const FLUSH_MS = 100;

/**
 * The window's session of tool results: later questions reuse earlier results while what those read is unchanged.
 * Every result is checked before reuse; file-system events (`.git` included) drop the affected ones at once, a change
 * of workspace folders drops all, and "Clear Cached Results" does on request.
 */
export class ResultReuse implements vscode.Disposable {
  private cache: ResultCache | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Workspace folders as VS Code names them, and as the tools see them (symlinks resolved). */
  private folders: Array<{ given: string; real: string }> = [];
  private readonly pending = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  /** `log` hears what was dropped and why (the run log). */
  constructor(private readonly log?: (line: string) => void) {
    this.cache = this.build();
    this.readFolders();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    // Events come in bursts (a checkout, a build): they are dropped in one pass a moment later.
    const changed = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      this.pending.add(this.realPath(uri.fsPath));
      this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(changed),
      watcher.onDidCreate(changed),
      watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.readFolders();
        const n = this.clear();
        if (n > 0) this.log?.(`reuse: dropped ${keptResults(n)} (workspace folders changed)`);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.resultCache`)) this.cache = this.build();
      }),
    );
  }

  /** The cache for the next run; undefined when reuse is turned off. */
  get current(): ResultCache | undefined {
    return this.cache;
  }

  /** Forgets every kept result; returns how many there were. */
  clear(): number {
    const entries = this.cache?.stats.entries ?? 0;
    this.cache?.clear();
    return entries;
  }

  private flush(): void {
    this.flushTimer = undefined;
    const paths = [...this.pending];
    this.pending.clear();
    const n = this.cache?.invalidatePaths(paths) ?? 0;
    if (n > 0) this.log?.(`reuse: dropped ${keptResults(n)} (changed: ${this.describe(paths)})`);
  }

  /** The first few changed paths, relative to their folder. */
  private describe(paths: readonly string[]): string {
    const shown = paths.slice(0, 3).map((p) => {
      const folder = this.folders.find(({ real }) => isInside(p, real));
      return folder ? path.relative(folder.real, p).split(path.sep).join('/') || '.' : p;
    });
    return `${shown.join(', ')}${paths.length > shown.length ? ` and ${formatCount(paths.length - shown.length)} more` : ''}`;
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
    this.cache?.clear();
  }

  private build(): ResultCache | undefined {
    const maxBytes = readResultCacheBytes(vscode.workspace);
    return maxBytes > 0 ? createResultCache({ maxBytes }) : undefined;
  }

  private readFolders(): void {
    this.folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => {
        const given = f.uri.fsPath;
        let real = given;
        try {
          real = fs.realpathSync(given);
        } catch {
          // A folder that is gone keeps its name; its results go with the folder change.
        }
        return { given, real };
      });
  }

  /** A watched path in the tools' terms: the folder's part with symlinks resolved, as the tools record paths. */
  private realPath(fsPath: string): string {
    for (const { given, real } of this.folders) {
      if (isInside(fsPath, given)) return path.join(real, path.relative(given, fsPath));
    }
    return fsPath;
  }
}

function keptResults(n: number): string {
  return plural(n, 'kept tool result');
}

export function registerResultReuse(context: vscode.ExtensionContext, log?: vscode.LogOutputChannel): ResultReuse {
  const reuse = new ResultReuse(log ? (line) => log.info(line) : undefined);
  context.subscriptions.push(
    reuse,
    vscode.commands.registerCommand(COMMANDS.clearCachedResults, () => {
      const n = reuse.clear();
      if (n > 0) log?.info(`reuse: dropped ${keptResults(n)} (Clear Cached Results)`);
      void vscode.window.showInformationMessage(n === 0 ? 'LLM Compiler: no tool results were kept.' : `LLM Compiler: cleared ${keptResults(n)}.`);
    }),
  );
  return reuse;
}
