// The main proof: in a real VS Code (code-server), "LLM Compiler: Ask About This Codebase" sends the question to
// @compiler in the Chat view; the planner (a loopback OpenAI-compatible server) writes a parallel plan, the tools
// run on a real git repository, the answer streams into Chat with file anchors, and the task-graph panel shows
// every task in its final state.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { OpenAITestServer } from '../support/modelServer/openaiTestServer';
import type { RecordedRequest } from '../support/modelServer/serverState';
import type { Reply, TestChatRequest } from '../support/modelServer/testServerScript';
import {
  pickCommand,
  readChatReferences,
  readChatResponse,
  readExtensionLog,
  runCommand,
  screenshot,
  sendChatMessage,
  waitForWebviewFrame,
} from './browser';
import type { ChatResponse } from './browser';
import { useWorkbench } from './workbenchFixture';

const QUESTION = 'Where is add defined, who calls it, and when did src/math.ts last change?';
const MODEL = 'test-model';
const EXTENSION_ID = 'llm-compiler.llm-compiler';

/** Four independent tasks: they must all run at once. */
const PLAN = [
  'Thought: Find the definition and the callers, read the definition and get the file history, all at once.',
  '1. grep("export function add")',
  '2. grep("add(", glob="src/**")',
  '3. read_file("src/math.ts", start_line=1, end_line=3)',
  '4. git_log("src/math.ts", max_count=3)',
  'join()',
  '<END_OF_PLAN>',
].join('\n');

const SYMBOL_PLAN = ['1. outline("README.md")', '2. definition("multiply")', '3. references("src/math.ts:1:17")', 'join()', '<END_OF_PLAN>'].join('\n');
const SYMBOL_ANSWER = 'Thought: The outline, definition and references answer it.\nAction: Finish(See src/math.ts:5 for multiply; add is used at src/main.ts:6.)';

const isReact = (r: TestChatRequest) => systemOf(r).includes('one call at a time');

/** ReAct: one tool call per turn, the answer after two observations. */
function reactReply(request: TestChatRequest): string {
  const observations = request.messages.filter((m) => m.role === 'user' && m.content.startsWith('Observation:')).length;
  if (observations === 0) return 'Thought: Find the definition first.\nAction: grep("export function add")';
  if (observations === 1) return 'Thought: Now its history.\nAction: git_log("src/math.ts", max_count=3)';
  return 'Thought: That answers it.\nAction: Finish(`add` is defined at src/math.ts:1.)';
}

/** Function calling: two calls at once in the first turn, the answer once their results are back. */
function functionCallingReply(request: TestChatRequest): Reply {
  if (request.messages.some((m) => m.role === 'tool')) return '`add` is defined at src/math.ts:1 (found by function calling).';
  return {
    text: '',
    toolCalls: [
      { id: 'call_def', name: 'grep', arguments: '{"pattern": "export function add"}' },
      { id: 'call_log', name: 'git_log', arguments: '{"path": "src/math.ts", "max_count": 3}' },
    ],
  };
}

// The planner stops at the end-of-plan marker; the joiner continues its conversation without one, and without tools.
// A read-ahead of the joiner's prompt (sent to a server on this machine while tools run) asks for one token.
const isPlanner = (r: TestChatRequest) => r.stop.includes('<END_OF_PLAN>');
const isReadAhead = (r: TestChatRequest) => r.maxTokens === 1;
const isJoiner = (r: TestChatRequest) => !isPlanner(r) && !isReact(r) && !isReadAhead(r) && r.tools.length === 0;

function systemOf(r: TestChatRequest): string {
  return r.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
}

function lastUser(r: TestChatRequest): string {
  return [...r.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/** The commit of src/math.ts that git_log reported, read from the joiner's prompt: known only if git really ran. */
function reportedHash(joinerPrompt: string): string | undefined {
  return /\b([0-9a-f]{7,40}) \S+ Alice Anders\s+Add subtract, logo and assorted files/.exec(joinerPrompt)?.[1];
}

/** The joiner's answer cites the fixture's files and the hash it was shown. */
function joinerReply(request: TestChatRequest): string {
  const hash = reportedHash(lastUser(request)) ?? 'NO-HASH-IN-RESULTS';
  return [
    'Thought: The grep, read_file and git_log results answer all three parts.',
    `Action: Finish(\`add\` is defined at src/math.ts:1 and returns \`a + b\`. It is called by \`main\` at src/main.ts:6 and by \`Calculator.add\` at src/math.ts:13. src/math.ts last changed in commit ${hash} ("Add subtract, logo and assorted files", Alice Anders).)`,
  ].join('\n');
}

describe('LLM Compiler: Ask About This Codebase, in code-server', function () {
  this.timeout(300_000);
  let chat: ChatResponse;

  const wb = useWorkbench({
    shotPrefix: 'ask-failed',
    workspace: 'git-fixture',
    model: { models: [MODEL], script: firstQuestionScript },
    settings: (url) => ({ 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': MODEL }),
    explorerRow: 'src',
  });

  it('asks from the command palette and shows the answer of @compiler in the Chat view', async () => {
    await askFromPalette(wb.page, QUESTION);
    chat = await readChatResponse(wb.page, { contains: 'tasks (up to', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'ask-1-chat');

    assert.match(chat.markdown, /is defined at/);
    assert.match(chat.markdown, /4 tasks \(up to 4 in parallel\) · 2 LLM calls(?: \(\+\d+ read-aheads?\))? · [\d,]+ in \/ [\d,]+ out tokens · [\d.]+ m?s wall time · tools [\d.]+ m?s if run one after another/);
    // The commit hash in the answer came from git run on the fixture.
    const hash = reportedHash(joinerPromptOf(wb.model));
    assert.ok(hash && wb.gitFixture.commits.subtract.startsWith(hash), `git_log reported ${hash}, the fixture's commit is ${wb.gitFixture.commits.subtract}`);
    assert.ok(chat.markdown.includes(hash), 'the answer shows the hash git_log found');
  });

  it('turns the path:line citations of the answer into anchors to the exact lines', () => {
    const math = chat.anchors.find((a) => a.label.includes('math.ts') && /#1(%2C|,|$)/.test(a.href));
    assert.ok(math, `an anchor to src/math.ts:1, got ${JSON.stringify(chat.anchors)}`);
    assert.ok(decodeURIComponent(math.href).includes(`${wb.gitFixture.repo}/src/math.ts`), math.href);
    assert.ok(chat.anchors.some((a) => a.label.includes('main.ts') && /#6(%2C|,|$)/.test(a.href)), JSON.stringify(chat.anchors));
  });

  it('lists the files the tasks touched as references, and offers the task graph', async () => {
    const references = await readChatReferences(wb.page);
    assert.ok(references.some((r) => r.startsWith('math.ts')), JSON.stringify(references));
    await wb.page.locator('.interactive-item-container.interactive-response .chat-command-button a.monaco-button', { hasText: 'Show Task Graph' }).last().waitFor({ timeout: 10_000 });
    await screenshot(wb.page, 'ask-2-chat-references');
  });

  it('shows every task of the run in its final state in the task-graph panel', async () => {
    const frame = await waitForWebviewFrame(wb.page, 'g.node.task', { extensionId: EXTENSION_ID, timeoutMs: 30_000 });
    await waitForCount(frame, 'g.node.task.state-ok', 4);
    const labels = await frame.locator('g.node.task').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.deepEqual(labels.sort(), ['Task 1 grep, ok', 'Task 2 grep, ok', 'Task 3 read_file, ok', 'Task 4 git_log, ok']);
    await frame.locator('g.node.join.join-answered').first().waitFor({ timeout: 10_000 });
    await screenshot(wb.page, 'ask-3-graph');
  });

  it('ran the tools on the repository: the joiner saw real grep, read_file and git_log output', () => {
    const planner = wb.model.requests.filter((r) => r.chat && isPlanner(r.chat));
    assert.equal(planner.length, 1, 'one planner call');
    assert.ok(lastUser(planner[0]!.chat!).includes(QUESTION), 'the planner got the question');
    const prompt = joinerPromptOf(wb.model);
    // grep: the definition and a caller in another file, as "line: text" under their files.
    assert.match(prompt, /src\/math\.ts[\s\S]*1: export function add\(a: number, b: number\): number \{/);
    assert.match(prompt, /src\/main\.ts[\s\S]*6:\s+return add\(calc\.result\(\), 1\);/);
    // read_file: the numbered lines of the range.
    assert.match(prompt, /2:\s+return a \+ b;/);
    // git_log: the fixture's authors and subjects.
    assert.match(prompt, /Bob Brown\s+Add long data file and links|Alice Anders\s+Add math module and entry point/);
    // The ignore rules and the workspace boundary held.
    assert.ok(!prompt.includes('ignored log add('), '.gitignored files are not searched');
    assert.ok(!prompt.includes('outside secret'), 'nothing outside the workspace is read');
  });

  it('logs every event of the run to the LLM Compiler log', async () => {
    const log = await waitForText(() => readExtensionLog(wb.server.logsDir, EXTENSION_ID, 'LLM Compiler'), 'run-end answered');
    for (const id of [1, 2, 3, 4]) assert.match(log, new RegExp(`task-finished #${id} \\w+ ok`));
    assert.match(log, /run-start mode=compiler model=openai:test-model/);
    assert.ok(!/authorization|bearer|api[_-]?key/i.test(log), 'no credentials in the log');
  });

  it('answers symbol questions through VS Code\'s language features', async () => {
    const before = wb.model.requests.length;
    wb.model.setScript((request) => (isPlanner(request) ? SYMBOL_PLAN : isJoiner(request) ? SYMBOL_ANSWER : 'OK'));
    await sendChatMessage(wb.page, '@compiler Outline the README, show multiply, and who uses add?');
    await readChatResponse(wb.page, { contains: 'tasks (up to', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'ask-4-symbols');
    const joiner = wb.model.requests.slice(before).find((r) => r.chat && isJoiner(r.chat));
    assert.ok(joiner, 'the symbol question reached the joiner');
    const prompt = lastUser(joiner.chat!);
    // Markdown headings come from VS Code's Markdown language features: the Node tools cannot outline Markdown.
    assert.match(prompt, /README\.md \(\d+ lines\):\n\s+\w+ .*Fixture \(line/);
    // The definition's whole range, from TypeScript's language server (the Node tool shows only its first line).
    assert.match(prompt, /function multiply — src\/math\.ts:5\n\s+5: export function multiply[^\n]*\n\s+6:\s+return a \* b;/);
    assert.match(prompt, /src\/main\.ts\n(\s+\d+:\d+: .*\n)*\s+6:10: return add\(calc\.result\(\), 1\);/);
    // Both backends give the same values; the Node tool's heading also names the column it was given.
    assert.match(prompt, /references? to the symbol at src\/math\.ts:1 in /, 'references came from VS Code, not from the Node fallback');
  });

  it('/compare runs the question both ways and compares time, calls and tokens', async () => {
    const before = wb.model.requests.length;
    wb.model.setScript((request) => (isReact(request) ? reactReply(request) : firstQuestionScript(request)));
    await sendChatMessage(wb.page, '@compiler /compare react Where is add defined?');
    const compared = await readChatResponse(wb.page, { contains: 'LLM Compiler was', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'ask-5-compare');
    const chats = wb.model.requests.slice(before).filter((r) => r.chat);
    assert.equal(chats.filter((r) => isPlanner(r.chat!)).length, 1, 'one planner call');
    assert.equal(chats.filter((r) => isReact(r.chat!)).length, 3, 'three ReAct turns: two tool calls, then the answer');
    assert.match(compared.markdown, /LLM Compiler\s+add is defined at[\s\S]*ReAct\s+add is defined at[\s\S]*Comparison/);
    assert.match(compared.markdown, /Wall time[\s\S]*LLM calls\s+2\s+3/);
    assert.match(compared.markdown, /LLM Compiler was [\d.]+× (faster|slower) than ReAct and used \d+% of its tokens\./);
    assert.ok((await wb.page.locator('.interactive-item-container.interactive-response').last().locator('table').count()) > 0, 'the comparison renders as a table');
  });

  it('/compare races function calling by default: its calls run at once and their results go back under their ids', async () => {
    const before = wb.model.requests.length;
    wb.model.setScript((request) => (request.tools.length > 0 ? functionCallingReply(request) : firstQuestionScript(request)));
    await sendChatMessage(wb.page, '@compiler /compare Where is add defined?');
    const compared = await readChatResponse(wb.page, { contains: 'LLM Compiler was', timeoutMs: 120_000, settleMs: 1500 });
    await screenshot(wb.page, 'ask-5b-compare-function-calling');
    const turns = wb.model.requests.slice(before).filter((r) => r.chat && r.chat.tools.length > 0).map((r) => r.chat!);
    assert.equal(turns.length, 2, 'two model turns: the calls, then the answer');
    assert.ok(turns[0]!.tools.some((t) => t.name === 'grep'), 'the workspace tools are offered as functions');
    const results = turns[1]!.messages.filter((m) => m.role === 'tool');
    assert.deepEqual(results.map((m) => m.toolCallId), ['call_def', 'call_log']);
    assert.match(results[0]!.content, /src\/math\.ts/);
    assert.match(results[1]!.content, /Alice Anders/, 'git really ran');
    assert.match(compared.markdown, /LLM Compiler\s+add is defined at[\s\S]*Function calling\s+add is defined at[\s\S]*found by function calling[\s\S]*Comparison/);
    assert.match(compared.markdown, /LLM Compiler was [\d.]+× (faster|slower) than function calling and used \d+% of its tokens\./);
  });

  it('sends a follow-up with the conversation so far, and offers Set API Key when the key is rejected', async () => {
    const before = wb.model.requests.length;
    wb.model.setScript((request) => (isPlanner(request) ? { fault: 'auth' } : 'OK'));
    await sendChatMessage(wb.page, '@compiler And what does multiply do?');
    const failed = await readChatResponse(wb.page, { contains: 'rejected the API key', timeoutMs: 60_000 });
    await screenshot(wb.page, 'ask-6-follow-up-auth-error');
    const planner = wb.model.requests.slice(before).find((r) => r.chat && isPlanner(r.chat));
    assert.ok(planner, 'the follow-up reached the planner');
    const prompt = lastUser(planner.chat!);
    assert.match(prompt, /Conversation so far:\nUser: Where is add defined[\s\S]*Assistant: `add` is defined at src\/math\.ts:1/);
    assert.match(prompt, /Question: And what does multiply do\?/);
    assert.ok(!prompt.includes('LLM Compiler · 4 tasks'), 'the footer is not part of the history');
    assert.match(failed.fullText, /Set API Key/);
    await wb.page.locator('.interactive-item-container.interactive-response .chat-command-button a.monaco-button', { hasText: 'Set API Key' }).last().waitFor({ timeout: 10_000 });
  });

  it('Stop in the Chat view cancels the run: the model request is closed and the status bar item goes away', async () => {
    const before = wb.model.requests.length;
    wb.model.setScript((request) => (isPlanner(request) ? { fault: 'stall' } : 'OK'));
    await sendChatMessage(wb.page, '@compiler Which files import math?');
    const plannerRequest = () => wb.model.requests.slice(before).find((r) => r.chat !== undefined && isPlanner(r.chat));
    await until(() => plannerRequest() !== undefined, 30_000, 'the question did not reach the planner');
    const status = wb.page.locator('.statusbar-item', { hasText: 'LLM Compiler: planning' });
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(wb.page, 'ask-7-running');
    await wb.page.locator(chatStopSelector).first().click({ timeout: 10_000 });
    await until(() => plannerRequest()?.end === 'client-closed', 15_000, 'the stalled planner request was not closed after Stop');
    await status.waitFor({ state: 'hidden', timeout: 15_000 });
    // Chat shows nothing a participant writes after Stop; the panel shows the run as cancelled.
    const frame = await waitForWebviewFrame(wb.page, '.run-status.state-cancelled', { extensionId: EXTENSION_ID, timeoutMs: 15_000 });
    assert.match(await frame.locator('.run-status').first().innerText(), /cancelled/);
    await screenshot(wb.page, 'ask-8-cancelled');
    const log = await waitForText(() => readExtensionLog(wb.server.logsDir, EXTENSION_ID, 'LLM Compiler'), 'run-end cancelled');
    assert.match(log, /run-end cancelled/);
  });

  it('keeps finished runs across a window reload: the panel lists them and draws the first one again', async () => {
    await runCommand(wb.page, 'Developer: Reload Window');
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'src' }).first().waitFor({ timeout: 60_000 });
    await runCommand(wb.page, 'LLM Compiler: Show Task Graph');
    const frame = await waitForWebviewFrame(wb.page, '.run-picker option[title]', { extensionId: EXTENSION_ID, timeoutMs: 60_000 });
    const options = await frame.locator('.run-picker option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, title: e.getAttribute('title') ?? '' })));
    const first = options.find((o) => o.title === QUESTION);
    assert.ok(first, `the first question is listed after the reload, got ${JSON.stringify(options.map((o) => o.title))}`);
    assert.ok(options.some((o) => o.title === 'Which files import math?'), 'the cancelled run is listed too');
    await frame.locator('.run-picker').selectOption(first.value);
    await waitForCount(frame, 'g.node.task.state-ok', 4);
    await frame.locator('g.node.join.join-answered').first().waitFor({ timeout: 10_000 });
    await screenshot(wb.page, 'ask-9-after-reload');
  });
});

function firstQuestionScript(request: TestChatRequest): Reply {
  return isPlanner(request) ? PLAN : isJoiner(request) ? joinerReply(request) : 'OK';
}

/** F1 → the command → the question in its input box → Enter. */
async function askFromPalette(page: Page, question: string): Promise<void> {
  await pickCommand(page, 'LLM Compiler: Ask About This Codebase');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // The command (activating the extension first) opens its own input box in the same widget.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'LLM Compiler: Ask About This Codebase' }).waitFor({ timeout: 60_000 });
  await input.fill(question);
  await input.press('Enter');
}

/** The Chat input's stop button, shown while a response streams. */
const chatStopSelector = '.interactive-input-part a.action-label.codicon-stop-circle';

async function until(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function joinerPromptOf(model: OpenAITestServer): string {
  const joiner = model.requests.filter((r: RecordedRequest) => r.chat && isJoiner(r.chat));
  assert.equal(joiner.length, 1, 'one joiner call');
  return lastUser(joiner[0]!.chat!);
}

async function waitForCount(frame: Frame, selector: string, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await frame.locator(selector).count();
    if (seen === count) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`expected ${count} × ${selector} in the panel, saw ${seen}`);
}

async function waitForText(read: () => string, needle: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = read();
    if (text.includes(needle)) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`"${needle}" did not appear; got:\n${text}`);
}
