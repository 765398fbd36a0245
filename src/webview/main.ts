// The task-graph webview's entry point (bundled to dist/webview.js).
import { isHostMessage } from '../shared/protocol';
import { loadDagre } from './graphLayout';
import { PanelApp } from './panelApp';
import { connectToHost } from './vscodeApi';

void loadDagre().then((dagre) => {
  const host = connectToHost();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const app = new PanelApp(root, host, dagre);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    // Anything else on the window (e.g. from an extension's other frames) is ignored.
    if (isHostMessage(e.data)) app.receive(e.data);
  });
  // The host holds its messages until it hears this.
  host.post({ type: 'ready' });
});
