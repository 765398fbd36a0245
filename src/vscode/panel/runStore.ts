// Recent runs' events, kept in memory so the task-graph panel can show a run live, replay it after a reload and
// switch between runs. Plain TypeScript (no `vscode`), so it is tested in Node.
import { notifyEach } from '../../base/notifyEach';
import type { RunListItem } from '../../shared/protocol';
import type { CompilerEvent, RunObserver } from '../../shared/runEvents';

export interface DisposableLike {
  dispose(): void;
}

export interface ObserveOptions {
  /** Lets the panel's Cancel button stop the run (e.g. aborts the run's AbortController). */
  cancel?: () => void;
}

export interface RunStore {
  /** An observer for `runQuestion({ observer })` that records every event of run `runId`. */
  observe(runId: string, options?: ObserveOptions): RunObserver;
  record(runId: string, event: CompilerEvent): void;
  /** The recent runs, newest first. */
  runs(): RunListItem[];
  /** Every event of a run so far, or undefined for a run not (or no longer) kept. */
  events(runId: string): readonly CompilerEvent[] | undefined;
  /** Asks a live run to stop; false when the run is unknown, over, or was observed without `cancel`. */
  cancel(runId: string): boolean;
  /** Every recorded event, as it arrives. */
  onEvent(listener: (runId: string, event: CompilerEvent) => void): DisposableLike;
  /** The run list changed: a run started, ended or was dropped. */
  onDidChangeRuns(listener: () => void): DisposableLike;
}

interface StoredRun {
  item: RunListItem;
  events: CompilerEvent[];
  cancel?: () => void;
}

export const DEFAULT_MAX_RUNS = 20;

/** A finished run to show again, e.g. one saved before a reload. */
export interface RestoredRun {
  runId: string;
  /** Epoch milliseconds: events only carry times relative to the run's start. */
  startedAt: number;
  events: readonly CompilerEvent[];
}

export function createRunStore(options: { maxRuns?: number; now?: () => number; restored?: readonly RestoredRun[] } = {}): RunStore {
  const maxRuns = Math.max(1, options.maxRuns ?? DEFAULT_MAX_RUNS);
  const now = options.now ?? Date.now;
  // Insertion order is start order: the first key is the oldest run.
  const runs = new Map<string, StoredRun>();
  const eventListeners = new Set<(runId: string, event: CompilerEvent) => void>();
  const changeListeners = new Set<() => void>();
  // `observe` comes before the run's first event; its cancel hook waits here until the run is recorded.
  const pendingCancels = new Map<string, () => void>();

  const subscribe = <L>(listeners: Set<L>, listener: L): DisposableLike => {
    listeners.add(listener);
    return { dispose: () => void listeners.delete(listener) };
  };

  /** Drops the oldest runs beyond the limit, finished ones first so a long live run keeps its graph. */
  const evict = () => {
    while (runs.size > maxRuns) {
      const oldestFinished = [...runs].find(([, r]) => r.item.outcome !== undefined)?.[0];
      runs.delete(oldestFinished ?? runs.keys().next().value!);
    }
  };

  const record = (runId: string, event: CompilerEvent) => {
    let run = runs.get(runId);
    let listChanged = false;
    if (!run) {
      run = {
        item: { runId, question: '', mode: 'compiler', model: '', startedAt: now(), tasks: 0, cancellable: false },
        events: [],
        cancel: pendingCancels.get(runId),
      };
      pendingCancels.delete(runId);
      runs.set(runId, run);
      evict();
      listChanged = true;
    }
    run.events.push(event);
    const item = run.item;
    switch (event.type) {
      case 'run-start':
        Object.assign(item, { question: event.question, mode: event.mode, model: event.model });
        item.cancellable = run.cancel !== undefined;
        listChanged = true;
        break;
      case 'task-planned':
        item.tasks++;
        break;
      case 'run-end':
        item.outcome = event.outcome;
        item.wallMs = event.wallMs;
        item.cancellable = false;
        run.cancel = undefined;
        listChanged = true;
        break;
    }
    notifyEach(eventListeners, [runId, event], 'a run store listener');
    if (listChanged) notifyEach(changeListeners, [], 'a run store listener');
  };

  // Oldest first, as they ran; nobody listens yet.
  for (const run of options.restored ?? []) {
    for (const event of run.events) record(run.runId, event);
    const item = runs.get(run.runId)?.item;
    if (item) item.startedAt = run.startedAt;
  }

  return {
    observe(runId, observeOptions = {}) {
      if (observeOptions.cancel) {
        const existing = runs.get(runId);
        if (existing) existing.cancel = observeOptions.cancel;
        else pendingCancels.set(runId, observeOptions.cancel);
      }
      return (event) => record(runId, event);
    },
    record,
    runs: () => [...runs.values()].reverse().map((r) => ({ ...r.item })),
    events: (runId) => runs.get(runId)?.events.slice(),
    cancel(runId) {
      const run = runs.get(runId);
      if (!run?.cancel || run.item.outcome !== undefined) return false;
      run.cancel();
      return true;
    },
    onEvent: (listener) => subscribe(eventListeners, listener),
    onDidChangeRuns: (listener) => subscribe(changeListeners, listener),
  };
}
