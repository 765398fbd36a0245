import * as vscode from 'vscode';

// The core speaks AbortSignal, VS Code speaks CancellationToken; these are the only two conversions. Each returns a
// `dispose` that detaches it, so a long-lived signal or token does not collect listeners call after call.

/** A token cancelled when the signal aborts (at once if it already has). */
export function tokenFromSignal(signal: AbortSignal): { token: vscode.CancellationToken; dispose(): void } {
  const source = new vscode.CancellationTokenSource();
  const onAbort = () => source.cancel();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    token: source.token,
    dispose: () => {
      signal.removeEventListener('abort', onAbort);
      source.dispose();
    },
  };
}

/** A signal aborted when the token is cancelled (at once if it already is). */
export function signalFromToken(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
