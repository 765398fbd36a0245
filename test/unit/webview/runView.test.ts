import assert from 'node:assert/strict';
import type { RunView } from '../../../src/webview/runView';
import { EMPTY_RUN_VIEW, buildRunView, findNode, isLive, reduceRun, toolBusyMs } from '../../../src/webview/runView';
import type { CompilerEvent, RunSummary } from '../../../src/shared/runEvents';
import { failureRun, parallelRun, replanRun, stressRun } from '../../webview/runFixtures';

const start: CompilerEvent = { type: 'run-start', t: 0, runId: 'r1', question: 'Why?', mode: 'compiler', model: 'm', tools: ['a', 'b'] };
const planned = (id: number, deps: number[] = [], t = id, round = 1): CompilerEvent => ({ type: 'task-planned', t, id, round, tool: 'search_text', args: `"q${id}"`, deps });
const started = (id: number, t: number): CompilerEvent => ({ type: 'task-started', t, id, tool: 'search_text', resolvedArgs: { query: `q${id}` } });
const finished = (id: number, t: number, status: 'ok' | 'error' | 'skipped' | 'cancelled' | 'cached', ms: number, extra: Partial<Extract<CompilerEvent, { type: 'task-finished' }>> = {}): CompilerEvent => ({
  type: 'task-finished',
  t,
  id,
  round: 1,
  tool: 'search_text',
  args: `"q${id}"`,
  deps: [],
  status,
  ms,
  text: `result ${id}`,
  ...extra,
});

function fold(...events: CompilerEvent[]): RunView {
  return buildRunView([start, ...events]);
}

/** Freezes a view deeply, so a reducer that mutates its input throws. */
function freeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  }
  return value;
}

function summaryOf(events: CompilerEvent[]): RunSummary {
  const end = events.find((e) => e.type === 'run-end');
  assert.ok(end?.type === 'run-end');
  const { type: _type, t: _t, ...summary } = end;
  return summary;
}

describe('reduceRun', () => {
  it('keeps an external task\'s origin from its planned or its started event, and ignores a malformed one', () => {
    const origin = { kind: 'extension' as const, name: 'acme.tracker' };
    const view = fold(
      { ...planned(1), origin } as CompilerEvent,
      planned(2),
      { ...started(2, 5), origin: { kind: 'mcp', name: 'docs' } } as CompilerEvent,
      { ...planned(3), origin: { kind: 'shell', name: 'x' } } as unknown as CompilerEvent,
      { ...planned(4), origin: { kind: 'mcp', name: 'n'.repeat(5_000) } } as CompilerEvent,
      started(1, 6),
    );
    assert.deepEqual(findNode(view, 1)!.origin, origin);
    assert.deepEqual(findNode(view, 2)!.origin, { kind: 'mcp', name: 'docs' });
    assert.equal(findNode(view, 3)!.origin, undefined);
    assert.equal(findNode(view, 4)!.origin!.name.length, 200);
  });

  it('starts a fresh view on run-start', () => {
    const before = fold(planned(1));
    const view = reduceRun(before, { ...start, runId: 'r2', question: 'Next?', t: 0 });
    assert.equal(view.runId, 'r2');
    assert.equal(view.question, 'Next?');
    assert.deepEqual(view.tools, ['a', 'b']);
    assert.equal(view.nodes.length, 0);
    assert.ok(isLive(view));
    assert.ok(!isLive(EMPTY_RUN_VIEW), 'no run, nothing live');
  });

  it('adds planned tasks with their dependency edges, sorted and unique', () => {
    const view = fold(planned(1), planned(2), planned(3, [2, 1, 2]));
    assert.deepEqual(
      view.nodes.map((n) => [n.id, n.state]),
      [
        [1, 'planned'],
        [2, 'planned'],
        [3, 'planned'],
      ],
    );
    assert.deepEqual(findNode(view, 3)?.deps, [1, 2]);
    assert.deepEqual(view.edges, [
      { from: 1, to: 3 },
      { from: 2, to: 3 },
    ]);
    assert.equal(view.structureVersion, 3);
  });

  it('draws an edge to a dependency that appears after its dependent', () => {
    const view = fold(planned(2, [1], 1), planned(1, [], 2));
    assert.deepEqual(view.edges, [{ from: 1, to: 2 }]);
    assert.deepEqual(view.missingDeps, []);
  });

  it('tracks running tasks, their resolved arguments and the peak parallelism', () => {
    let view = fold(planned(1), planned(2), planned(3), started(1, 5), started(2, 6));
    assert.equal(findNode(view, 1)?.state, 'running');
    assert.deepEqual(findNode(view, 1)?.resolvedArgs, { query: 'q1' });
    assert.equal(findNode(view, 1)?.startedAt, 5);
    assert.deepEqual(view.stats.running, [1, 2]);
    view = reduceRun(view, finished(1, 20, 'ok', 15));
    view = reduceRun(view, started(3, 21));
    assert.deepEqual(view.stats.running, [2, 3]);
    assert.equal(view.stats.maxParallel, 2);
  });

  it('settles tasks with their status, timing, text, error, locations and cache source', () => {
    const loc = { path: '/w/a.ts', relPath: 'a.ts', line: 3 };
    const view = fold(
      planned(1),
      planned(2),
      planned(3, [2]),
      planned(4),
      started(1, 5),
      started(2, 5),
      finished(1, 25, 'ok', 20, { locations: [loc] }),
      finished(2, 30, 'error', 25, { error: { reason: 'tool-failed', message: 'boom' } }),
      finished(3, 30, 'skipped', 0, { error: { reason: 'dependency-failed', message: 'skipped because task 2 failed' } }),
      finished(4, 31, 'cached', 0, { cachedFrom: 1 }),
    );
    const [one, two, three, four] = view.nodes;
    assert.deepEqual([one.state, one.ms, one.finishedAt, one.text, one.locations], ['ok', 20, 25, 'result 1', [loc]]);
    assert.equal(two.error?.message, 'boom');
    assert.equal(three.state, 'skipped');
    assert.equal(three.startedAt, undefined, 'a skipped task never ran');
    assert.equal(four.cachedFrom, 1);
    assert.deepEqual(view.stats.tasks, { total: 4, ok: 1, error: 1, skipped: 1, cancelled: 0, cached: 1 });
    assert.equal(view.stats.sequentialToolMs, 45, 'cached tasks add nothing');
    assert.deepEqual(view.stats.running, []);
  });

  it('keeps the earlier question a reused result came from, and adds up the tool time reuse saved', () => {
    const view = fold(
      planned(1),
      planned(2),
      started(1, 5),
      finished(1, 7, 'cached', 2, { cachedFrom: 4, cachedFromRun: 'run-a', originalMs: 300 }),
      finished(2, 8, 'cached', 0, { cachedFrom: 1, originalMs: 300 }),
    );
    const [one] = view.nodes;
    assert.deepEqual([one.cachedFrom, one.cachedFromRun, one.originalMs], [4, 'run-a', 300]);
    assert.equal(view.stats.savedToolMs, 298 + 300);
    assert.equal(view.stats.sequentialToolMs, 0);
  });

  it('draws a task it only hears about when it finishes', () => {
    const view = fold(finished(7, 10, 'ok', 4, { deps: [] }));
    assert.equal(findNode(view, 7)?.state, 'ok');
    assert.equal(view.structureVersion, 1);
  });

  it('ignores repeated and malformed events', () => {
    const once = fold(planned(1), started(1, 2), finished(1, 5, 'ok', 3));
    const again = [planned(1, [9]), finished(1, 9, 'error', 8), started(1, 10)].reduce(reduceRun, once);
    assert.deepEqual(again.nodes, once.nodes);
    assert.equal(again.stats.tasks.total, 1);
    const bad = [
      { type: 'task-planned', t: 3, id: 1.5, round: 1, tool: 'x', args: '', deps: [] },
      { type: 'task-started', t: 3, id: 42, tool: 'x', resolvedArgs: {} },
      { type: 'answer-delta', t: 3, text: 7 },
      { type: 'mystery', t: 3 },
    ] as unknown as CompilerEvent[];
    const after = bad.reduce(reduceRun, once);
    assert.deepEqual(after.nodes, once.nodes);
    assert.equal(after.answer, '');
  });

  it('keeps model calls as spans and counts their tokens when they end', () => {
    let view = fold({ type: 'llm-start', t: 1, call: 1, purpose: 'planner', round: 1 });
    assert.deepEqual(view.llm, [{ call: 1, purpose: 'planner', round: 1, start: 1 }]);
    view = reduceRun(view, { type: 'llm-end', t: 90, call: 1, purpose: 'planner', round: 1, inputTokens: 100, outputTokens: 20, estimated: true, start: 1, end: 90, firstTokenMs: 30 });
    assert.deepEqual(view.llm, [{ call: 1, purpose: 'planner', round: 1, start: 1, end: 90, inputTokens: 100, outputTokens: 20, estimated: true, firstTokenMs: 30 }]);
    assert.deepEqual([view.stats.llmCalls, view.stats.inputTokens, view.stats.outputTokens, view.stats.tokensEstimated], [1, 100, 20, true]);
    view = reduceRun(view, { type: 'llm-end', t: 95, call: 2, purpose: 'joiner', round: 1, inputTokens: 5, outputTokens: 5, estimated: false, start: 91, end: 95 });
    assert.equal(view.llm.length, 2, 'an end without a start still makes a span');
  });

  it('records rounds: planning, plan errors, the joiner, its thought and replans', () => {
    const view = fold(
      { type: 'plan-start', t: 1, round: 1 },
      { type: 'plan-error', t: 2, round: 1, line: 3, source: '3. nope(', error: { reason: 'plan-syntax', message: 'unclosed (' } },
      { type: 'plan-end', t: 4, round: 1, tasks: 0 },
      { type: 'join-start', t: 5, round: 1 },
      { type: 'thought', t: 6, round: 1, text: 'need more' },
      { type: 'replan', t: 7, round: 1, reason: 'no results' },
      { type: 'plan-start', t: 8, round: 2 },
    );
    assert.deepEqual(view.rounds, [
      { round: 1, planStart: 1, planEnd: 4, plannedTasks: 0, joinStart: 5, thought: 'need more', replanReason: 'no results', planErrors: [{ line: 3, source: '3. nope(', error: { reason: 'plan-syntax', message: 'unclosed (' } }] },
      { round: 2, planStart: 8, planErrors: [] },
    ]);
    assert.equal(view.structureVersion, 1, 'a joiner appearing changes the drawing');
  });

  it('streams the answer and ends with the summary’s figures', () => {
    let view = fold({ type: 'answer-delta', t: 5, text: 'Hel' }, { type: 'answer-delta', t: 6, text: 'lo' });
    assert.equal(view.answer, 'Hello');
    assert.equal(view.stats.wallMs, 6, 'a live run’s wall time is its latest event');
    const events = parallelRun();
    view = buildRunView(events);
    const summary = summaryOf(events);
    assert.equal(view.outcome, 'answered');
    assert.deepEqual(view.summary, summary);
    assert.equal(view.answer, summary.answer);
    assert.equal(view.stats.wallMs, summary.wallMs);
    assert.ok(!isLive(view));
  });

  it('computes live the same statistics the run summary reports', () => {
    for (const events of [parallelRun(), failureRun(), replanRun(), stressRun(60)]) {
      const summary = summaryOf(events);
      const live = buildRunView(events.filter((e) => e.type !== 'run-end'));
      assert.deepEqual(
        [live.stats.sequentialToolMs, live.stats.maxParallel, live.stats.tasks, live.stats.llmCalls, live.stats.inputTokens + live.stats.outputTokens],
        [summary.sequentialToolMs, summary.maxParallel, summary.tasks, summary.llmCalls, summary.inputTokens + summary.outputTokens],
      );
    }
  });

  it('never mutates the view it is given and keeps unchanged nodes', () => {
    const before = freeze(fold(planned(1), planned(2), started(1, 3)));
    const after = reduceRun(before, finished(1, 9, 'ok', 6));
    assert.notEqual(after, before);
    assert.equal(after.nodes[1], before.nodes[1], 'task 2 did not change, so it is the same object');
    assert.notEqual(after.nodes[0], before.nodes[0]);
    assert.equal(findNode(before, 1)?.state, 'running');
  });

  it('folds a 200-task run quickly', () => {
    const events = stressRun(200);
    const t = performance.now();
    const view = buildRunView(events);
    assert.equal(view.nodes.length, 200);
    assert.ok(performance.now() - t < 500);
  });
});

describe('toolBusyMs', () => {
  it('measures the time at least one task ran, overlaps counted once', () => {
    const view = fold(planned(1), planned(2), planned(3), started(1, 0), started(2, 5), finished(1, 10, 'ok', 10), finished(2, 12, 'ok', 7), started(3, 20));
    // [0,10] ∪ [5,12] = 12, plus task 3 running from 20 to "now" 25.
    assert.equal(toolBusyMs(view.nodes, 25), 17);
    assert.equal(toolBusyMs([], 25), 0);
  });
});
