// With only an OpenAI-compatible endpoint configured (no model named), the Chat view's model picker lists the
// server's models under "LLM Compiler"; the one picked there is the model @compiler then runs with.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Browser, Locator, Page } from 'playwright-core';
import { startOpenAITestServer } from '../support/openaiTestServer';
import type { OpenAITestServer } from '../support/openaiTestServer';
import type { TestChatRequest } from '../support/testServerScript';
import { chatInputSelector, launchBrowser, openWorkbench, readChatResponse, screenshot, sendChatMessage } from './browser';
import { assertCodeServerInstalled, repoRoot, startCodeServer } from './codeServer';
import type { CodeServer } from './codeServer';
import { makeWorkspace, removeWorkspace } from './fixtureWorkspace';

const MODELS = ['fixture-coder', 'fixture-planner'];
const PROVIDER_DETAIL = 'LLM Compiler';

const pickerButton = '.interactive-input-part .model-picker-item a.model-picker-name';
const pickerList = '.context-view .actionList.chat-model-picker-dropdown';
const pickerRow = `${pickerList} .monaco-list-row.action`;

function reply(request: TestChatRequest): string {
  return request.stop.includes('<END_OF_PLAN>') ? '1. list_dir()\njoin()\n<END_OF_PLAN>' : 'Action: Finish(The workspace has a src folder.)';
}

describe('Chat model picker with an OpenAI-compatible endpoint, in code-server', function () {
  this.timeout(300_000);
  let workspace: string | undefined;
  let model: OpenAITestServer | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let picked: string;

  before(async () => {
    assertCodeServerInstalled();
    buildExtension();
    workspace = makeWorkspace({ 'src/main.ts': 'export function main(): number {\n  return 1;\n}\n' });
    model = await startOpenAITestServer({ models: MODELS, script: reply });
    server = await startCodeServer({
      extensionDir: repoRoot,
      workspaceFolder: workspace,
      settings: { 'llmCompiler.openai.baseUrl': model.url, 'llmCompiler.openai.model': '' },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `picker-failed-${this.currentTest.title}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspace) removeWorkspace(workspace);
  });

  it('lists the endpoint\'s models in the model picker and selects the one clicked', async () => {
    await openChatView(page);
    await openPickerWithOurModels(page);
    assert.ok((await ourModelTitles(page)).includes('fixture-coder'), `picker rows: ${JSON.stringify(await rowTitles(page))}`);
    if (!(await ourModelTitles(page)).includes('fixture-planner')) await expandOtherModels(page);
    const ours = await ourModelTitles(page);
    assert.ok(ours.includes('fixture-planner'), `picker rows: ${JSON.stringify(await rowTitles(page))}`);
    await screenshot(page, 'picker-1-models');

    // Pick the model that is not already selected, so the choice is visible.
    const current = (await page.locator(pickerButton).first().innerText()).trim();
    picked = current.includes('fixture-planner') ? 'fixture-coder' : 'fixture-planner';
    await ourRow(page, picked).click();
    await page.locator(pickerList).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.locator(pickerButton, { hasText: picked }).first().waitFor({ timeout: 10_000 });
  });

  it('@compiler answers with the picked model', async () => {
    await sendChatMessage(page, '@compiler what is in this workspace?');
    const answer = await readChatResponse(page, { contains: 'src folder', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(page, 'picker-2-answer');
    assert.match(answer.markdown, /The workspace has a src folder\./);
    const used = model!.requests.filter((r) => r.chat).map((r) => r.chat!.model);
    assert.ok(used.length >= 2, `chat requests: ${JSON.stringify(used)}`);
    assert.deepEqual([...new Set(used)], [picked], `every chat request used ${picked}`);
    // The choice stays for the next message.
    assert.match(await page.locator(pickerButton).first().innerText(), new RegExp(picked));
  });
});

/** `node esbuild.js`: the test runs the extension as built from this checkout. */
function buildExtension(): void {
  try {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'pipe' });
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`node esbuild.js failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
}

/** Shows the Chat view (Ctrl+Alt+I) unless the workbench restored it already. */
async function openChatView(page: Page): Promise<void> {
  const input = page.locator(chatInputSelector).first();
  if (await input.isVisible()) return;
  await page.keyboard.press('Control+Alt+KeyI');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Opens the model picker until it lists a model of ours: the extension activates after start-up and asks the
 * endpoint for its models, and an open picker does not refresh.
 */
async function openPickerWithOurModels(page: Page, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // An open dropdown blocks clicks elsewhere: close it first.
    await page.keyboard.press('Escape');
    await page.locator(pickerList).waitFor({ state: 'hidden', timeout: 5_000 });
    await page.locator(pickerButton).first().click({ timeout: 30_000 });
    await page.locator(pickerList).waitFor({ state: 'visible', timeout: 10_000 });
    const found = await ourRows(page).first().waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
    if (found) return;
    if (Date.now() > deadline) throw new Error(`no "${PROVIDER_DETAIL}" model in the picker; rows: ${JSON.stringify(await rowTitles(page))}`);
    await page.waitForTimeout(1_000);
  }
}

/** Expands the collapsed "Other Models" section of the open picker. */
async function expandOtherModels(page: Page): Promise<void> {
  const other = page.locator(`${pickerList} .monaco-list-row`, { hasText: 'Other Models' }).first();
  await other.click({ timeout: 10_000 });
  await page.waitForTimeout(300);
}

function ourRows(page: Page): Locator {
  return page.locator(pickerRow).filter({ has: page.locator('.description', { hasText: PROVIDER_DETAIL }) });
}

function ourRow(page: Page, title: string): Locator {
  return ourRows(page).filter({ has: page.locator('.title', { hasText: new RegExp(`^${title}$`) }) }).first();
}

async function ourModelTitles(page: Page): Promise<string[]> {
  return ourRows(page).locator('.title').allInnerTexts().then((t) => t.map((s) => s.trim()));
}

async function rowTitles(page: Page): Promise<string[]> {
  return page.locator(`${pickerList} .monaco-list-row`).allInnerTexts().then((t) => t.map((s) => s.replace(/\s+/g, ' ').trim()));
}
