// Drives the code-server workbench with playwright-core and Debian's chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Frame, Page } from 'playwright-core';
import { repoRoot } from './codeServer';

export const chromiumPath = process.env.LLMC_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test-results', 'e2e');

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchBrowser(options: { headless?: boolean } = {}): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: run bash test/e2e/setupCodeServer.sh first`);
  return chromium.launch({ executablePath: chromiumPath, headless: options.headless ?? true, args: chromiumArgs });
}

const consoleLines = new WeakMap<Page, string[]>();

/**
 * Opens the workbench (`server.workbenchUrl`) in a new page and waits until it is laid out.
 * The page's console is recorded from the start: see extensionHostConsole().
 */
export async function openWorkbench(browser: Browser, workbenchUrl: string, options: { timeoutMs?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const lines: string[] = [];
  consoleLines.set(page, lines);
  page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
  // The same bound as the waits below: on a busy machine the workbench's page alone can take longer than 30 s.
  await page.goto(workbenchUrl, { timeout: options.timeoutMs ?? 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: options.timeoutMs ?? 60_000 });
  // The status bar is drawn once the workbench has restored its parts.
  await page.locator('.statusbar').waitFor({ timeout: options.timeoutMs ?? 60_000 });
  return page;
}

/**
 * What the extension host printed with console.log/warn/error since openWorkbench(): the web
 * workbench forwards it to the page console as `%c[Extension Host] %c<text> color: blue color: `.
 */
export function extensionHostConsole(page: Page): string[] {
  return (consoleLines.get(page) ?? [])
    .filter((l) => l.includes('[Extension Host]'))
    .map((l) => l.replace(/^(\w+): %c\[Extension Host\] %c/, '$1: ').replace(/ color: \S* color: ?/, '').trimEnd());
}

/**
 * Runs a command by its palette title: F1, type `>title`, click the row whose label is exactly `title`.
 * The title is the one shown in the palette: `Category: Title` for contributed commands with a category.
 */
export async function runCommand(page: Page, title: string, options: { timeoutMs?: number } = {}): Promise<void> {
  await pickCommand(page, title, options);
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'hidden', timeout: options.timeoutMs ?? 15_000 });
}

/**
 * Opens the palette and clicks the command's row, leaving whatever the command opens next (an input box) to the
 * caller. The palette lists an extension's commands only once the extension host has scanned it, and an open
 * palette does not refresh: it is opened again until the row shows.
 */
export async function pickCommand(page: Page, title: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeout = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row .label-name').filter({ hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout });
    // F1 opens the palette with a `>` prefix; fill() replaces it, so put it back.
    await input.fill(`>${title}`);
    if (await row.first().waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`"${title}" is not in the command palette: the extension did not load`);
  }
  await row.first().click();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Saves a full-page PNG to test-results/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * The content frames of all open webviews. In the web workbench each webview is an outer
 * `iframe.webview` (…/webview/index.html?id=…&extensionId=…) holding an inner `iframe#active-frame`
 * (…/fake.html?id=…) with the extension's HTML.
 */
export function webviewContentFrames(page: Page, extensionId?: string): Frame[] {
  return page.frames().filter((f) => {
    const parent = f.parentFrame();
    if (!parent || !/\/webview\//.test(parent.url()) || !/fake\.html/.test(f.url())) return false;
    return !extensionId || parent.url().toLowerCase().includes(`extensionid=${extensionId.toLowerCase()}`);
  });
}

/** Waits for a webview content frame that contains `selector` (e.g. `#graph`, `text=Done`). */
export async function waitForWebviewFrame(page: Page, selector: string, options: { extensionId?: string; timeoutMs?: number } = {}): Promise<Frame> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    for (const frame of webviewContentFrames(page, options.extensionId)) {
      const found = await frame.locator(selector).count().catch(() => 0);
      if (found > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  const urls = page.frames().map((f) => f.url()).join('\n  ');
  throw new Error(`no webview frame with ${selector} within the timeout; frames:\n  ${urls}`);
}

/** The Chat view's list of requests and responses. */
export const chatSessionSelector = '.interactive-session';
/** One response row (one per request); the newest also has `.chat-most-recent-response`. */
export const chatResponseSelector = '.interactive-session .interactive-item-container.interactive-response';
/** A response row that is still streaming. */
export const chatBusySelector = `${chatResponseSelector}.chat-response-loading`;
/** Markdown the participant streamed (`stream.markdown`), one element per markdown part. */
export const chatMarkdownSelector = '.chat-markdown-part.rendered-markdown';
/** Inline file links (`stream.anchor`); `data-href` holds `vscode-remote://HOST:PORT/abs/path#line,col`. */
export const chatAnchorSelector = 'a.chat-inline-anchor-widget';

export interface ChatResponse {
  /** Text of the markdown parts, joined by newlines. */
  markdown: string;
  /** innerText of the whole response row (participant name, "Used N references", buttons, …). */
  fullText: string;
  /** Inline anchors: their label and `data-href`. */
  anchors: { label: string; href: string }[];
}

/**
 * Waits for the newest chat response to finish streaming (no `.chat-response-loading`, text unchanged
 * for `settleMs`, and containing `contains` if given) and returns what it shows.
 */
export async function readChatResponse(page: Page, options: { timeoutMs?: number; settleMs?: number; contains?: string } = {}): Promise<ChatResponse> {
  const timeout = options.timeoutMs ?? 60_000;
  const row = page.locator(chatResponseSelector).last();
  await row.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  const settle = options.settleMs ?? 1000;
  let text = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const now = (await row.innerText().catch(() => '')).trim();
    const busy = (await page.locator(chatBusySelector).count()) > 0;
    if (now !== text) {
      text = now;
      stableSince = Date.now();
    } else if (!busy && text && Date.now() - stableSince >= settle && (!options.contains || text.includes(options.contains))) {
      const markdown = (await row.locator(chatMarkdownSelector).allInnerTexts()).map((t) => t.trim()).join('\n');
      const anchors = await row.locator(chatAnchorSelector).evaluateAll((els) =>
        els.map((e) => ({ label: (e.textContent ?? '').trim(), href: e.getAttribute('data-href') ?? '' })),
      );
      return { markdown, fullText: text, anchors };
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`chat response did not settle${options.contains ? ` with "${options.contains}"` : ''}; last text:\n${text}`);
}

/** The Chat view's input box: a Monaco editor (typing goes to its edit context, not to a textarea). */
export const chatInputSelector = '.interactive-session .interactive-input-part .chat-input-container .monaco-editor';

/**
 * Types `text` (e.g. `@participant question`) into the open Chat view's input, replacing what is there,
 * and sends it with Enter. Clicks the editor first: keys sent while the response list has focus act on
 * the list (Delete removes a request).
 */
export async function sendChatMessage(page: Page, text: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const editor = page.locator(chatInputSelector).first();
  await editor.waitFor({ state: 'visible', timeout: options.timeoutMs ?? 15_000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Expands the newest response's "Used N references" list and returns the entries' labels. */
export async function readChatReferences(page: Page, options: { timeoutMs?: number } = {}): Promise<string[]> {
  const timeout = options.timeoutMs ?? 10_000;
  const row = page.locator(chatResponseSelector).last();
  const summary = row.locator('summary.completed-response-summary');
  if ((await summary.count()) > 0 && (await summary.getAttribute('aria-expanded')) !== 'true') await summary.click({ timeout });
  const toggle = row.locator('.chat-used-context-label a[aria-label^="Used "]').first();
  await toggle.waitFor({ state: 'visible', timeout });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click({ timeout });
  const items = row.locator('.chat-used-context-list .monaco-list-row');
  await items.first().waitFor({ state: 'visible', timeout });
  // Each entry is a file icon label: name, then its folder as description (`main.ts src`).
  return items.evaluateAll((els) =>
    els.map((e) => [e.querySelector('.label-name')?.textContent, e.querySelector('.label-description')?.textContent].filter(Boolean).join(' ').trim()),
  );
}

/** Paths of the extension host logs (`<logsDir>/<session>/exthost*\/remoteexthost.log`), newest session first. */
export function extensionHostLogs(logsDir: string): string[] {
  if (!fs.existsSync(logsDir)) return [];
  const sessions = fs.readdirSync(logsDir).sort().reverse();
  const logs: string[] = [];
  for (const s of sessions) {
    const dir = path.join(logsDir, s);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const h of fs.readdirSync(dir).filter((d) => d.startsWith('exthost')).sort()) {
      const log = path.join(dir, h, 'remoteexthost.log');
      if (fs.existsSync(log)) logs.push(log);
    }
  }
  return logs;
}

/** Resolves once the extension host log shows that `extensionId` started activating. */
export async function waitForActivation(logsDir: string, extensionId: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const needle = `_doActivateExtension ${extensionId},`;
  while (Date.now() < deadline) {
    if (readExtensionHostLog(logsDir).includes(needle)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${extensionId} did not activate; extension host log:\n${readExtensionHostLog(logsDir)}`);
}

/** Text of a LogOutputChannel (`createOutputChannel(name, { log: true })`) of an extension, newest session; '' if none. */
export function readExtensionLog(logsDir: string, extensionId: string, channelName: string): string {
  for (const hostLog of extensionHostLogs(logsDir)) {
    const file = path.join(path.dirname(hostLog), extensionId, `${channelName}.log`);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  return '';
}

/** Text of the newest extension host log ('' when there is none yet). */
export function readExtensionHostLog(logsDir: string): string {
  const [log] = extensionHostLogs(logsDir);
  return log ? fs.readFileSync(log, 'utf8') : '';
}
