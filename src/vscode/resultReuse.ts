import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultCache } from '../core/resultCache';
import { COMMANDS } from '../surfaces/commandIds';
import { formatCount } from '../shared/format';
import { createResultCache } from '../tools/reuse/sessionCache';
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

  constructor() {
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
        this.cache?.clear();
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
    this.cache?.invalidatePaths(paths);
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
      const rel = path.relative(given, fsPath);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return path.join(real, rel);
    }
    return fsPath;
  }
}

export function registerResultReuse(context: vscode.ExtensionContext): ResultReuse {
  const reuse = new ResultReuse();
  context.subscriptions.push(
    reuse,
    vscode.commands.registerCommand(COMMANDS.clearCachedResults, () => {
      const n = reuse.clear();
      void vscode.window.showInformationMessage(
        n === 0 ? 'LLM Compiler: no tool results were kept.' : `LLM Compiler: cleared ${formatCount(n)} kept tool result${n === 1 ? '' : 's'}.`,
      );
    }),
  );
  return reuse;
}
