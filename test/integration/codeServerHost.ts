// Runs an extension test entry point (`run()` export) inside code-server's extension host: the web
// workbench takes extensionDevelopmentPath/extensionTestsPath from its `payload` URL parameter when the
// server runs with the smoke-test driver enabled, and reports the result through window.codeAutomationExit.
import { format } from 'node:util';
import type { ConsoleMessage } from 'playwright-core';
import { launchBrowser } from '../e2e/browser';
import { startCodeServer } from '../e2e/codeServer';

export interface CodeServerTestRun {
  /** Folder holding the extension's package.json (must contain extensionTestsPath). */
  extensionDevelopmentPath: string;
  /** Bundled test entry point (exports `run(): Promise<void>`). */
  extensionTestsPath: string;
  workspaceFolder: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Workbench chatter (no network, no sign-in, chat model bookkeeping): not part of the test output. */
const noise = /open-vsx\.org|ERR_NAME_NOT_RESOLVED|^\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|Service Worker)\]|authentication provider 'github'|^Creating a socket|^Updating additional builtin|^The web worker extension host|^An iframe which has|^\[IPC Library|^\[reconnection-grace-time\]|connection token|^Creation of workbench contribution/;

/**
 * Prints what the extension host logs while the tests run. With the smoke-test driver its console
 * arrives as (`%c INFO`, `color: #33f`, format, ...args), formatted here like Node's console; messages
 * of the page itself (untagged) are left out.
 */
async function printConsole(m: ConsoleMessage): Promise<void> {
  const values = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '?')));
  const [first, , ...rest] = values;
  if (typeof first !== 'string' || !/^%c\s*\w+$/.test(first)) return;
  const text = format(...rest);
  if (noise.test(text)) return;
  // Drop stack frames that point into the workbench's own bundle.
  console.log(text.split('\n').filter((l) => !/^\s+at .*\/static\/out\//.test(l)).join('\n'));
}

/** Returns the exit code reported by the extension host (0: all tests passed). */
export async function runTestsInCodeServer(run: CodeServerTestRun): Promise<number> {
  const server = await startCodeServer({ workspaceFolder: run.workspaceFolder, env: run.env, vscodeOptions: ['enable-smoke-test-driver'] });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    page.on('console', (m) => void printConsole(m));
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(run.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(run.extensionTestsPath)],
    ]);
    await page.goto(`${server.workbenchUrl}&payload=${encodeURIComponent(payload)}`);
    const timeoutMs = run.timeoutMs ?? 600_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension tests did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}
