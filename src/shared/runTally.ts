// A run's figures folded from its events: the core sums them into the run summary, the task-graph panel shows them
// live. One fold, so the live figures and the summary's agree.
import type { CompilerEvent, RunSummary } from './runEvents';

export interface RunTally {
  /** Read-aheads of the joiner's prompt are counted apart; their tokens are in the totals. */
  llmCalls: number;
  readAheads: number;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  tasks: RunSummary['tasks'];
  /** Sum of the tasks' durations, reused results left out: the same tasks one after another. */
  sequentialToolMs: number;
  /** Tool time the reused results did not spend: what their original calls took, less the checks that they still hold. */
  savedToolMs: number;
  /** Most tasks running at one time. */
  maxParallel: number;
  /** Ids of the tasks running now, in the order they started. */
  running: readonly number[];
}

export const EMPTY_TALLY: RunTally = {
  llmCalls: 0,
  readAheads: 0,
  inputTokens: 0,
  outputTokens: 0,
  tokensEstimated: false,
  tasks: { total: 0, ok: 0, error: 0, skipped: 0, cancelled: 0, cached: 0 },
  sequentialToolMs: 0,
  savedToolMs: 0,
  maxParallel: 0,
  running: [],
};

/**
 * Folds one event into the tally; the tally is not changed in place, and is returned as it is for events that do
 * not count. The caller hands each task's start and finish once.
 */
export function tallyEvent(tally: RunTally, event: CompilerEvent): RunTally {
  switch (event.type) {
    case 'llm-end':
      return {
        ...tally,
        llmCalls: tally.llmCalls + (event.purpose === 'read-ahead' ? 0 : 1),
        readAheads: tally.readAheads + (event.purpose === 'read-ahead' ? 1 : 0),
        inputTokens: tally.inputTokens + (event.inputTokens || 0),
        outputTokens: tally.outputTokens + (event.outputTokens || 0),
        tokensEstimated: tally.tokensEstimated || event.estimated === true,
      };
    case 'task-started': {
      if (tally.running.includes(event.id)) return tally;
      const running = [...tally.running, event.id];
      return { ...tally, running, maxParallel: Math.max(tally.maxParallel, running.length) };
    }
    case 'task-finished': {
      const tasks = { ...tally.tasks, total: tally.tasks.total + 1 };
      if (event.status in tasks) tasks[event.status]++;
      const ms = Number.isFinite(event.ms) ? event.ms : 0;
      const original = event.status === 'cached' && Number.isFinite(event.originalMs) ? (event.originalMs ?? 0) : 0;
      return {
        ...tally,
        tasks,
        sequentialToolMs: tally.sequentialToolMs + (event.status === 'cached' ? 0 : ms),
        savedToolMs: tally.savedToolMs + Math.max(0, original - ms),
        running: tally.running.filter((id) => id !== event.id),
      };
    }
    default:
      return tally;
  }
}
