// Tool results reused across the questions of one VS Code window: a repeated question is answered from the earlier
// run's results (the Chat footer says so), a file saved in the editor drops the results that read it as
// soon as VS Code reports the save (the run log says so) and is read afresh, and "Clear Cached Results" forgets
// everything.
import * as assert from 'node:assert/strict';
import type { Reply, TestChatRequest } from '../support/modelServer/testServerScript';
import { chatInputSelector, chatResponseSelector, pickCommand, readChatResponse, readExtensionLog, runCommand, screenshot } from './browser';
import type { ChatResponse } from './browser';
import { ADD_WORKSPACE } from './fixtureWorkspace';
import { useWorkbench } from './workbenchFixture';

const MODEL = 'test-model';
const EXTENSION_ID = 'llm-compiler.llm-compiler';
const QUESTION = 'Where is add defined and who calls it?';

/** Three calls whose results later questions can reuse: two files read, one search. */
const PLAN = ['1. read_file("src/math.ts")', '2. read_file("src/main.ts")', '3. grep("add")', 'join()', '<END_OF_PLAN>'].join('\n');
const ANSWER = 'Thought: The files answer it.\nAction: Finish(`add` is defined at src/math.ts:1 and called at src/main.ts:2.)';

const isPlanner = (r: TestChatRequest) => r.stop.includes('<END_OF_PLAN>');
const script = (r: TestChatRequest): Reply => (isPlanner(r) ? PLAN : ANSWER);

function lastUser(r: TestChatRequest): string {
  return [...r.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

describe('tool results reused across questions in a VS Code window, in code-server', function () {
  this.timeout(300_000);
  const wb = useWorkbench({
    shotPrefix: 'reuse-failed',
    workspace: ADD_WORKSPACE,
    model: { models: [MODEL], script },
    settings: (url) => ({ 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': MODEL }),
    explorerRow: 'src',
  });

  /** Asks in Chat and returns the new response and what the joiner was shown. */
  async function ask(): Promise<{ chat: ChatResponse; joinerPrompt: string }> {
    const rows = await wb.page.locator(chatResponseSelector).count();
    const seen = wb.model.requests.length;
    if (rows === 0) {
      // The first question opens the Chat view through the command, as a user would.
      await pickCommand(wb.page, 'LLM Compiler: Ask About This Codebase');
      await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'LLM Compiler: Ask About This Codebase' }).waitFor({ timeout: 60_000 });
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(QUESTION);
      await input.press('Enter');
    } else {
      await sendChat(`@compiler ${QUESTION}`);
    }
    await wb.page.locator(chatResponseSelector).nth(rows).waitFor({ timeout: 60_000 });
    const chat = await readChatResponse(wb.page, { contains: 'tasks (up to', timeoutMs: 120_000, settleMs: 1500 });
    // A read-ahead of the joiner's prompt asks for one token; the joiner answers.
    const joiner = wb.model.requests.slice(seen).filter((r) => r.chat && !isPlanner(r.chat) && r.chat.maxTokens !== 1);
    assert.equal(joiner.length, 1, 'one joiner call');
    return { chat, joinerPrompt: lastUser(joiner[0]!.chat!) };
  }

  /**
   * Types a message into the Chat input and sends it, once the input holds it: on a busy machine the participant
   * suggestions that `@` opens can still be showing, and would take the Enter.
   */
  async function sendChat(text: string): Promise<void> {
    const editor = wb.page.locator(chatInputSelector).first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    for (let attempt = 1; ; attempt++) {
      await editor.click();
      await wb.page.keyboard.press('ControlOrMeta+A');
      await wb.page.keyboard.press('Backspace');
      await wb.page.keyboard.type(text);
      if ((await wb.page.locator('.suggest-widget.visible').count()) > 0) await wb.page.keyboard.press('Escape');
      const typed = (await editor.locator('.view-lines').innerText()).replace(/\s+/g, ' ').trim();
      if (typed === text) break;
      if (attempt === 3) throw new Error(`the Chat input holds "${typed}", not "${text}"`);
    }
    await wb.page.keyboard.press('Enter');
  }

  /** Opens a file of the workspace in the editor, types a line at its end and saves it, all through the workbench. */
  async function editInEditor(file: string, line: string): Promise<void> {
    await pickCommand(wb.page, 'Go to File...');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(file);
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: file.split('/').pop()! }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    const editor = wb.page.locator(`.editor-instance .monaco-editor[data-uri$="${file}"]`).first();
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('.view-lines').click();
    // At the end: Enter after a comment would continue it on the next line.
    await wb.page.keyboard.press('ControlOrMeta+End');
    await wb.page.keyboard.type(line);
    await runCommand(wb.page, 'File: Save');
    await wb.page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 15_000 });
  }

  /** Waits until the LLM Compiler log has `needle` `count` times, and returns it. */
  async function logHas(needle: string, count: number, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let log = '';
    while (Date.now() < deadline) {
      log = readExtensionLog(wb.server.logsDir, EXTENSION_ID, 'LLM Compiler');
      if (log.split(needle).length - 1 >= count) return log;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`"${needle}" did not appear ${count} time(s) in the log:\n${log}`);
  }

  it('answers a repeated question from the earlier results, and says so in the Chat footer', async () => {
    const first = await ask();
    assert.doesNotMatch(first.chat.markdown, /reused/);
    assert.match(first.joinerPrompt, /return a \+ b;/);
    const second = await ask();
    await screenshot(wb.page, 'reuse-1-repeated');
    assert.match(second.chat.markdown, /3 tasks \(up to \d+ in parallel\) · .* · 3 reused/);
    // The joiner saw the same results as the first time.
    assert.match(second.joinerPrompt, /return a \+ b;/);
  });

  it('drops the results that read a file as soon as it is saved in the editor, and reads it afresh', async () => {
    await editInEditor('src/math.ts', '// saved in the editor');
    // VS Code's file watcher reported the save: the result that read the file went at once, before any question.
    await logHas('reuse: dropped 1 kept tool result (changed: src/math.ts)', 1);
    const { chat, joinerPrompt } = await ask();
    await screenshot(wb.page, 'reuse-2-after-save');
    assert.match(joinerPrompt, /saved in the editor/, 'src/math.ts was read afresh');
    // src/main.ts is unchanged and its read is reused; the search covered the edited file, so it ran again.
    assert.match(chat.markdown, /· 1 reused/);
  });

  it('Clear Cached Results forgets what is kept: the next question reuses nothing', async () => {
    // Another save drops one of the three kept results at once; Clear finds the other two.
    await editInEditor('src/main.ts', '// also saved');
    await logHas('reuse: dropped 1 kept tool result (changed: src/main.ts)', 1);
    await runCommand(wb.page, 'LLM Compiler: Clear Cached Results');
    await wb.page.locator('.notifications-toasts', { hasText: 'LLM Compiler: cleared 2 kept tool results.' }).waitFor({ timeout: 15_000 });
    await logHas('reuse: dropped 2 kept tool results (Clear Cached Results)', 1);
    const { chat, joinerPrompt } = await ask();
    await screenshot(wb.page, 'reuse-3-after-clear');
    assert.doesNotMatch(chat.markdown, /reused/);
    assert.match(joinerPrompt, /also saved/);
    // The question after the Clear kept its three results again.
    await runCommand(wb.page, 'LLM Compiler: Clear Cached Results');
    await wb.page.locator('.notifications-toasts', { hasText: 'LLM Compiler: cleared 3 kept tool results.' }).waitFor({ timeout: 15_000 });
  });
});
