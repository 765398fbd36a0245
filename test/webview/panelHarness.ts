// Loads the task-graph webview in headless chromium with the panel's real HTML and CSP, VS Code-like dark theme
// variables, and a fake host behind `acquireVsCodeApi` that answers `ready` and `selectRun` like the extension does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Disposable, Page, Request } from 'playwright-core';
import type { RunListItem, WebviewMessage } from '../../src/shared/protocol';
import type { CompilerEvent } from '../../src/shared/runEvents';
import { panelHtml } from '../../src/vscode/panel/panelHtml';
import type { SavedState } from '../../src/webview/vscodeApi';

const repoRoot = path.resolve(__dirname, '../..');
export const chromiumPath = process.env.LLMC_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test-results', 'webview');
const ORIGIN = 'https://webview.test';

export function chromiumAvailable(): boolean {
  return fs.existsSync(chromiumPath);
}

/**
 * Chromium's headless mode preloads two omnibox-popup WebUI pages for every window, and they keep a core busy while
 * a page is open (an 18-page run: 46 s of CPU with them, 15 s without). Chromium keeps only the last
 * `--disable-features`, so Playwright's own list is repeated here with them.
 */
const DISABLED_FEATURES = [
  ...['AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable', 'LensOverlay'],
  ...['MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints'],
  ...['NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch'],
  ...['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'],
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--disable-features=${DISABLED_FEATURES.join(',')}`],
  });
}

let bundle: Promise<string> | undefined;

/** Bundles src/webview/main.ts the way esbuild.js does, in memory, so the test never runs a stale dist/. */
export function webviewBundle(): Promise<string> {
  bundle ??= esbuild
    .build({ entryPoints: [path.join(repoRoot, 'src/webview/main.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' })
    .then((r) => r.outputFiles[0].text);
  return bundle;
}

/** VS Code's Dark Modern colors, as the workbench sets them on a webview's <html>. */
const DARK_THEME = `:root {
  --vscode-font-family: "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", "DejaVu Sans", sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: "Droid Sans Mono", "DejaVu Sans Mono", monospace;
  --vscode-editor-background: #1f1f1f;
  --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-disabledForeground: rgba(204, 204, 204, 0.5);
  --vscode-focusBorder: #0078d4;
  --vscode-panel-border: #2b2b2b;
  --vscode-widget-border: #313131;
  --vscode-sideBar-background: #181818;
  --vscode-editorWidget-background: #202020;
  --vscode-textLink-foreground: #4daafc;
  --vscode-textLink-activeForeground: #4daafc;
  --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-dropdown-background: #313131;
  --vscode-dropdown-foreground: #cccccc;
  --vscode-dropdown-border: #3c3c3c;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-toolbar-hoverBackground: rgba(90, 93, 94, 0.31);
  --vscode-icon-foreground: #cccccc;
  --vscode-charts-foreground: #cccccc;
  --vscode-charts-lines: rgba(204, 204, 204, 0.5);
  --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff;
  --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185;
  --vscode-charts-purple: #b180d7;
}
`;

export interface FakeRun {
  item: RunListItem;
  events: CompilerEvent[];
}

/** A run list entry for a fixture, as the run store would list it. */
export function fakeRun(events: CompilerEvent[], options: { startedAt?: number; cancellable?: boolean } = {}): FakeRun {
  const start = events.find((e) => e.type === 'run-start');
  const end = events.find((e) => e.type === 'run-end');
  if (start?.type !== 'run-start') throw new Error('fixture without run-start');
  return {
    item: {
      runId: start.runId,
      question: start.question,
      mode: start.mode,
      model: start.model,
      startedAt: options.startedAt ?? Date.UTC(2025, 0, 1, 9, 30, 0),
      tasks: events.filter((e) => e.type === 'task-planned').length,
      cancellable: options.cancellable ?? !end,
      ...(end?.type === 'run-end' ? { outcome: end.outcome, wallMs: end.wallMs } : {}),
    },
    events,
  };
}

export interface PanelPage {
  page: Page;
  /** What the webview posted to the host, in order. */
  posted(): Promise<WebviewMessage[]>;
  /** Sends a host message (as `webview.postMessage` would). */
  send(message: unknown): Promise<void>;
  /** Records a live event of a run and forwards it, like the run store and panel do. */
  emit(runId: string, event: CompilerEvent): Promise<void>;
  /** Adds a new run at the top of the list and sends the list. */
  addRun(run: FakeRun): Promise<void>;
  savedState(): Promise<SavedState | undefined>;
  cspViolations(): Promise<string[]>;
  /** Every URL the page asked for, from its first request on (anything but the panel's own files is refused). */
  requests(): string[];
  /** Waits until `count` nodes are drawn and laid out, then two frames more. */
  settled(count: number): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** Ends the test's hold on the page: its listeners, routes and init script go, and the page awaits the next test. */
  release(): Promise<void>;
}

/**
 * Pages released by earlier tests, per browser. Headless Chromium opens a window and a renderer process for every new
 * page (~0.6 s of CPU); a released page only navigates again, in the renderer it has.
 */
const releasedPages = new WeakMap<Browser, Page[]>();

export async function openPanel(
  browser: Browser,
  options: {
    runs: FakeRun[];
    state?: SavedState;
    viewport?: { width: number; height: number };
    /** What the host queued while the page was away (hidden, reloading), sent on `ready` before the run list. */
    backlog?: unknown[];
  },
): Promise<PanelPage> {
  const viewport = options.viewport ?? { width: 1280, height: 820 };
  const released = releasedPages.get(browser)?.pop();
  const page = released ?? (await browser.newPage({ viewport }));
  if (released) await page.setViewportSize(viewport);
  const errors: string[] = [];
  const onError = (e: Error) => errors.push(String(e));
  page.on('pageerror', onError);
  const requested: string[] = [];
  const onRequest = (r: Request) => requested.push(r.url());
  page.on('request', onRequest);
  const held: Disposable[] = [];
  // Nothing leaves the machine: a request anywhere else is recorded above and refused.
  held.push(await page.route((url) => url.origin !== ORIGIN, (route) => route.abort()));
  const script = await webviewBundle();
  const css = DARK_THEME + fs.readFileSync(path.join(repoRoot, 'media/panel.css'), 'utf8');
  const nonce = 'dGVzdC1ub25jZQ==';
  const html = panelHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/webview.js`, styleUri: `${ORIGIN}/panel.css` });
  held.push(
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      const files: Record<string, [string, string]> = {
        '/index.html': ['text/html', html],
        '/webview.js': ['text/javascript', script],
        '/panel.css': ['text/css', css],
      };
      const file = files[url.pathname];
      return file ? route.fulfill({ status: 200, contentType: file[0], body: file[1] }) : route.fulfill({ status: 404, body: '' });
    }),
  );
  // tsx compiles named functions with calls to its `__name` helper; the page needs a stand-in for it.
  held.push(await page.addInitScript({ content: `var __name = (f) => f; (${fakeHost.toString()})(${JSON.stringify({ runs: options.runs, state: options.state, backlog: options.backlog ?? [] })});` }));
  await page.goto(`${ORIGIN}/index.html`);

  const call = <T>(fn: string, ...args: unknown[]) => page.evaluate(([f, a]) => (window as unknown as Record<string, (...x: unknown[]) => T>)[f as string](...(a as unknown[])), [fn, args] as const);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted),
    send: (message) => call('__send', message),
    emit: (runId, event) => call('__emit', runId, event),
    addRun: (run) => call('__addRun', run),
    savedState: () => page.evaluate(() => (window as unknown as { __state?: SavedState }).__state),
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    requests: () => [...requested],
    async settled(count) {
      await page.waitForFunction((n) => document.querySelectorAll('svg.graph .node:not(.unplaced)').length === n && !document.querySelector('svg.graph .node.unplaced'), count, { timeout: 10_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    },
    async screenshot(name) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async release() {
      page.off('pageerror', onError);
      page.off('request', onRequest);
      for (const d of held.splice(0)) await d.dispose();
      if (page.isClosed()) return;
      const pages = releasedPages.get(browser) ?? [];
      releasedPages.set(browser, pages);
      pages.push(page);
    },
  };
}

/** Runs in the page before its scripts: the fake `acquireVsCodeApi` and host. */
function fakeHost(data: { runs: FakeRun[]; state?: SavedState; backlog: unknown[] }): void {
  const w = window as unknown as Record<string, unknown>;
  const runs = data.runs.map((r) => ({ item: { ...r.item }, events: [...r.events] }));
  let state: unknown = data.state;
  const posted: unknown[] = [];
  const csp: string[] = [];
  w.__posted = posted;
  w.__csp = csp;
  document.addEventListener('securitypolicyviolation', (e) => csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  const send = (message: unknown) => window.postMessage(message, '*');
  const list = () => runs.map((r) => ({ ...r.item }));
  w.__send = send;
  w.__emit = (runId: string, event: CompilerEvent) => {
    const run = runs.find((r) => r.item.runId === runId);
    run?.events.push(event);
    send({ type: 'event', runId, event });
    if (run && event.type === 'run-end') {
      Object.assign(run.item, { outcome: event.outcome, wallMs: event.wallMs, cancellable: false });
      send({ type: 'runs', runs: list() });
    }
  };
  w.__addRun = (run: FakeRun) => {
    runs.unshift({ item: { ...run.item }, events: [...run.events] });
    send({ type: 'runs', runs: list() });
  };
  w.acquireVsCodeApi = () => ({
    postMessage(message: { type: string; runId?: string }) {
      posted.push(message);
      if (message.type === 'ready') {
        for (const queued of data.backlog) send(queued);
        send({ type: 'runs', runs: list() });
      }
      if (message.type === 'selectRun') {
        const run = runs.find((r) => r.item.runId === message.runId);
        send(run ? { type: 'showRun', runId: message.runId, events: run.events } : { type: 'runs', runs: list() });
      }
    },
    getState: () => state,
    setState: (s: unknown) => {
      state = s;
      w.__state = s;
    },
  });
}
