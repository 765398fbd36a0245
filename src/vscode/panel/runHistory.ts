// Finished runs saved in the workspace's storage, so the task-graph panel still lists them after a reload or a
// restart. Plain TypeScript (no `vscode`), so it is tested in Node.
import type { CompilerEvent } from '../../shared/runEvents';
import type { DisposableLike, RestoredRun, RunStore } from './runStore';

/** The part of `vscode.Memento` used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface SavedHistory {
  version: 1;
  runs: RestoredRun[];
}

export const HISTORY_KEY = 'llmCompiler.runHistory';
/** Workspace storage is a database row: results beyond this size drop the oldest runs. */
export const HISTORY_MAX_CHARS = 2_000_000;

/** The saved runs, oldest first; anything that is not a whole finished run is left out. */
export function loadRunHistory(memento: MementoLike): RestoredRun[] {
  const saved = memento.get<Partial<SavedHistory>>(HISTORY_KEY);
  if (!saved || saved.version !== 1 || !Array.isArray(saved.runs)) return [];
  return saved.runs.filter(isWholeRun);
}

function isWholeRun(run: unknown): run is RestoredRun {
  if (!run || typeof run !== 'object') return false;
  const { runId, startedAt, events } = run as Partial<RestoredRun>;
  if (typeof runId !== 'string' || typeof startedAt !== 'number' || !Array.isArray(events) || events.length === 0) return false;
  const typed = events.every((e) => e !== null && typeof e === 'object' && typeof (e as { type?: unknown }).type === 'string');
  return typed && events[0]!.type === 'run-start' && events.at(-1)!.type === 'run-end';
}

/** The answer arrives in hundreds of small deltas; one event holds it as well for a replay. */
function compact(events: readonly CompilerEvent[]): CompilerEvent[] {
  const out: CompilerEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.type === 'answer-delta' && last?.type === 'answer-delta') out[out.length - 1] = { ...last, text: last.text + event.text };
    else out.push(event);
  }
  return out;
}

/** The store's finished runs, newest first until the size budget is spent, returned oldest first. */
export function historyOf(store: RunStore, maxChars = HISTORY_MAX_CHARS): RestoredRun[] {
  const kept: RestoredRun[] = [];
  let size = 0;
  for (const item of store.runs()) {
    const events = item.outcome === undefined ? undefined : store.events(item.runId);
    if (!events) continue;
    const run = { runId: item.runId, startedAt: item.startedAt, events: compact(events) };
    size += JSON.stringify(run).length;
    if (size > maxChars) break;
    kept.push(run);
  }
  return kept.reverse();
}

/** Saves the finished runs whenever the set of them changes; one write at a time, the latest state last. */
export function saveRunHistory(store: RunStore, memento: MementoLike, onError: (error: unknown) => void): DisposableLike {
  const finishedIds = () => store.runs().filter((r) => r.outcome !== undefined).map((r) => r.runId).join('\n');
  let savedIds = finishedIds();
  let writing: Promise<void> = Promise.resolve();
  return store.onDidChangeRuns(() => {
    const ids = finishedIds();
    if (ids === savedIds) return;
    savedIds = ids;
    const history: SavedHistory = { version: 1, runs: historyOf(store) };
    writing = writing.then(() => memento.update(HISTORY_KEY, history)).then(undefined, onError);
  });
}

/** Restores the saved runs into the store and keeps saving them; failures to save go to the log. */
export function registerRunHistory(
  context: { workspaceState: MementoLike; subscriptions: DisposableLike[] },
  store: RunStore,
  log: { warn(message: string): void },
): void {
  const onError = (error: unknown) => log.warn(`Could not save the run history: ${error instanceof Error ? error.message : String(error)}`);
  context.subscriptions.push(saveRunHistory(store, context.workspaceState, onError));
}
