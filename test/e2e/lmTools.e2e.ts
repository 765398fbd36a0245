// Another extension uses the endpoint's model through VS Code's Language Model API, offering it a tool, as Chat's
// agents do: the model's tool call reaches that extension as a LanguageModelToolCallPart, and the tool's result,
// sent back, reaches the server as a `tool` message answering that call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reply, TestChatRequest } from '../support/modelServer/testServerScript';
import { runCommand } from './browser';
import { useWorkbench } from './workbenchFixture';

const MODEL = 'tool-model';

/** A minimal extension that asks the model, runs the tool call it gets by hand, and writes what it saw to a file. */
const CLIENT_COMMANDS = [{ command: 'lmClient.roundTrip', title: 'LM Client: Tool Round Trip' }];

const CLIENT_SOURCE = `
const vscode = require('vscode');
const fs = require('fs');
exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('lmClient.roundTrip', async () => {
    const out = process.env.LM_CLIENT_OUT;
    try {
      const [model] = await vscode.lm.selectChatModels({ vendor: 'llm-compiler' });
      if (!model) throw new Error('no llm-compiler model');
      const tools = [{ name: 'read_file', description: 'Reads a workspace file.', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
      const question = vscode.LanguageModelChatMessage.User('What does a.ts export?');
      const first = await model.sendRequest([question], { tools, justification: 'to test tool calls' });
      const calls = [];
      let firstText = '';
      for await (const part of first.stream) {
        if (part instanceof vscode.LanguageModelToolCallPart) calls.push({ callId: part.callId, name: part.name, input: part.input });
        else if (part instanceof vscode.LanguageModelTextPart) firstText += part.value;
      }
      const second = await model.sendRequest([
        question,
        vscode.LanguageModelChatMessage.Assistant(calls.map((c) => new vscode.LanguageModelToolCallPart(c.callId, c.name, c.input))),
        vscode.LanguageModelChatMessage.User(calls.map((c) => new vscode.LanguageModelToolResultPart(c.callId, [new vscode.LanguageModelTextPart('export const a = 1;')]))),
      ], { tools });
      let answer = '';
      for await (const text of second.text) answer += text;
      fs.writeFileSync(out, JSON.stringify({ model: model.id, calls, firstText, answer }));
    } catch (error) {
      fs.writeFileSync(out, JSON.stringify({ error: String((error && error.stack) || error) }));
    }
  }));
};
`;

/** Where the client extension writes what it saw. */
function resultFile(clientDir: string): string {
  return path.join(clientDir, 'result.json');
}

function script(request: TestChatRequest): Reply {
  if (request.messages.some((m) => m.role === 'tool')) return 'a.ts exports the constant `a`.';
  return { text: 'Let me read it.', toolCalls: [{ id: 'call_7', name: 'read_file', arguments: '{"path": "a.ts"}' }] };
}

describe('the endpoint\'s model with tools, through VS Code\'s Language Model API, in code-server', function () {
  this.timeout(300_000);
  const wb = useWorkbench({
    shotPrefix: 'lm-tools-failed',
    workspace: { 'a.ts': 'export const a = 1;\n' },
    helper: { name: 'lm-client', commands: CLIENT_COMMANDS, source: CLIENT_SOURCE, env: (dir) => ({ LM_CLIENT_OUT: resultFile(dir) }) },
    model: { models: [MODEL], script },
    settings: (url) => ({ 'llmCompiler.openai.baseUrl': url, 'llmCompiler.openai.model': MODEL }),
    explorerRow: 'a.ts',
  });

  it('hands the model\'s tool call to the calling extension and the tool\'s result back to the model', async () => {
    await runCommand(wb.page, 'LM Client: Tool Round Trip');
    // VS Code asks the user before one extension uses another's models.
    const allow = wb.page.locator('.monaco-dialog-box .dialog-buttons a.monaco-button', { hasText: /^Allow/ });
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(resultFile(wb.helperDir)) && Date.now() < deadline) {
      if (await allow.first().isVisible().catch(() => false)) await allow.first().click();
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(fs.existsSync(resultFile(wb.helperDir)), 'the client extension finished');
    const result = JSON.parse(fs.readFileSync(resultFile(wb.helperDir), 'utf8')) as Record<string, unknown>;
    assert.equal(result.error, undefined, String(result.error));
    assert.deepEqual(result.calls, [{ callId: 'call_7', name: 'read_file', input: { path: 'a.ts' } }]);
    assert.equal(result.firstText, 'Let me read it.');
    assert.equal(result.answer, 'a.ts exports the constant `a`.');

    const [first, second] = wb.model.requests.filter((r) => r.chat).map((r) => r.chat!.body);
    assert.deepEqual(first!.tools, [
      { type: 'function', function: { name: 'read_file', description: 'Reads a workspace file.', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
    ]);
    const sent = second!.messages as Array<Record<string, unknown>>;
    assert.deepEqual(sent.slice(-2), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
      { role: 'tool', tool_call_id: 'call_7', content: 'export const a = 1;' },
    ]);
  });
});
