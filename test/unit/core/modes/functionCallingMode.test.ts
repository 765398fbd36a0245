import assert from 'node:assert/strict';
import { sleep } from '../../../../src/base/abortable';
import { runQuestion } from '../../../../src/core/runQuestion';
import type { RunInput } from '../../../../src/core/runQuestion';
import { ToolRegistry } from '../../../../src/core/toolRegistry';
import { runLines } from '../../../../src/tools/childProcess';
import type { CompilerEvent, EventOf, RunSummary } from '../../../../src/shared/runEvents';
import type { JsonObject } from '../../../../src/shared/json';
import type { Tool } from '../../../../src/shared/toolContract';
import { fakeTool } from '../../../support/fakeTools';
import type { FakeToolCall } from '../../../support/fakeTools';
import { canInspectProcesses, childProcesses, waitFor } from '../../../support/processes';
import { createScriptedModel, gate } from '../../../support/scriptedModel';
import type { ReplyPart, ScriptedReply } from '../../../support/scriptedModel';
import { skipBecause } from '../../../support/skips';

const call = (id: string, name: string, input: JsonObject): ReplyPart => ({ toolCall: { id, name, input } });

function setup(replies: ScriptedReply[], options: { delays?: Record<string, number>; settings?: RunInput['settings']; extraTools?: Tool[] } = {}) {
  const calls: FakeToolCall[] = [];
  const delays = options.delays ?? {};
  const tools = new ToolRegistry([...['search', 'lookup'].map((name) => delayedTool(name, delays, calls)), ...(options.extraTools ?? [])]);
  const events: CompilerEvent[] = [];
  const model = createScriptedModel(replies, { id: 'fc-model' });
  const controller = new AbortController();
  const run = (question = 'Where is the weather computed?'): Promise<RunSummary> =>
    runQuestion({
      question,
      model,
      tools,
      roots: ['/tmp'],
      settings: { mode: 'function-calling', ...options.settings },
      signal: controller.signal,
      observer: (e) => events.push(e),
    });
  return { calls, events, run, controller, model };
}

/** `fakeTool`'s behaviour, with a delay per query (abortable) so calls can finish in any order. */
function delayedTool(name: string, delays: Record<string, number>, calls: FakeToolCall[]): Tool {
  const tool = fakeTool(name);
  return {
    ...tool,
    async run(args, ctx) {
      calls.push({ tool: name, args, signal: ctx.signal });
      await sleep(delays[String(args.query)] ?? 5, ctx.signal);
      return tool.run(args, ctx);
    },
  };
}

function ofType<K extends CompilerEvent['type']>(events: CompilerEvent[], type: K): Array<EventOf<K>> {
  return events.filter((e): e is EventOf<K> => e.type === type);
}

describe('function-calling run', () => {
  it('offers every tool as a function with its schema and description', async () => {
    const { run, model } = setup(['Nothing to look up.']);
    await run();
    const offered = model.requests[0]!.options.tools!;
    assert.deepEqual(offered.map((t) => t.name), ['search', 'lookup']);
    assert.match(offered[0]!.description, /Fake search for tests/);
    assert.deepEqual(offered[0]!.inputSchema, {
      type: 'object',
      properties: { query: { type: 'string', description: 'what to look up' } },
      required: ['query'],
      additionalProperties: false,
    });
    assert.equal(model.requests[0]!.options.purpose, 'function-calling');
  });

  it('runs all calls of a turn at once and sends each result back under its call id', async () => {
    const { events, run, model } = setup(
      [
        [call('call_a', 'search', { query: 'slow' }), call('call_b', 'lookup', { query: 'quick' }), call('call_c', 'search', { query: 'medium' })],
        'It is computed in src/weather.ts:3.',
      ],
      // Finishing in the reverse order of the calls: results must still go to the right ids.
      { delays: { slow: 150, medium: 75, quick: 0 } },
    );
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'It is computed in src/weather.ts:3.');
    assert.equal(summary.llmCalls, 2);
    assert.equal(summary.maxParallel, 3, 'the three calls ran at the same time');
    const firstFinish = events.findIndex((e) => e.type === 'task-finished');
    assert.equal(ofType(events.slice(0, firstFinish), 'task-started').length, 3, 'all three started before any finished');
    assert.deepEqual(
      ofType(events, 'task-finished').map((e) => e.id),
      [2, 3, 1],
    );

    const second = model.requests[1]!.messages;
    const assistant = second.at(-2)!;
    assert.equal(assistant.role, 'assistant');
    assert.deepEqual(assistant.toolCalls!.map((c) => c.id), ['call_a', 'call_b', 'call_c']);
    assert.deepEqual(second.at(-1)!.toolResults, [
      { callId: 'call_a', content: 'search:slow' },
      { callId: 'call_b', content: 'lookup:quick' },
      { callId: 'call_c', content: 'search:medium' },
    ]);
  });

  it('groups each turn’s calls as one round and accounts each turn’s calls', async () => {
    const { events, run } = setup([
      [call('1', 'search', { query: 'a' }), call('2', 'search', { query: 'b' })],
      [call('3', 'lookup', { query: 'c' })],
      'Done.',
    ]);
    const summary = await run();
    assert.deepEqual(
      ofType(events, 'task-planned').map((e) => [e.id, e.round, e.tool]),
      [[1, 1, 'search'], [2, 1, 'search'], [3, 2, 'lookup']],
    );
    assert.deepEqual(
      summary.calls.map((c) => [c.purpose, c.round, c.toolCalls]),
      [['function-calling', 1, 2], ['function-calling', 2, 1], ['function-calling', 3, undefined]],
    );
    assert.equal(summary.rounds, 3);
  });

  it('reports a failing call to the model as an error result and goes on', async () => {
    const { events, run, model } = setup([
      [
        call('ok', 'search', { query: 'a' }),
        call('bad', 'search', { query: 'fail here' }),
        call('unknown', 'serch', { query: 'a' }),
        call('args', 'lookup', { qurey: 'a' }),
      ],
      'Found a; the rest failed.',
    ]);
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'Found a; the rest failed.');
    const results = model.requests[1]!.messages.at(-1)!.toolResults!;
    assert.deepEqual(results.map((r) => r.callId), ['ok', 'bad', 'unknown', 'args']);
    assert.equal(results[0]!.content, 'search:a');
    assert.equal(results[1]!.content, 'Error: search could not find "fail here"');
    assert.match(results[2]!.content, /^Error: unknown tool "serch"\. Did you mean search\?/);
    assert.match(results[3]!.content, /^Error: lookup has no parameter "qurey"; did you mean query\?/);
    assert.deepEqual(
      ofType(events, 'task-finished').map((e) => e.status).sort(),
      ['error', 'error', 'error', 'ok'],
    );
  });

  it('takes a null optional argument as left out', async () => {
    const optional = fakeTool('grepish', {});
    optional.params = [...optional.params, { name: 'glob', schema: { type: 'string' }, optional: true, description: 'files' }];
    const { run, model } = setup([[call('x', 'grepish', { query: 'a', glob: null })], 'ok'], { extraTools: [optional] });
    await run();
    assert.deepEqual(model.requests[1]!.messages.at(-1)!.toolResults, [{ callId: 'x', content: 'grepish:a' }]);
  });

  it('reuses an identical call of an earlier turn instead of running it again', async () => {
    const { calls, events, run, model } = setup([[call('1', 'search', { query: 'a' })], [call('2', 'search', { query: 'a' })], 'Done.']);
    await run();
    assert.equal(calls.length, 1);
    const second = ofType(events, 'task-finished')[1]!;
    assert.deepEqual([second.status, second.cachedFrom], ['cached', 1]);
    assert.deepEqual(model.requests[2]!.messages.at(-1)!.toolResults, [{ callId: '2', content: 'search:a' }]);
  });

  it('streams the answer as it is written, text of earlier turns first', async () => {
    const { events, run } = setup([
      ['Let me look.', call('1', 'search', { query: 'a' })],
      ['The answer ', 'is in ', 'src/a.ts:1.'],
    ]);
    const summary = await run();
    const deltas = ofType(events, 'answer-delta').map((d) => d.text);
    assert.deepEqual(deltas, ['Let me look.', '\n\nThe answer ', 'is in ', 'src/a.ts:1.']);
    assert.equal(summary.answer, deltas.join(''));
    const firstOfAnswer = events.findIndex((e) => e.type === 'answer-delta' && e.text.includes('The answer'));
    assert.ok(firstOfAnswer < events.lastIndexOf(ofType(events, 'llm-end').at(-1)!), 'streamed before the call ended');
    assert.equal(ofType(events, 'task-planned')[0]!.thought, 'Let me look.');
  });

  it('gives the model one turn without tools at the turn limit, and answers with it', async () => {
    const { run, model } = setup(
      [[call('1', 'search', { query: 'a' })], [call('2', 'search', { query: 'b' })], 'From a and b: src/x.ts:2.'],
      { settings: { maxToolTurns: 2 } },
    );
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'From a and b: src/x.ts:2.');
    assert.equal(model.requests.length, 3);
    assert.equal(model.requests[2]!.options.tools, undefined, 'the last turn offers no tools');
    assert.match(model.requests[2]!.messages.at(-1)!.content, /used all 2 turns of tool calls\. Answer now/);
  });

  it('ends at the turn limit with a clear message when the model still writes no answer', async () => {
    const { run, model, calls } = setup(
      [[call('1', 'search', { query: 'a' })], [call('2', 'search', { query: 'b' })], [call('3', 'search', { query: 'c' })]],
      { settings: { maxToolTurns: 2 } },
    );
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error!.reason, 'turn-limit');
    assert.match(summary.error!.message, /still calling tools after 2 turns and wrote no answer/);
    assert.match(summary.error!.message, /llmCompiler\.maxToolTurns/);
    assert.equal(model.requests.length, 3);
    assert.equal(calls.length, 2, 'the call of the turn without tools did not run');
  });

  it('fails when a turn brings neither text nor calls', async () => {
    const { run } = setup(['']);
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error!.reason, 'model-error');
  });

  it('passes the conversation so far before the question', async () => {
    const model = createScriptedModel(['Yes.']);
    await runQuestion({
      question: 'And the second?',
      history: [
        { role: 'user', content: 'Where is the first?' },
        { role: 'assistant', content: 'In a.ts.' },
      ],
      model,
      tools: new ToolRegistry([fakeTool('search')]),
      roots: ['/tmp'],
      settings: { mode: 'function-calling' },
    });
    assert.deepEqual(
      model.requests[0]!.messages.slice(1).map((m) => [m.role, m.content]),
      [['user', 'Where is the first?'], ['assistant', 'In a.ts.'], ['user', 'And the second?']],
    );
  });

  describe('cancellation mid-turn', function () {
    this.timeout(30_000);

    it('ends as cancelled, with the running calls aborted and no child process left', async function () {
      if (!canInspectProcesses) skipBecause(this, 'child processes are inspected through Linux /proc');
      const slowProcess: Tool = {
        name: 'slow_process',
        description: 'Runs a process that takes half a minute.',
        params: [],
        async run(_args, ctx) {
          await runLines('sleep', ['30'], { cwd: '/tmp', signal: ctx.signal, onLine: () => undefined });
          return { text: 'never' };
        },
      };
      const hold = gate();
      const { run, controller, events, calls, model } = setup(
        [[call('p', 'slow_process', {}), call('s', 'search', { query: 'long' })], ['never', { wait: hold.promise }]],
        { delays: { long: 30_000 }, extraTools: [slowProcess] },
      );
      const sleeping = () => childProcesses().filter((c) => c.command === 'sleep');
      const before = sleeping().length;
      const done = run();
      assert.ok(await waitFor(() => sleeping().length > before && calls.length === 1, 10_000), 'the process started');
      controller.abort();
      const summary = await done;
      assert.equal(summary.outcome, 'cancelled');
      assert.ok(calls[0]!.signal.aborted);
      assert.deepEqual(
        ofType(events, 'task-finished').map((e) => e.status),
        ['cancelled', 'cancelled'],
      );
      assert.equal(sleeping().length, before, 'no child process outlives the run');
      assert.equal(model.requests.length, 1, 'no further turn after the cancel');
      hold.open();
    });
  });
});
