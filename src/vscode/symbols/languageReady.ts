import * as vscode from 'vscode';
import { raceAbort, sleep } from '../../base/abortable';

// A language's provider exists only once its extension has activated, and extensions activate when a document of
// their language opens. A query about a file nobody opened yet would find no provider and answer nothing.

/** Waits between asks while a freshly opened document's language extension starts. */
const RETRY_MS = [250, 500, 1000, 2000];

function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
}

/**
 * Opens the documents (not in an editor), then runs `query`; when something had to be opened and the answer is
 * empty, asks again a few times while the language extension activates.
 */
export async function askWhenReady<T>(uris: readonly vscode.Uri[], signal: AbortSignal, query: () => Thenable<T[] | undefined>): Promise<T[]> {
  let opened = false;
  for (const uri of uris) {
    if (isOpen(uri)) continue;
    try {
      await raceAbort(Promise.resolve(vscode.workspace.openTextDocument(uri)), signal);
      opened = true;
    } catch (error) {
      if (signal.aborted) throw error;
      // Binary or huge files cannot be opened as documents; no provider would answer for them anyway.
    }
  }
  const ask = async () => (await raceAbort(Promise.resolve(query()), signal)) ?? [];
  let result = await ask();
  if (!opened) return result;
  for (const ms of RETRY_MS) {
    if (result.length > 0) break;
    await sleep(ms, signal);
    result = await ask();
  }
  return result;
}
