import assert from 'node:assert/strict';
import type { CompilerEvent } from '../../../../src/shared/runEvents';
import { createRunStore } from '../../../../src/vscode/panel/runStore';
import { failureRun, parallelRun } from '../../../webview/runFixtures';

const startOf = (runId: string, t = 0): CompilerEvent => ({ type: 'run-start', t, runId, question: `q ${runId}`, mode: 'compiler', model: 'm', tools: [] });
const endOf = (t = 9): CompilerEvent => ({
  type: 'run-end', t, outcome: 'answered', answer: 'a', llmCalls: 0, inputTokens: 0, outputTokens: 0, tokensEstimated: false, wallMs: t, rounds: 1,
  tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 }, sequentialToolMs: 0, maxParallel: 0, calls: [],
});

describe('runStore', () => {
  it('records a run through its observer and lists it', () => {
    let clock = 1000;
    const store = createRunStore({ now: () => clock++ });
    const observe = store.observe('run-parallel');
    const events = parallelRun();
    events.slice(0, 5).forEach(observe);
    assert.deepEqual(store.runs(), [
      { runId: 'run-parallel', question: events[0].type === 'run-start' ? events[0].question : '', mode: 'compiler', model: 'openai:gpt-4o-mini', startedAt: 1000, tasks: 1, cancellable: false },
    ]);
    events.slice(5).forEach(observe);
    const [item] = store.runs();
    assert.equal(item.outcome, 'answered');
    assert.equal(item.wallMs, 2490);
    assert.equal(item.tasks, 4);
    assert.deepEqual(store.events('run-parallel'), events);
    assert.equal(store.events('nope'), undefined);
  });

  it('lists runs newest first and hands out copies', () => {
    const store = createRunStore();
    store.record('a', startOf('a'));
    store.record('b', startOf('b'));
    assert.deepEqual(store.runs().map((r) => r.runId), ['b', 'a']);
    store.runs()[0].question = 'changed';
    (store.events('a') as unknown[]).length = 0;
    assert.equal(store.runs()[0].question, 'q b');
    assert.equal(store.events('a')!.length, 1);
  });

  it('streams events and tells when the list changes', () => {
    const store = createRunStore();
    const seen: string[] = [];
    let changes = 0;
    const a = store.onEvent((runId, e) => seen.push(`${runId}:${e.type}`));
    const b = store.onDidChangeRuns(() => changes++);
    const observe = store.observe('x');
    observe(startOf('x'));
    observe({ type: 'plan-start', t: 1, round: 1 });
    observe(endOf());
    assert.deepEqual(seen, ['x:run-start', 'x:plan-start', 'x:run-end']);
    assert.equal(changes, 2, 'the run appeared, the run ended');
    a.dispose();
    b.dispose();
    observe({ type: 'answer-delta', t: 10, text: 'late' });
    assert.equal(seen.length, 3);
  });

  it('keeps feeding other listeners when one throws, and drops the one that threw', () => {
    const store = createRunStore();
    const seen: string[] = [];
    let broken = 0;
    const error = console.error;
    console.error = () => undefined;
    try {
      store.onEvent(() => {
        broken++;
        throw new Error('broken view');
      });
      store.onEvent((_, e) => seen.push(e.type));
      store.record('x', startOf('x'));
      store.record('x', { type: 'answer-delta', t: 1, text: 'a' });
    } finally {
      console.error = error;
    }
    assert.deepEqual(seen, ['run-start', 'answer-delta']);
    assert.equal(broken, 1);
  });

  it('cancels a live run through the hook given to observe, and only a live one', () => {
    const store = createRunStore();
    let cancelled = 0;
    const observe = store.observe('x', { cancel: () => cancelled++ });
    assert.equal(store.cancel('x'), false, 'not recorded yet');
    observe(startOf('x'));
    assert.equal(store.runs()[0].cancellable, true);
    assert.equal(store.cancel('x'), true);
    assert.equal(cancelled, 1);
    observe(endOf());
    assert.equal(store.runs()[0].cancellable, false);
    assert.equal(store.cancel('x'), false, 'over');
    store.record('y', startOf('y'));
    assert.equal(store.cancel('y'), false, 'observed without a hook');
    assert.equal(store.cancel('nope'), false);
  });

  it('keeps the last N runs, dropping finished ones before live ones', () => {
    const store = createRunStore({ maxRuns: 3 });
    store.record('live', startOf('live'));
    for (const id of ['a', 'b', 'c']) {
      store.record(id, startOf(id));
      store.record(id, endOf());
    }
    assert.deepEqual(store.runs().map((r) => r.runId), ['c', 'b', 'live']);
    assert.equal(store.events('a'), undefined);
    for (const e of failureRun()) store.record('d', e);
    assert.deepEqual(store.runs().map((r) => r.runId), ['d', 'c', 'live']);
  });
});
