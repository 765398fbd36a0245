// With only an OpenAI-compatible endpoint configured (no model named), the Chat view's model picker lists the
// server's models under "LLM Compiler"; the one picked there is the model @compiler then runs with.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { TestChatRequest } from '../support/modelServer/testServerScript';
import { chatInputSelector, readChatResponse, screenshot, sendChatMessage } from './browser';
import { useWorkbench } from './workbenchFixture';

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
  let picked: string;

  const wb = useWorkbench({
    shotPrefix: 'picker-failed',
    workspace: { 'src/main.ts': 'export function main(): number {\n  return 1;\n}\n' },
    model: { models: MODELS, script: reply },
    settings: (url) => ({ 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': '' }),
    explorerRow: 'src',
  });

  it('lists the endpoint\'s models in the model picker and selects the one clicked', async () => {
    await openChatView(wb.page);
    await openPickerWithOurModels(wb.page);
    assert.ok((await ourModelTitles(wb.page)).includes('fixture-coder'), `picker rows: ${JSON.stringify(await rowTitles(wb.page))}`);
    if (!(await ourModelTitles(wb.page)).includes('fixture-planner')) await expandOtherModels(wb.page);
    const ours = await ourModelTitles(wb.page);
    assert.ok(ours.includes('fixture-planner'), `picker rows: ${JSON.stringify(await rowTitles(wb.page))}`);
    await screenshot(wb.page, 'picker-1-models');

    // Pick the model that is not already selected, so the choice is visible.
    const current = (await wb.page.locator(pickerButton).first().innerText()).trim();
    picked = current.includes('fixture-planner') ? 'fixture-coder' : 'fixture-planner';
    await ourRow(wb.page, picked).click();
    await wb.page.locator(pickerList).waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.page.locator(pickerButton, { hasText: picked }).first().waitFor({ timeout: 10_000 });
  });

  it('@compiler answers with the picked model', async () => {
    await sendChatMessage(wb.page, '@compiler what is in this workspace?');
    const answer = await readChatResponse(wb.page, { contains: 'src folder', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'picker-2-answer');
    assert.match(answer.markdown, /The workspace has a src folder\./);
    const used = wb.model.requests.filter((r) => r.chat).map((r) => r.chat!.model);
    assert.ok(used.length >= 2, `chat requests: ${JSON.stringify(used)}`);
    assert.deepEqual([...new Set(used)], [picked], `every chat request used ${picked}`);
    // The choice stays for the next message.
    assert.match(await wb.page.locator(pickerButton).first().innerText(), new RegExp(picked));
  });
});

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
