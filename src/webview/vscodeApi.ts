// The one handle the webview has on VS Code: posting messages and keeping a little state across reloads.
import type { WebviewMessage } from '../shared/protocol';

/** What survives the page being torn down when the panel is hidden. */
export interface SavedState {
  runId?: string;
  /** Follow new runs as they start, unless the user picked an older one. */
  follow: boolean;
  /** The selected graph node's key. */
  selected?: string;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection {
  post(message: WebviewMessage): void;
  loadState(): SavedState;
  saveState(state: SavedState): void;
}

export function connectToHost(): HostConnection {
  // May be called once per page load.
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => {
      const raw = api.getState() as Partial<SavedState> | undefined;
      return {
        follow: raw?.follow !== false,
        ...(typeof raw?.runId === 'string' ? { runId: raw.runId } : {}),
        ...(typeof raw?.selected === 'string' ? { selected: raw.selected } : {}),
      };
    },
    saveState: (state) => api.setState(state),
  };
}
