// The language-model tools of other extensions, planned over like the workspace tools: a helper extension registers
// a tool that answers after about a second; the user setting llmCompiler.externalTools names it. A plan that calls
// it twice runs both calls at once (the task-graph panel shows them overlapping, each named by its extension), and
// the answer is written from their results. A tool the setting does not name is never offered, whatever the
// workspace's own settings say; "Choose External Tools" writes the user setting from a list.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import type { Reply, TestChatRequest } from '../support/modelServer/testServerScript';
import { chatResponseSelector, pickCommand, readChatResponse, readExtensionLog, runCommand, screenshot, sendChatMessage, waitForWebviewFrame } from './browser';
import { useWorkbench } from './workbenchFixture';

const MODEL = 'test-model';
const EXTENSION_ID = 'llm-compiler.llm-compiler';
const HELPER_ID = 'e2e.lm-tools-provider';
const QUESTION = 'What do the two echoes say?';
const FOLLOW_UP = 'Which tools can you call now?';

/** Two tools: the slow echo the user chose, and one nobody chose. */
const TOOLS = [
  {
    name: 'e2e_slow-echo',
    displayName: 'Slow Echo',
    modelDescription: 'Echoes a text in capitals after about a second.',
    inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'What to echo.' } }, required: ['text'] },
  },
  {
    name: 'e2e_hidden',
    displayName: 'Hidden',
    modelDescription: 'A tool the user did not choose.',
    inputSchema: { type: 'object', properties: {} },
  },
];

/** The helper: each call is recorded with its times and whether it came with a Chat request's token. */
const PROVIDER_SOURCE = `
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const record = (entry) => fs.appendFileSync(path.join(process.env.LM_TOOLS_OUT, 'calls.jsonl'), JSON.stringify(entry) + '\\n');
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.lm.registerTool('e2e_slow-echo', {
      async invoke(options, token) {
        const start = Date.now();
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 1000);
          token.onCancellationRequested(() => { clearTimeout(timer); resolve(); });
        });
        record({ tool: 'e2e_slow-echo', input: options.input, start, end: Date.now(), fromChat: options.toolInvocationToken !== undefined, cancelled: token.isCancellationRequested });
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('ECHO(' + String(options.input.text).toUpperCase() + ')')]);
      },
    }),
    vscode.lm.registerTool('e2e_hidden', {
      async invoke() {
        record({ tool: 'e2e_hidden' });
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('hidden')]);
      },
    }),
  );
};
`;

const PLAN = ['Thought: Ask the echo tool twice, at once.', '1. e2e_slow_echo(text="alpha")', '2. e2e_slow_echo(text="beta")', 'join()', '<END_OF_PLAN>'].join('\n');

const isPlanner = (r: TestChatRequest) => r.stop.includes('<END_OF_PLAN>');
const isReadAhead = (r: TestChatRequest) => r.maxTokens === 1;
const promptOf = (r: TestChatRequest) => r.messages.map((m) => m.content).join('\n');

/** The joiner answers with the echoes it was shown: the answer holds the tools' results only if they reached it. */
function script(request: TestChatRequest): Reply {
  if (isPlanner(request)) return promptOf(request).includes(FOLLOW_UP) ? 'join()\n<END_OF_PLAN>' : PLAN;
  if (isReadAhead(request)) return 'OK';
  const echoes = [...promptOf(request).matchAll(/ECHO\((\w+)\)/g)].map((m) => m[1]);
  return `Thought: Both echoes are in.\nAction: Finish(The echoes say ${[...new Set(echoes)].join(' and ') || 'nothing'}.)`;
}

interface Call {
  tool: string;
  input?: { text: string };
  start: number;
  end: number;
  fromChat: boolean;
  cancelled: boolean;
}

function calls(dir: string): Call[] {
  const file = path.join(dir, 'calls.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : [];
}

describe('the language-model tools of other extensions, in code-server', function () {
  this.timeout(300_000);
  const wb = useWorkbench({
    shotPrefix: 'external-tools-failed',
    workspace: {
      'README.md': '# Echoes\n',
      // A repository cannot turn tools on: this workspace value is ignored.
      '.vscode/settings.json': JSON.stringify({ 'llmCompiler.externalTools': ['*'] }),
    },
    helper: {
      name: 'lm-tools-provider',
      commands: [],
      languageModelTools: TOOLS,
      activationEvents: ['onStartupFinished'],
      source: PROVIDER_SOURCE,
      env: (dir) => ({ LM_TOOLS_OUT: dir }),
    },
    model: { models: [MODEL], script },
    settings: (url) => ({ 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': MODEL, 'llmCompiler.externalTools': ['e2e_slow*'] }),
    explorerRow: 'README.md',
  });

  const plannerPrompts = () => wb.model.requests.filter((r) => r.chat && isPlanner(r.chat)).map((r) => promptOf(r.chat!));

  it('runs a plan that calls the chosen tool twice: both calls at once, and the answer uses their results', async () => {
    await pickCommand(wb.page, 'LLM Compiler: Ask About This Codebase');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'LLM Compiler: Ask About This Codebase' }).waitFor({ timeout: 60_000 });
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(QUESTION);
    await input.press('Enter');
    await wb.page.locator(chatResponseSelector).first().waitFor({ timeout: 60_000 });
    const chat = await readChatResponse(wb.page, { contains: 'tasks (up to', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'external-tools-1-chat');
    assert.match(chat.markdown, /The echoes say ALPHA and BETA\./);
    assert.match(chat.markdown, /2 tasks \(up to 2 in parallel\)/);

    // The helper saw two calls of about a second each, overlapping, both tied to the Chat request.
    const echo = calls(wb.helperDir).filter((c) => c.tool === 'e2e_slow-echo');
    assert.deepEqual(echo.map((c) => c.input?.text).sort(), ['alpha', 'beta']);
    const [a, b] = echo as [Call, Call];
    assert.ok(a.start < b.end && b.start < a.end, `the calls overlap: ${JSON.stringify(echo)}`);
    for (const c of echo) {
      assert.ok(c.end - c.start >= 900, `a call took about a second: ${c.end - c.start} ms`);
      assert.equal(c.fromChat, true, 'called with the Chat request\'s toolInvocationToken');
      assert.equal(c.cancelled, false);
    }
  });

  it('offers the planner the chosen tool under its sanitised name, and never the others', () => {
    const [prompt] = plannerPrompts();
    assert.ok(prompt, 'the planner was asked');
    assert.match(prompt, /e2e_slow_echo\(text\)/);
    assert.match(prompt, /Echoes a text in capitals after about a second\./);
    // Not in the user setting: not offered, though the workspace's settings name every tool.
    assert.ok(!prompt.includes('e2e_hidden'), 'a tool the user setting does not name is not offered');
    assert.ok(!/llm.compiler_ask/.test(prompt), 'its own tool is never offered');
    assert.ok(!calls(wb.helperDir).some((c) => c.tool === 'e2e_hidden'));
    const log = readExtensionLog(wb.server.logsDir, EXTENSION_ID, 'LLM Compiler');
    assert.match(log, new RegExp(`external tools offered: e2e_slow_echo \\(extension ${HELPER_ID.replace('.', '\\.')}\\)`));
  });

  it('shows the two calls overlapping in the task-graph panel, each named by its extension and timed', async () => {
    await runCommand(wb.page, 'LLM Compiler: Show Task Graph');
    const frame = await waitForWebviewFrame(wb.page, 'g.node.join.join-answered', { extensionId: EXTENSION_ID, timeoutMs: 30_000 });
    const labels = await frame.locator('g.node.task').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.deepEqual(labels.sort(), [`Task 1 e2e_slow_echo via extension ${HELPER_ID}, ok`, `Task 2 e2e_slow_echo via extension ${HELPER_ID}, ok`]);
    assert.equal(await frame.locator('g.node.task.external').count(), 2);
    // The timeline's bars of the two tasks overlap.
    const bar = (key: string) => frame.locator(`svg.timeline [data-key="${key}"] .bar-run`).evaluate((r) => [Number(r.getAttribute('x')), Number(r.getAttribute('width'))]);
    const [x1, w1] = await bar('t1');
    const [x2, w2] = await bar('t2');
    assert.ok(x1! < x2! + w2! && x2! < x1! + w1!, `the bars overlap: [${x1}, +${w1}] and [${x2}, +${w2}]`);
    for (const id of [1, 2]) {
      const details = await taskDetails(frame, id);
      assert.match(details, new RegExp(`Source\\s*extension ${HELPER_ID.replace('.', '\\.')}`));
      const took = /took ([\d.]+) (ms|s)/.exec(details);
      assert.ok(took, details);
      const ms = Number(took[1]) * (took[2] === 's' ? 1000 : 1);
      assert.ok(ms >= 900 && ms < 10_000, `task ${id} took about a second: ${took[0]}`);
    }
    await screenshot(wb.page, 'external-tools-2-panel');
  });

  it('Choose External Tools lists the tools of other extensions, the chosen one checked, and writes the user setting', async () => {
    // The command leaves its own list open: pick it from the palette and wait for that list's title.
    await pickCommand(wb.page, 'LLM Compiler: Choose External Tools');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'LLM Compiler: Choose External Tools' }).waitFor({ timeout: 30_000 });
    const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    const listed = await rows.evaluateAll((els) =>
      els.map((e) => ({ label: e.querySelector('.label-name')?.textContent ?? '', checked: e.getAttribute('aria-checked') ?? e.querySelector('input[type=checkbox]')?.getAttribute('aria-checked') ?? '' })),
    );
    await screenshot(wb.page, 'external-tools-3-choose');
    const byLabel = new Map(listed.map((r) => [r.label, r.checked]));
    assert.equal(byLabel.get('e2e_slow-echo'), 'true', JSON.stringify(listed));
    assert.equal(byLabel.get('e2e_hidden'), 'false', JSON.stringify(listed));
    assert.ok(!byLabel.has('llm-compiler_ask'), 'its own tool is not listed');
    await rows.filter({ hasText: 'e2e_hidden' }).first().click();
    await wb.page.keyboard.press('Enter');
    const file = path.join(wb.server.userDataDir, 'User', 'settings.json');
    const deadline = Date.now() + 15_000;
    let written: unknown;
    while (Date.now() < deadline) {
      written = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)['llmCompiler.externalTools'];
      if (Array.isArray(written) && written.includes('e2e_hidden')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(written, ['e2e_slow*', 'e2e_hidden']);
    // The next question offers the newly chosen tool.
    const seen = plannerPrompts().length;
    await sendChatMessage(wb.page, `@compiler ${FOLLOW_UP}`);
    await wb.model.waitFor(() => plannerPrompts().length > seen);
    assert.match(plannerPrompts()[seen]!, /e2e_hidden/);
    await readChatResponse(wb.page, { timeoutMs: 60_000, settleMs: 1500 });
  });
});

/** Selects a task in the graph and returns the details pane's text. */
async function taskDetails(frame: Frame, id: number): Promise<string> {
  await frame.locator(`svg.graph [data-key="t${id}"]`).click();
  const pane = frame.locator('.details-pane');
  await pane.locator('h2', { hasText: `#${id} ` }).waitFor({ timeout: 10_000 });
  return (await pane.innerText()).replace(/\s+/g, ' ');
}
