// The live task-graph panel: one webview panel beside the chat, fed from the run store.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../shared/protocol';
import { isWebviewMessage } from '../../shared/protocol';
import { COMMANDS, GRAPH_VIEW_TYPE } from '../../surfaces/commandIds';
import { openFileLocation } from './openLocation';
import { panelHtml } from './panelHtml';
import { ReadyQueue } from './readyQueue';
import type { RunStore } from './runStore';


export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;

  private readonly queue: ReadyQueue<HostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Opens the panel beside the chat, or reveals it; with `runId`, switches it to that run. */
  static show(extensionUri: vscode.Uri, store: RunStore, runId?: string): GraphPanel {
    let panel = GraphPanel.current;
    if (panel) {
      panel.panel.reveal(undefined, true);
    } else {
      const webviewPanel = vscode.window.createWebviewPanel(
        GRAPH_VIEW_TYPE,
        'Task Graph',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        webviewOptions(extensionUri),
      );
      panel = new GraphPanel(webviewPanel, extensionUri, store);
    }
    if (runId) panel.showRun(runId);
    return panel;
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(webviewPanel: vscode.WebviewPanel, extensionUri: vscode.Uri, store: RunStore): GraphPanel {
    GraphPanel.current?.dispose();
    webviewPanel.webview.options = webviewOptions(extensionUri);
    return new GraphPanel(webviewPanel, extensionUri, store);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly store: RunStore,
  ) {
    GraphPanel.current = this;
    this.queue = new ReadyQueue((message) => void panel.webview.postMessage(message));
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      // A hidden panel's page is torn down (no retained context); it says `ready` again when shown.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.queue.reset();
      }),
      panel.onDidDispose(() => this.dispose()),
      toDisposable(store.onEvent((runId, event) => this.queue.post({ type: 'event', runId, event }))),
      toDisposable(store.onDidChangeRuns(() => this.queue.post({ type: 'runs', runs: store.runs() }))),
    );
  }

  /** Switches the panel to a run, if the store still has it. */
  showRun(runId: string): void {
    const events = this.store.events(runId);
    if (events) this.queue.post({ type: 'showRun', runId, events: [...events] });
    else this.queue.post({ type: 'runs', runs: this.store.runs() });
  }

  /** The open panel, if any. */
  static get open(): GraphPanel | undefined {
    return GraphPanel.current;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) return;
    const m: WebviewMessage = message;
    switch (m.type) {
      case 'ready':
        // What was queued first (e.g. a run to show), then the list the page picks its run from.
        this.queue.markReady();
        this.queue.post({ type: 'runs', runs: this.store.runs() });
        break;
      case 'selectRun':
        this.showRun(m.runId);
        break;
      case 'cancel':
        this.store.cancel(m.runId);
        break;
      case 'openLocation': {
        // Files open in an editor group of their own, not over the panel.
        const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
        openFileLocation(m.location, column).then(
          (opened) => {
            if (!opened) void vscode.window.showWarningMessage(`LLM Compiler: ${m.location.relPath} is not inside a workspace folder.`);
          },
          (error: unknown) => void vscode.window.showErrorMessage(`LLM Compiler: cannot open ${m.location.relPath}: ${String(error)}`),
        );
        break;
      }
    }
  }
}

export interface GraphPanelHandle extends vscode.Disposable {
  /** Opens or reveals the panel; with `runId`, shows that run. */
  show(runId?: string): void;
}

/** Registers the Show Task Graph command and the panel's restore after a reload. */
export function registerGraphPanel(context: vscode.ExtensionContext, runStore: RunStore): GraphPanelHandle {
  const extensionUri = context.extensionUri;
  const show = (runId?: string) => void GraphPanel.show(extensionUri, runStore, runId);
  const registrations = [
    vscode.commands.registerCommand(COMMANDS.showTaskGraph, (runId?: unknown) => show(typeof runId === 'string' ? runId : undefined)),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel) {
        GraphPanel.revive(webviewPanel, extensionUri, runStore);
      },
    }),
  ];
  const handle: GraphPanelHandle = {
    show,
    dispose: () => {
      for (const r of registrations) r.dispose();
      GraphPanel.open?.dispose();
    },
  };
  context.subscriptions.push(handle);
  return handle;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
