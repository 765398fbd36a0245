import assert from 'node:assert/strict';
import { CompilerError } from '../../../src/base/errors';
import { ResultCache } from '../../../src/core/resultCache';
import { runQuestion } from '../../../src/core/runQuestion';
import type { RunInput } from '../../../src/core/runQuestion';
import { ToolRegistry } from '../../../src/core/toolRegistry';
import type { CompilerEvent, EventOf, RunSummary } from '../../../src/shared/runEvents';
import type { ModelClient } from '../../../src/shared/modelContract';
import { fakeTool } from '../../support/fakeTools';
import type { FakeToolCall } from '../../support/fakeTools';
import { createScriptedModel, gate } from '../../support/scriptedModel';
import type { ScriptedReply } from '../../support/scriptedModel';

const FINISH = 'Thought: The results answer it.\nAction: Finish(The answer (with parentheses) is here.)';

function setup(
  planner: ScriptedReply[],
  joiner: ScriptedReply[] = [FINISH],
  options: { delayMs?: number; settings?: RunInput['settings']; ignoreAbort?: boolean } = {},
) {
  const calls: FakeToolCall[] = [];
  const tools = new ToolRegistry(
    ['search', 'lookup', 'compare'].map((name) =>
      fakeTool(name, { delayMs: options.delayMs ?? 5, calls, ignoreAbort: options.ignoreAbort }),
    ),
  );
  const events: CompilerEvent[] = [];
  const plannerModel = createScriptedModel(planner, { id: 'planner' });
  const joinerModel = createScriptedModel(joiner, { id: 'joiner' });
  const controller = new AbortController();
  const run = (question = 'What is the weather?'): Promise<RunSummary> =>
    runQuestion({
      question,
      model: plannerModel,
      joinerModel,
      tools,
      roots: ['/tmp'],
      settings: options.settings,
      signal: controller.signal,
      observer: (e) => events.push(e),
    });
  return { calls, events, run, controller, plannerModel, joinerModel };
}

function ofType<K extends CompilerEvent['type']>(events: CompilerEvent[], type: K): Array<EventOf<K>> {
  return events.filter((e): e is EventOf<K> => e.type === type);
}

function indexOf(events: CompilerEvent[], predicate: (e: CompilerEvent) => boolean): number {
  const i = events.findIndex(predicate);
  assert.ok(i >= 0, 'event not found');
  return i;
}

const started = (id: number) => (e: CompilerEvent) => e.type === 'task-started' && e.id === id;
const finished = (id: number) => (e: CompilerEvent) => e.type === 'task-finished' && e.id === id;

describe('compiler run', () => {
  it('starts tasks while the planner is still writing', async () => {
    const hold = gate();
    const { events, run } = setup([
      ['1. search("San Francisco")\n', { wait: hold.promise }, '2. search("Boston")\njoin()\n<END_OF_PLAN>'],
    ]);
    const done = run();
    while (!events.some(finished(1))) await new Promise((r) => setTimeout(r, 1));
    assert.ok(!events.some((e) => e.type === 'plan-end'), 'task 1 finished before the plan ended');
    hold.open();
    const summary = await done;
    assert.equal(summary.outcome, 'answered');
    assert.ok(indexOf(events, started(1)) < indexOf(events, (e) => e.type === 'plan-end'));
  });

  it('runs independent tasks in parallel and a dependent one in the turn its last dependency ends', async () => {
    const { events, run } = setup(
      [
        'Thought: three cities at once\n1. search("weather San Francisco")\n2. search("weather Los Angeles")\n3. search("weather New York")\n4. compare("$1 | $2 | $3")\njoin()\n<END_OF_PLAN>',
      ],
      [FINISH],
      { delayMs: 100 },
    );
    const summary = await run();
    const firstFinish = indexOf(events, (e) => e.type === 'task-finished');
    for (const id of [1, 2, 3]) assert.ok(indexOf(events, started(id)) < firstFinish, `task ${id} overlaps the others`);
    const lastDep = Math.max(...[1, 2, 3].map((id) => indexOf(events, finished(id))));
    assert.equal(indexOf(events, started(4)), lastDep + 1, 'task 4 starts right after its last dependency finishes');
    const compare = ofType(events, 'task-started').find((e) => e.id === 4)!;
    assert.equal(compare.resolvedArgs.query, 'search:weather San Francisco | search:weather Los Angeles | search:weather New York');
    assert.equal(summary.maxParallel, 3);
    assert.equal(summary.tasks.ok, 4);
    assert.equal(ofType(events, 'task-planned')[0]!.thought, 'three cities at once');
    // Structure, not a timing assertion: the three searches' intervals overlap, so their union is one tool time.
    const spans = ofType(events, 'task-finished')
      .filter((e) => e.id <= 3)
      .map((e) => ({ end: e.t, start: e.t - e.ms }));
    assert.ok(Math.max(...spans.map((s) => s.start)) < Math.min(...spans.map((s) => s.end)));
  });

  it('stamps each started task with when the schedule released it, the same for tasks released together', async () => {
    const { events, run } = setup(['1. search("a")\n2. lookup($1)\n3. compare($1)\njoin()']);
    await run();
    const planned = ofType(events, 'task-planned').find((e) => e.id === 1)!;
    const ended = ofType(events, 'task-finished').find((e) => e.id === 1)!;
    const [first, second, third] = [1, 2, 3].map((id) => ofType(events, 'task-started').find((e) => e.id === id)!);
    const between = (lo: number, x: number | undefined, hi: number) => x !== undefined && lo <= x && x <= hi;
    assert.ok(between(planned.t, first!.readyAt, first!.t), 'released once its line was read, before it started');
    assert.ok(between(ended.t, second!.readyAt, second!.t), 'released once its dependency finished, before it started');
    assert.equal(third!.readyAt, second!.readyAt, 'released in the same step as its sibling');
    assert.ok(third!.readyAt! <= third!.t);
  });

  it('streams the answer to observers in pieces and reports it', async () => {
    const { events, run } = setup(['1. search("x")\njoin()'], [
      ['Thought: ok\nAction: Finish(The ', 'answer (with', ' parentheses) is here.)'],
    ]);
    const summary = await run();
    const deltas = ofType(events, 'answer-delta');
    assert.ok(deltas.length >= 2, 'the answer arrives in several deltas');
    assert.equal(deltas.map((d) => d.text).join(''), 'The answer (with parentheses) is here.');
    assert.equal(summary.answer, 'The answer (with parentheses) is here.');
  });

  it('skips the dependents of a failed task, naming the failure, and runs the rest', async () => {
    const { events, run, joinerModel } = setup([
      '1. search("fail here")\n2. lookup($1)\n3. compare("$2")\n4. search("fine")\njoin()',
    ]);
    const summary = await run();
    const byId = new Map(ofType(events, 'task-finished').map((e) => [e.id, e]));
    assert.equal(byId.get(1)!.status, 'error');
    assert.equal(byId.get(1)!.error!.reason, 'tool-failed');
    for (const id of [2, 3]) {
      assert.equal(byId.get(id)!.status, 'skipped');
      assert.equal(byId.get(id)!.error!.reason, 'dependency-failed');
      assert.match(byId.get(id)!.error!.message, /task 1 \(search\) failed: search could not find "fail here"/);
    }
    assert.equal(byId.get(4)!.status, 'ok');
    assert.equal(summary.outcome, 'answered');
    // The joiner reads each call in the plan it continues, and its outcome under the task's number.
    const joinerMessages = joinerModel.requests[0]!.messages;
    assert.match(joinerMessages.at(-2)!.content, /^1\. search\("fail here"\)\n2\. lookup\(\$1\)/);
    const results = joinerMessages.at(-1)!.content;
    assert.match(results, /^1\. search -> error: search could not find "fail here"$/m);
    assert.match(results, /^2\. lookup -> skipped/m);
    assert.match(results, /search:fine/);
  });

  it('ends with a summary when the head of a 5 000-task chain fails', async function () {
    this.timeout(60_000);
    const lines = ['1. search("fail here")'];
    for (let id = 2; id <= 5_000; id++) lines.push(`${id}. lookup($${id - 1})`);
    const { events, run } = setup([`${lines.join('\n')}\njoin()`], [FINISH], { settings: { maxPlanLines: 10_000, maxOutputTokens: 100_000 } });
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    const skipped = ofType(events, 'task-finished').filter((e) => e.status === 'skipped');
    assert.equal(skipped.length, 4_999);
    assert.ok(skipped.every((e) => e.error!.message.startsWith('skipped because task 1 (search) failed')));
  });

  it('asks every model call for an output limit and stops a model that writes past it', async function () {
    this.timeout(60_000);
    // A planner that never stops writing prose (and ignores the limit), then a normal joiner.
    const endless: ModelClient = {
      id: 'endless',
      async *stream(_messages, options) {
        endlessRequests.push(options.maxOutputTokens);
        for (;;) {
          await new Promise((resolve) => setImmediate(resolve));
          if (options.signal.aborted) return;
          yield { type: 'text', text: 'And more words about the plan. '.repeat(32) };
        }
      },
    };
    const endlessRequests: Array<number | undefined> = [];
    const events: CompilerEvent[] = [];
    const joinerModel = createScriptedModel([FINISH]);
    const summary = await runQuestion({
      question: 'q',
      model: endless,
      joinerModel,
      tools: new ToolRegistry([fakeTool('search')]),
      roots: ['/tmp'],
      settings: { maxOutputTokens: 500, maxRounds: 1 },
      observer: (e) => events.push(e),
    });
    assert.deepEqual(endlessRequests, [500]);
    assert.equal(joinerModel.requests[0]!.options.maxOutputTokens, 500);
    const planner = ofType(events, 'llm-end').find((e) => e.purpose === 'planner')!;
    assert.equal(planner.outcome, 'truncated');
    assert.ok(summary.outcome === 'answered' || summary.outcome === 'failed', summary.outcome);
  });

  it('fails as timeout when the run passes its time limit, saying so', async function () {
    this.timeout(20_000);
    const { run, events } = setup(['1. search("slow")\njoin()'], [FINISH], { delayMs: 60_000, settings: { runTimeoutMs: 300 } });
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error?.reason, 'timeout');
    assert.match(summary.error!.message, /did not finish within its time limit of 0\.3 s/);
    assert.equal(ofType(events, 'task-finished')[0]?.status, 'cancelled');
  });

  it('records a failed model call as failed, with its error', async () => {
    const { run, events } = setup([[{ error: new CompilerError('model-error', 'the server broke') }]]);
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    const end = ofType(events, 'llm-end')[0]!;
    assert.equal(end.outcome, 'failed');
    assert.deepEqual(end.error, { reason: 'model-error', message: 'the server broke' });
  });

  it('cuts a plan of thousands of tasks at the plan bound, so the joiner request stays small', async function () {
    this.timeout(60_000);
    const lines = Array.from({ length: 10_000 }, (_, i) => `${i + 1}. search("city ${i + 1}")`);
    const { events, run, joinerModel } = setup([`${lines.join('\n')}\njoin()`], [FINISH], { delayMs: 0, settings: { maxOutputTokens: 1_000_000 } });
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.equal(ofType(events, 'task-planned').length, 100);
    assert.match(ofType(events, 'plan-error')[0]!.error.message, /more than 100 lines/);
    const request = joinerModel.requests[0]!.messages.map((m) => m.content).join('\n');
    assert.ok(request.length < 100_000, `joiner request of ${request.length} characters`);
  });

  it('starts the tools warming up when the question arrives, before the planner has written a line', async () => {
    const hold = gate();
    const warmed: Array<{ roots: readonly string[]; plannerCalls: number }> = [];
    const planner = createScriptedModel([[{ wait: hold.promise }, '1. slow("x")\njoin()']]);
    const tool = { ...fakeTool('slow'), warmUp: ({ roots }: { roots: readonly string[] }) => {
      warmed.push({ roots, plannerCalls: planner.requests.length });
      return Promise.resolve();
    } };
    const done = runQuestion({ question: 'q', model: planner, joinerModel: createScriptedModel([FINISH]), tools: new ToolRegistry([tool]), roots: ['/ws'] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(warmed, [{ roots: ['/ws'], plannerCalls: 0 }]);
    hold.open();
    assert.equal((await done).outcome, 'answered');
  });

  it('passes one item of a list result to a dependent task, and names the range of a missing one', async () => {
    const calls: FakeToolCall[] = [];
    const tools = new ToolRegistry([
      fakeTool('search', { calls, answer: (q) => ({ text: `3 hits for ${q}`, value: ['src/a.ts', 'src/b.ts', 'src/c.ts'] }) }),
      fakeTool('lookup', { calls }),
    ]);
    const events: CompilerEvent[] = [];
    const summary = await runQuestion({
      question: 'Which file is second?',
      model: createScriptedModel(['1. search("retry")\n2. lookup($1[1])\n3. lookup("in ${1[-1]}")\n4. lookup($1[3])\njoin()']),
      joinerModel: createScriptedModel([FINISH]),
      tools,
      roots: ['/tmp'],
      signal: new AbortController().signal,
      observer: (e) => events.push(e),
    });
    assert.equal(summary.outcome, 'answered');
    const byId = new Map(ofType(events, 'task-finished').map((e) => [e.id, e]));
    assert.equal(byId.get(2)!.status, 'ok');
    assert.equal(byId.get(2)!.text, 'lookup:src/b.ts');
    assert.equal(byId.get(2)!.args, '$1[1]');
    assert.equal(byId.get(3)!.text, 'lookup:in src/c.ts');
    assert.equal(byId.get(4)!.status, 'error');
    assert.equal(byId.get(4)!.error!.reason, 'bad-reference');
    assert.equal(byId.get(4)!.error!.message, '$1[3]: task 1 has 3 results (indexes 0-2, or -1 for the last)');
    assert.deepEqual(
      calls.map((c) => c.args.query),
      ['retry', 'src/b.ts', 'in src/c.ts'],
    );
  });

  it('runs identical calls once and reuses them in later rounds', async () => {
    const { calls, events, run } = setup(
      ['1. search("a")\n2. search("a")\n3. lookup("b")\njoin()', '4. search("a")\n5. lookup($3)\njoin()'],
      ['Thought: need more\nAction: Replan(look up b again)', FINISH],
    );
    const summary = await run();
    assert.equal(calls.filter((c) => c.tool === 'search').length, 1);
    const byId = new Map(ofType(events, 'task-finished').map((e) => [e.id, e]));
    assert.equal(byId.get(2)!.status, 'cached');
    assert.equal(byId.get(2)!.cachedFrom, 1);
    assert.equal(byId.get(4)!.status, 'cached');
    assert.equal(byId.get(4)!.text, 'search:a');
    assert.equal(summary.tasks.cached, 2);
  });

  it('replans with earlier results and resolves their $N in the new round', async () => {
    const { events, run, plannerModel } = setup(
      ['1. search("config")\njoin()', '2. lookup($1)\njoin()'],
      ['Thought: need the definition\nAction: Replan(read what search found)', FINISH],
    );
    const summary = await run();
    assert.equal(summary.rounds, 2);
    const replan = ofType(events, 'replan')[0]!;
    assert.equal(replan.reason, 'read what search found');
    const second = plannerModel.requests[1]!.messages.map((m) => m.content).join('\n');
    assert.match(second, /search:config/, 'the replanner sees round 1 results');
    assert.match(second, /Number new tasks from 2/);
    const lookup = ofType(events, 'task-started').find((e) => e.id === 2)!;
    assert.equal(lookup.resolvedArgs.query, 'search:config');
  });

  it('makes the last round answer even when the joiner asks for more', async () => {
    const { run } = setup(['1. search("a")\njoin()'], ['Action: Replan(missing the tests)'], { settings: { maxRounds: 1 } });
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.match(summary.answer!, /missing the tests/);
  });

  it('asks the joiner once more when its reply holds no answer, and answers', async () => {
    const { run, joinerModel, events } = setup(['1. search("a")\njoin()'], ['', FINISH]);
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    assert.equal(summary.answer, 'The answer (with parentheses) is here.');
    assert.equal(joinerModel.requests.length, 2);
    const retry = joinerModel.requests[1]!.messages;
    assert.deepEqual(retry.slice(0, -1), joinerModel.requests[0]!.messages, 'an empty reply is not sent back');
    assert.equal(retry.at(-1)!.role, 'user');
    assert.match(retry.at(-1)!.content, /no answer.*Action: Finish\(<the answer>\) or Action: Replan/);
    assert.deepEqual(summary.calls.map((c) => c.purpose), ['planner', 'joiner', 'joiner']);
    assert.equal(ofType(events, 'answer-delta').map((e) => e.text).join(''), summary.answer);
  });

  it('fails as joiner-format when the joiner writes no answer twice', async () => {
    const { run, joinerModel } = setup(['1. search("a")\njoin()'], ['Thought: done.\nAction: Finish()', 'Action: Finish("")'], {
      settings: { maxRounds: 1 },
    });
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error!.reason, 'joiner-format');
    assert.equal(joinerModel.requests.length, 2);
    const retry = joinerModel.requests[1]!.messages.slice(-2);
    assert.deepEqual(retry[0], { role: 'assistant', content: 'Thought: done.\nAction: Finish()' });
    assert.match(retry[1]!.content, /no answer.*Action: Finish\(<the answer>\)\.$/, 'the last round is not offered a replan');
  });

  it('cancels everything: model streams, running tools and waiting tasks', async () => {
    const { calls, events, run, controller } = setup(
      [['1. search("a")\n2. search("b")\n3. lookup($1)\n', { wait: new Promise(() => undefined) }]],
      [FINISH],
      { delayMs: 60_000 },
    );
    const done = run();
    while (calls.length < 2) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    const summary = await done;
    assert.equal(summary.outcome, 'cancelled');
    assert.ok(calls.every((c) => c.signal.aborted), 'every tool saw the abort');
    const statuses = ofType(events, 'task-finished').map((e) => [e.id, e.status]);
    assert.deepEqual(statuses.sort(), [[1, 'cancelled'], [2, 'cancelled'], [3, 'cancelled']]);
    assert.equal(ofType(events, 'run-end')[0]!.outcome, 'cancelled');
    assert.equal(ofType(events, 'llm-end').length, 1, 'the cancelled planner call is still accounted');
  });

  it('finishes a cancelled run even when a tool ignores the signal', async () => {
    const { calls, run, controller } = setup(['1. search("a")\njoin()'], [FINISH], { delayMs: 60_000, ignoreAbort: true });
    const done = run();
    while (calls.length < 1) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    assert.equal((await done).outcome, 'cancelled');
  });

  it('runs under the id its caller chose, and the caller\'s signal cancels it', async () => {
    const { calls, events, plannerModel, joinerModel } = setup(['1. search("a")\njoin()'], [FINISH], { delayMs: 60_000 });
    const chat = new AbortController();
    const tools = new ToolRegistry([fakeTool('search', { delayMs: 60_000, calls })]);
    const done = runQuestion({ question: 'q', model: plannerModel, joinerModel, tools, roots: ['/tmp'], runId: 'run-1', signal: chat.signal, observer: (e) => events.push(e) });
    while (calls.length < 1) await new Promise((r) => setTimeout(r, 1));
    chat.abort();
    assert.equal((await done).outcome, 'cancelled');
    assert.equal(ofType(events, 'run-start')[0]!.runId, 'run-1');
  });

  it('fails a task that exceeds its timeout and skips its dependents', async () => {
    const { events, run } = setup(['1. search("slow")\n2. lookup($1)\njoin()'], [FINISH], {
      delayMs: 60_000,
      settings: { taskTimeoutMs: 20 },
    });
    await run();
    const byId = new Map(ofType(events, 'task-finished').map((e) => [e.id, e]));
    assert.equal(byId.get(1)!.error!.reason, 'timeout');
    assert.equal(byId.get(2)!.status, 'skipped');
  });

  it('accounts every LLM call with its tokens', async () => {
    const { run, plannerModel, joinerModel } = setup(['1. search("a")\njoin()']);
    const summary = await run();
    assert.equal(summary.llmCalls, 2);
    assert.deepEqual(
      summary.calls.map((c) => c.purpose),
      ['planner', 'joiner'],
    );
    const expectedInput = [plannerModel, joinerModel]
      .map((m) => Math.ceil(m.requests[0]!.messages.reduce((n, x) => n + x.content.length, 0) / 4))
      .reduce((a, b) => a + b);
    assert.equal(summary.inputTokens, expectedInput);
    assert.ok(summary.outputTokens > 0);
    assert.equal(summary.tokensEstimated, false);
  });

  it('reports a model failure as the run outcome with its reason', async () => {
    const { run } = setup([[{ error: new CompilerError('model-unreachable', 'http://127.0.0.1:9/v1 did not answer') }]]);
    const summary = await run();
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.error!.reason, 'model-unreachable');
  });

  it('names an external tool\'s origin on its planned and started events, with or without kept results', async () => {
    const origin = { kind: 'extension', name: 'acme.lookups' } as const;
    const reads = { path: async () => {}, tree: async () => {}, git: async () => {}, volatile: () => {} };
    for (const resultCache of [undefined, new ResultCache({ tracker: { record: () => ({ reads, finish: async () => undefined }) } })]) {
      const tools = new ToolRegistry([fakeTool('search'), { ...fakeTool('lookup'), origin }]);
      const events: CompilerEvent[] = [];
      const summary = await runQuestion({
        question: 'Which?',
        model: createScriptedModel(['1. search("a")\n2. lookup("b")\njoin()\n<END_OF_PLAN>'], { id: 'planner' }),
        joinerModel: createScriptedModel([FINISH], { id: 'joiner' }),
        tools,
        roots: ['/tmp'],
        signal: new AbortController().signal,
        observer: (e) => events.push(e),
        ...(resultCache ? { resultCache } : {}),
      });
      assert.equal(summary.outcome, 'answered');
      for (const type of ['task-planned', 'task-started'] as const) {
        const byId = new Map(ofType(events, type).map((e) => [e.id, e.origin]));
        assert.deepEqual([...byId], [[1, undefined], [2, origin]], `${type}, ${resultCache ? 'with' : 'without'} kept results`);
      }
    }
  });
});

describe('plan validation', () => {
  async function planErrors(plan: string) {
    const { events, run } = setup([plan, '9. search("ok")\njoin()'], [FINISH]);
    await run();
    return {
      events,
      failed: new Map(ofType(events, 'task-finished').map((e) => [e.id, e])),
      planErrors: ofType(events, 'plan-error'),
    };
  }

  it('refuses an unknown tool and suggests the nearest name', async () => {
    const { failed } = await planErrors('1. serch("a")\njoin()');
    assert.equal(failed.get(1)!.error!.reason, 'unknown-tool');
    assert.match(failed.get(1)!.error!.message, /unknown tool "serch"\. Did you mean search\?/);
  });

  it('refuses arguments that do not fit the schema', async () => {
    const { failed } = await planErrors(
      '1. search({"k": 1})\n2. search("a", "b")\n3. search(qurey="a")\n4. search(["a", "b"])\n5. search(7)\njoin()',
    );
    assert.equal(failed.get(1)!.error!.reason, 'invalid-args');
    assert.match(failed.get(1)!.error!.message, /argument "query" must be string \(got \{"k":1\}\)/);
    assert.match(failed.get(4)!.error!.message, /list of 2 different values/);
    assert.equal(failed.get(5)!.status, 'ok', 'a number where text is expected is taken as its text, as models write it');
    assert.match(failed.get(2)!.error!.message, /takes at most 1 argument/);
    assert.match(failed.get(3)!.error!.message, /no parameter "qurey"; did you mean query\?/);
  });

  it('refuses references to itself, to later tasks and to missing ones', async () => {
    const { failed } = await planErrors('2. search("$2")\n3. search("$4")\n4. search("$1")\njoin()');
    assert.match(failed.get(2)!.error!.message, /refers to its own result/);
    assert.match(failed.get(3)!.error!.message, /refers to \$4, which comes later/);
    assert.match(failed.get(4)!.error!.message, /there is no task 1/);
    for (const id of [2, 3, 4]) assert.equal(failed.get(id)!.error!.reason, 'bad-reference');
  });

  it('refuses duplicate and decreasing ids without disturbing the first task', async () => {
    const { failed, planErrors: errors } = await planErrors('2. search("a")\n2. search("b")\n1. search("c")\njoin()');
    assert.equal(failed.get(2)!.status, 'ok');
    assert.deepEqual(
      errors.map((e) => e.error.reason),
      ['duplicate-id', 'duplicate-id'],
    );
    assert.match(errors[0]!.error.message, /task 2 is numbered twice/);
    assert.match(errors[1]!.error.message, /task numbers must increase/);
  });

  it('replans an entirely unusable plan with the error text', async () => {
    const { events, run, plannerModel } = setup(['1. nope("a")\njoin()', '2. search("a")\njoin()'], [FINISH]);
    const summary = await run();
    assert.equal(summary.outcome, 'answered');
    const replan = ofType(events, 'replan')[0]!;
    assert.match(replan.reason, /no task of the plan could run: task 1: unknown tool "nope"/);
    assert.match(plannerModel.requests[1]!.messages.at(-1)!.content, /unknown tool "nope"/);
  });
});

describe('comparison modes', () => {
  it('plan-and-execute starts no task before the plan is written and runs one at a time', async () => {
    const { events, run } = setup(['1. search("a")\n2. search("b")\n3. search("c")\njoin()'], [FINISH], {
      settings: { mode: 'plan-execute' },
    });
    const summary = await run();
    assert.ok(indexOf(events, started(1)) > indexOf(events, (e) => e.type === 'plan-end'));
    assert.equal(summary.maxParallel, 1);
    assert.equal(summary.tasks.ok, 3);
  });

  it('react streams its final answer as it is written, and not its tool calls', async () => {
    const { events, run } = setup(
      [
        ['Thought: search first\nAction: sea', 'rch("a")\n'],
        ['Thought: done\nAction: Finish(The ', 'answer (with', ' parentheses) is here.)'],
      ],
      [],
      { settings: { mode: 'react' } },
    );
    const summary = await run();
    const deltas = ofType(events, 'answer-delta');
    assert.ok(deltas.length >= 2, 'the answer arrives in several deltas');
    assert.equal(deltas.map((d) => d.text).join(''), 'The answer (with parentheses) is here.');
    assert.equal(summary.answer, 'The answer (with parentheses) is here.');
    const firstDelta = events.indexOf(deltas[0]!);
    const lastCallEnd = events.lastIndexOf(ofType(events, 'llm-end').at(-1)!);
    assert.ok(firstDelta < lastCallEnd, 'the first piece comes before the answering call ends');
  });

  it('react makes one call a turn and resends the growing conversation', async () => {
    const { events, run, plannerModel } = setup(
      [
        'Thought: search first\nAction: search("a")\n',
        'Thought: now look it up\nAction: lookup("b")\nObservation: invented',
        'Thought: done\nAction: Finish(a and b)',
      ],
      [],
      { settings: { mode: 'react' } },
    );
    const summary = await run();
    assert.equal(summary.answer, 'a and b');
    assert.equal(summary.llmCalls, 3);
    assert.equal(summary.maxParallel, 1);
    const sizes = plannerModel.requests.map((r) => r.messages.length);
    assert.deepEqual(sizes, [2, 4, 6]);
    assert.match(plannerModel.requests[2]!.messages.at(-1)!.content, /Observation: lookup:b/);
    assert.ok(!plannerModel.requests[2]!.messages.some((m) => m.content.includes('invented')), 'stopped at Observation:');
    assert.deepEqual(
      ofType(events, 'task-finished').map((e) => e.status),
      ['ok', 'ok'],
    );
  });
});
