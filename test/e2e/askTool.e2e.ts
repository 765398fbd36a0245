// Another chat agent delegates a codebase question to LLM Compiler through its language-model tool
// (`llm-compiler_ask`, `#compiler`): a helper extension calls `vscode.lm.invokeTool` as Copilot's agent mode would,
// gets the answer with its citations, and the task-graph panel shows the run like any other. Cancelling the
// caller's token stops the run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reply, TestChatRequest } from '../support/modelServer/testServerScript';
import { runCommand, screenshot, waitForWebviewFrame } from './browser';
import { ADD_WORKSPACE } from './fixtureWorkspace';
import { useWorkbench } from './workbenchFixture';

const MODEL = 'test-model';
const EXTENSION_ID = 'llm-compiler.llm-compiler';
const QUESTION = 'Where is add defined?';
const STUCK_QUESTION = 'What does multiply do?';
const ANSWER = '`add` is defined at src/math.ts:1 and returns a + b.';

/** A helper extension that calls the tool as a chat agent would and writes what it got to a file. */
const CLIENT_COMMANDS = [
    { command: 'toolClient.ask', title: 'Tool Client: Ask' },
    { command: 'toolClient.askAndCancel', title: 'Tool Client: Ask and Cancel' },
  ];

const CLIENT_SOURCE = `
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const out = (name, value) => fs.writeFileSync(path.join(process.env.TOOL_CLIENT_OUT, name), JSON.stringify(value));
async function invoke(question, token) {
  const info = vscode.lm.tools.find((t) => t.name === 'llm-compiler_ask');
  try {
    const result = await vscode.lm.invokeTool('llm-compiler_ask', { input: { question }, toolInvocationToken: undefined }, token);
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '[' + p.constructor.name + ']')).join('');
    return { info, text };
  } catch (error) {
    return { info, error: { name: error && error.name, message: String((error && error.message) || error) } };
  }
}
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('toolClient.ask', async () => out('ask.json', await invoke(${JSON.stringify(QUESTION)}))),
    vscode.commands.registerCommand('toolClient.askAndCancel', async () => {
      const source = new vscode.CancellationTokenSource();
      const cancelWhen = path.join(process.env.TOOL_CLIENT_OUT, 'cancel-now');
      const timer = setInterval(() => { if (fs.existsSync(cancelWhen)) { clearInterval(timer); source.cancel(); } }, 50);
      const started = Date.now();
      const result = await invoke(${JSON.stringify(STUCK_QUESTION)}, source.token);
      clearInterval(timer);
      out('cancel.json', { ...result, ms: Date.now() - started });
    }),
  );
};
`;

// The planner stops at the end-of-plan marker; the joiner continues its conversation without one.
const isPlanner = (r: TestChatRequest) => r.stop.includes('<END_OF_PLAN>');
const asks = (r: TestChatRequest, question: string) => r.messages.some((m) => m.role === 'user' && m.content.includes(question));

function script(request: TestChatRequest): Reply {
  // The second question's planner never answers: only cancelling can end it.
  if (asks(request, STUCK_QUESTION)) return { fault: 'hang' };
  if (isPlanner(request)) return 'Thought: Find it, then read it.\n1. grep("export function add")\n2. read_file($1)\njoin()\n<END_OF_PLAN>';
  return `Thought: The file shows it.\nAction: Finish(${ANSWER})`;
}

interface ClientResult {
  info?: { name: string; inputSchema: { required?: string[] } };
  text?: string;
  error?: { name: string; message: string };
  ms?: number;
}

async function waitForFile(file: string, ms: number): Promise<ClientResult> {
  const deadline = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} was not written within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ClientResult;
}

describe('the #compiler language-model tool, called by another extension, in code-server', function () {
  this.timeout(300_000);
  const wb = useWorkbench({
    shotPrefix: 'ask-tool-failed',
    workspace: ADD_WORKSPACE,
    helper: { name: 'tool-client', commands: CLIENT_COMMANDS, source: CLIENT_SOURCE, env: (dir) => ({ TOOL_CLIENT_OUT: dir }) },
    model: { models: [MODEL], script },
    settings: (url) => ({ 'llmCompiler.model': 'openai', 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': MODEL }),
    explorerRow: 'src',
  });

  it('answers through vscode.lm.invokeTool with the answer and its citations, and the panel shows the run', async () => {
    await runCommand(wb.page, 'Tool Client: Ask');
    const result = await waitForFile(path.join(wb.helperDir, 'ask.json'), 90_000);
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    assert.equal(result.info?.name, 'llm-compiler_ask');
    assert.deepEqual(result.info?.inputSchema.required, ['question']);
    assert.equal(result.text, ANSWER);
    // The planner and the joiner of the run were asked the tool's question.
    assert.equal(wb.model.requests.filter((r) => r.chat && asks(r.chat, QUESTION)).length, 2);

    await runCommand(wb.page, 'LLM Compiler: Show Task Graph');
    const frame = await waitForWebviewFrame(wb.page, 'g.node.join.join-answered', { extensionId: EXTENSION_ID, timeoutMs: 30_000 });
    const tasks = await frame.locator('g.node.task').evaluateAll((els) => els.map((e) => e.getAttribute('class') ?? ''));
    assert.equal(tasks.length, 2, JSON.stringify(tasks));
    for (const cls of tasks) assert.match(cls, /state-ok/);
    const titles = await frame.locator('.run-picker option').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? e.textContent ?? ''));
    assert.ok(titles.some((t) => t.includes(QUESTION)), JSON.stringify(titles));
    await screenshot(wb.page, 'ask-tool-panel');
  });

  it('stops the run when the caller cancels its token, and the panel shows it cancelled', async () => {
    const seen = wb.model.requests.length;
    await runCommand(wb.page, 'Tool Client: Ask and Cancel');
    await wb.model.waitFor((requests) => requests.slice(seen).some((r) => r.chat && asks(r.chat, STUCK_QUESTION)));
    fs.writeFileSync(path.join(wb.helperDir, 'cancel-now'), '');
    const result = await waitForFile(path.join(wb.helperDir, 'cancel.json'), 30_000);
    assert.equal(result.text, undefined, 'no answer');
    assert.match(`${result.error?.name} ${result.error?.message}`, /cancel/i);
    // The model request the run had open was abandoned.
    await wb.model.waitFor((requests) => requests.slice(seen).some((r) => r.chat && asks(r.chat, STUCK_QUESTION) && r.end === 'client-closed'));

    await runCommand(wb.page, 'LLM Compiler: Show Task Graph');
    const frame = await waitForWebviewFrame(wb.page, '.run-status.state-cancelled', { extensionId: EXTENSION_ID, timeoutMs: 30_000 });
    assert.match(await frame.locator('.run-status').first().innerText(), /cancelled/);
  });
});
