// Opens a file location the task-graph webview asked for, if it lies inside a workspace folder: the webview is
// treated as untrusted input, so it cannot open arbitrary files.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileLocation } from '../../shared/toolContract';

export async function openFileLocation(location: FileLocation, viewColumn: vscode.ViewColumn): Promise<boolean> {
  const target = await realpathOrUndefined(location.path);
  if (!target || !(await isInsideWorkspace(target))) return false;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
  const start = new vscode.Position((location.line ?? 1) - 1, (location.column ?? 1) - 1);
  const end =
    location.endLine !== undefined
      ? new vscode.Position(location.endLine - 1, location.endColumn !== undefined ? location.endColumn - 1 : Number.MAX_SAFE_INTEGER)
      : start;
  const selection = document.validateRange(new vscode.Range(start, end));
  await vscode.window.showTextDocument(document, { viewColumn, selection, preview: true });
  return true;
}

async function isInsideWorkspace(target: string): Promise<boolean> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const root = (await realpathOrUndefined(folder.uri.fsPath)) ?? folder.uri.fsPath;
    const rel = path.relative(root, target);
    if (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) return true;
  }
  return false;
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  if (!path.isAbsolute(p)) return undefined;
  try {
    return await fs.realpath(p);
  } catch {
    return undefined;
  }
}
