import assert from 'node:assert/strict';
import type { CompilerEvent } from '../../../../src/shared/runEvents';
import { HISTORY_KEY, historyOf, loadRunHistory, registerRunHistory } from '../../../../src/vscode/panel/runHistory';
import type { MementoLike } from '../../../../src/vscode/panel/runHistory';
import { createRunStore } from '../../../../src/vscode/panel/runStore';
import type { RestoredRun } from '../../../../src/vscode/panel/runStore';
import { failureRun, parallelRun } from '../../../webview/runFixtures';

/** An in-memory `vscode.Memento` whose writes can be made to fail. */
function memento(initial: Record<string, unknown> = {}) {
  const values = new Map(Object.entries(initial));
  const writes: unknown[] = [];
  let failNext = false;
  const m: MementoLike & { writes: unknown[]; failNextWrite(): void } = {
    writes,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update(key, value) {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('disk full'));
      }
      // Stored as VS Code stores it: serialised, so nothing is shared with the caller.
      values.set(key, JSON.parse(JSON.stringify(value)));
      writes.push(values.get(key));
      return Promise.resolve();
    },
    failNextWrite: () => void (failNext = true),
  };
  return m;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(stored?: unknown, now = () => 5_000) {
  const state = memento(stored === undefined ? {} : { [HISTORY_KEY]: stored });
  const store = createRunStore({ restored: loadRunHistory(state), now });
  const warnings: string[] = [];
  const subscriptions: Array<{ dispose(): void }> = [];
  registerRunHistory({ workspaceState: state, subscriptions }, store, { warn: (m) => warnings.push(m) });
  return { state, store, warnings, subscriptions };
}

function play(store: ReturnType<typeof createRunStore>, runId: string, events: CompilerEvent[]) {
  const observe = store.observe(runId);
  events.forEach(observe);
}

describe('run history', () => {
  it('saves a run when it ends, and shows it again in a new store, as it was', async () => {
    const first = setup();
    play(first.store, 'run-1', parallelRun().slice(0, 4));
    await flush();
    assert.equal(first.state.writes.length, 0, 'a live run is not saved');
    play(first.store, 'run-1', parallelRun().slice(4));
    await flush();
    assert.equal(first.state.writes.length, 1);

    // A later session: its clock is hours on, the run keeps the time it started.
    const second = setup(first.state.get(HISTORY_KEY), () => 9_000_000);
    const [item] = second.store.runs();
    assert.deepEqual(item, { ...first.store.runs()[0], cancellable: false });
    assert.equal(item.startedAt, 5_000);
    const answer = (events: readonly CompilerEvent[]) => events.filter((e) => e.type === 'answer-delta').map((e) => (e as { text: string }).text).join('');
    const restored = second.store.events('run-1')!;
    assert.equal(answer(restored), answer(parallelRun()));
    assert.deepEqual(
      restored.filter((e) => e.type !== 'answer-delta'),
      parallelRun().filter((e) => e.type !== 'answer-delta'),
    );
  });

  it('keeps the answer as one event instead of its many deltas', () => {
    const store = createRunStore();
    play(store, 'r', parallelRun());
    const deltas = parallelRun().filter((e) => e.type === 'answer-delta').length;
    assert.ok(deltas > 1, 'the fixture streams its answer');
    assert.equal(historyOf(store)[0]!.events.filter((e) => e.type === 'answer-delta').length, 1);
  });

  it('keeps the newest runs that fit the size budget, oldest first', () => {
    const store = createRunStore();
    play(store, 'old', parallelRun());
    play(store, 'mid', failureRun());
    play(store, 'new', parallelRun());
    const all = historyOf(store);
    assert.deepEqual(all.map((r) => r.runId), ['old', 'mid', 'new']);
    const size = (runs: RestoredRun[]) => runs.reduce((n, r) => n + JSON.stringify(r).length, 0);
    const budget = size(all.slice(1));
    assert.deepEqual(historyOf(store, budget).map((r) => r.runId), ['mid', 'new']);
  });

  it('ignores what it cannot read, and keeps the whole runs beside it', () => {
    const good = historyOf((() => {
      const s = createRunStore();
      play(s, 'good', parallelRun());
      return s;
    })())[0]!;
    const unfinished = { ...good, runId: 'unfinished', events: good.events.slice(0, -1) };
    for (const stored of [null, 'text', { version: 2, runs: [good] }, { version: 1, runs: 'x' }]) {
      assert.deepEqual(setup(stored).store.runs(), [], JSON.stringify(stored));
    }
    const mixed = setup({ version: 1, runs: [unfinished, { runId: 3 }, null, { ...good, events: [1, 2] }, good] });
    assert.deepEqual(mixed.store.runs().map((r) => r.runId), ['good']);
  });

  it('writes again only when the finished runs change, and reports a failed write', async () => {
    const { state, store, warnings } = setup();
    play(store, 'a', parallelRun());
    await flush();
    store.record('b', parallelRun()[0]!);
    await flush();
    assert.equal(state.writes.length, 1, 'a run starting changes nothing saved');
    state.failNextWrite();
    play(store, 'b', parallelRun().slice(1));
    await flush();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Could not save the run history: disk full/);
    play(store, 'c', failureRun());
    await flush();
    assert.deepEqual((state.writes.at(-1) as { runs: RestoredRun[] }).runs.map((r) => r.runId), ['a', 'b', 'c']);
  });

  it('stops saving once disposed', async () => {
    const { state, store, subscriptions } = setup();
    subscriptions.forEach((s) => s.dispose());
    play(store, 'a', parallelRun());
    await flush();
    assert.equal(state.writes.length, 0);
  });
});
