import assert from 'node:assert/strict';
import { plannerMessages, reactSystemPrompt } from '../../../src/core/prompts';
import { runQuestion } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import { Session, createResultCache } from '../../../src/host/session';
import type { RunMode } from '../../../src/shared/modes';
import type { CompilerEvent, EventOf } from '../../../src/shared/runEvents';
import type { JsonSchema, Tool } from '../../../src/shared/toolContract';
import { paramsOf } from '../../../src/mcpClient/externalTool';
import { fakeTool } from '../../support/fakeTools';
import type { FakeToolCall } from '../../support/fakeTools';
import { createScriptedModel } from '../../support/scriptedModel';
import type { ScriptedReply } from '../../support/scriptedModel';

const SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'A file to read.\nMore about it on a second line.' },
    edits: { type: 'array', items: { type: 'object', properties: { oldText: { type: 'string' }, newText: { type: 'string' } }, required: ['oldText', 'newText'] } },
    mode: { type: 'string', enum: ['fast', 'slow'] },
  },
  required: ['path'],
  additionalProperties: false,
};

/** A tool as an MCP server's would be: an origin, its whole input schema, parameters from it. */
function externalTool(name: string, calls: FakeToolCall[] = []): Tool {
  return {
    name,
    description: `${'Reads a thing from the docs server. '.repeat(20)}\nSecond paragraph.`,
    params: paramsOf(SCHEMA),
    inputSchema: SCHEMA,
    origin: { kind: 'mcp', name: 'docs' },
    run: async (args, ctx) => {
      calls.push({ tool: name, args, signal: ctx.signal });
      return { text: `read ${String(args.path)} (${calls.length})` };
    },
  };
}

describe('external tools in the core', () => {
  it('the planner lists them beside the workspace tools: a line of description, the source, typed parameters; the same bytes every question', () => {
    const registry = new ToolRegistry([fakeTool('grep'), externalTool('docs_read')]);
    const a = plannerMessages({ question: 'Where is main?', tools: registry.specs(), firstId: 1 })[0]!.content;
    const b = plannerMessages({ question: 'Who calls parse?', tools: new ToolRegistry([fakeTool('grep'), externalTool('docs_read')]).specs(), firstId: 1 })[0]!.content;
    assert.equal(a, b);
    const listing = a.slice(a.indexOf('2. docs_read'), a.indexOf('\n\n', a.indexOf('2. docs_read')));
    assert.match(listing, /^2\. docs_read\(path, edits\?, mode\?\): Reads a thing from the docs server\. .{0,200}… \(from MCP server "docs"; name its arguments\)\n/);
    assert.doesNotMatch(listing, /Second paragraph/);
    assert.match(listing, /\n {4}- path \(string\): A file to read\.\n/);
    assert.match(listing, /\n {4}- edits \(list of \{oldText: string, newText: string\}, optional\)\n/);
    assert.match(listing, /\n {4}- mode \("fast" \| "slow", optional\)$/);
    assert.match(a, /1\. grep\(query\): Fake grep for tests/, 'workspace tools as before');
    assert.ok(reactSystemPrompt(registry.specs()).includes(listing), 'ReAct lists the same tools');
  });

  it('calls with named arguments, checked against the whole schema; never reused by a later question, shared within a run', async () => {
    const calls: FakeToolCall[] = [];
    const grepCalls: FakeToolCall[] = [];
    const session = new Session({ sources: [{ name: 'workspace', tools: () => [fakeTool('grep', { calls: grepCalls })] }, { name: 'mcp', tools: () => [externalTool('docs_read', calls)] }], resultCache: createResultCache() });
    const plan = [
      '1. docs_read(path="a.md")',
      '2. docs_read(path="a.md")',
      '3. docs_read(path="a.md", edits=[{"oldText": "x"}])',
      '4. docs_read(path="a.md", mode="quick")',
      '5. grep("x")',
      'join()',
      '<END_OF_PLAN>',
    ].join('\n');
    const model = createScriptedModel((messages) => (messages.length <= 2 ? plan : 'Action: Finish(Done.)'));
    const ask = async () => {
      const events: CompilerEvent[] = [];
      await session.ask({ question: 'q', models: { model }, roots: ['/tmp'], settings: { maxRounds: 1 }, observer: (e) => events.push(e) });
      return events;
    };
    const first = await ask();
    const finished = first.filter((e): e is EventOf<'task-finished'> => e.type === 'task-finished').sort((x, y) => x.id - y.id);
    assert.deepEqual(finished.map((e) => e.status), ['ok', 'cached', 'error', 'error', 'ok']);
    assert.match(finished[2]!.error!.message, /docs_read: argument "edits" at 0 must have required property 'newText'/);
    assert.match(finished[3]!.error!.message, /docs_read: argument "mode" must be equal to one of the allowed values/);
    assert.equal(calls.length, 1, 'the identical call ran once within the run');
    const planned = first.find((e): e is EventOf<'task-planned'> => e.type === 'task-planned' && e.id === 1)!;
    assert.deepEqual(planned.origin, { kind: 'mcp', name: 'docs' });
    assert.equal(first.find((e): e is EventOf<'task-planned'> => e.type === 'task-planned' && e.id === 5)!.origin, undefined);
    const second = await ask();
    const again = second.filter((e): e is EventOf<'task-finished'> => e.type === 'task-finished').sort((x, y) => x.id - y.id);
    assert.equal(again[0]!.status, 'ok', 'an external result is not reused by the next question');
    assert.equal(again[0]!.text, 'read a.md (2)');
    assert.equal(calls.length, 2);
  });

  it('function calling sends the tool\'s own schema and binds the call like a planned task', async () => {
    const calls: FakeToolCall[] = [];
    const model = createScriptedModel([[{ toolCall: { id: 'c1', name: 'docs_read', input: { path: 'b.md', mode: 'fast' } } }], 'It says b.']);
    const summary = await runQuestion({ question: 'q', model, tools: new ToolRegistry([externalTool('docs_read', calls)]), roots: ['/tmp'], settings: { mode: 'function-calling' } });
    assert.equal(summary.outcome, 'answered');
    assert.deepEqual(calls.map((c) => c.args), [{ path: 'b.md', mode: 'fast' }]);
    assert.equal(model.requests[0]!.options.tools![0]!.inputSchema, SCHEMA);
  });
  it('every mode is given the same external tools through the session and runs them as tasks with their source', async () => {
    const scripts: Record<RunMode, ScriptedReply[]> = {
      compiler: ['1. docs_read(path="c.md")\njoin()\n<END_OF_PLAN>', 'Action: Finish(It says c.)'],
      'plan-execute': ['1. docs_read(path="c.md")\njoin()\n<END_OF_PLAN>', 'Action: Finish(It says c.)'],
      react: ['Thought: read it\nAction: docs_read(path="c.md")', 'Thought: done\nAction: Finish(It says c.)'],
      'function-calling': [[{ toolCall: { id: 'c1', name: 'docs_read', input: { path: 'c.md' } } }], 'It says c.'],
    };
    for (const [mode, script] of Object.entries(scripts) as Array<[RunMode, ScriptedReply[]]>) {
      const calls: FakeToolCall[] = [];
      const session = new Session({ sources: [{ name: 'workspace', tools: () => [fakeTool('grep')] }, { name: 'mcp', tools: () => [externalTool('docs_read', calls)] }] });
      const model = createScriptedModel(script);
      const events: CompilerEvent[] = [];
      const summary = await session.ask({ question: 'q', models: { model }, roots: ['/tmp'], settings: { mode, maxRounds: 1 }, observer: (e) => events.push(e) });
      assert.equal(summary.outcome, 'answered', mode);
      assert.deepEqual(calls.map((c) => c.args), [{ path: 'c.md' }], mode);
      const started = events.find((e): e is EventOf<'task-started'> => e.type === 'task-started');
      assert.deepEqual(started?.origin, { kind: 'mcp', name: 'docs' }, mode);
      const offered = events.find((e): e is EventOf<'run-start'> => e.type === 'run-start');
      assert.deepEqual(offered?.tools, ['grep', 'docs_read'], mode);
    }
  });
});
