import type { CompilerEvent, EventOf, RunSummary, TaskStatus } from '../../../src/shared/runEvents';
import type { JsonObject } from '../../../src/shared/json';
import type { BenchMode } from './benchModes';
import type { ModelPurpose } from '../../../src/shared/modes';

export interface LlmSpan {
  purpose: ModelPurpose;
  round: number;
  start: number;
  end: number;
  firstTokenMs?: number;
  inputTokens: number;
  /** Of `inputTokens`, those the server served from its prefix cache (0 when it reports none). */
  cachedInputTokens: number;
  outputTokens: number;
}

export interface TaskSpan {
  id: number;
  tool: string;
  args: string;
  deps: number[];
  /** When its plan line was parsed. */
  plannedAt: number;
  /** Absent for tasks that never ran their tool (cached, skipped). */
  start?: number;
  /** When the schedule released it; tasks released together then start one after another. */
  readyAt?: number;
  end: number;
  ms: number;
  status: TaskStatus;
  error?: string;
  resolvedArgs?: JsonObject;
}

/** What one run did, in the run's own clock (ms since it started), reduced from its events. */
export interface RunTrace {
  mode: BenchMode;
  summary: RunSummary;
  /** When the first piece of the answer reached observers: what the user waits for before reading. */
  firstAnswerMs?: number;
  llm: LlmSpan[];
  tasks: TaskSpan[];
  /** Garbage-collection pauses of the process during the run, in the run's clock. */
  pauses?: Array<{ start: number; ms: number }>;
}

export function traceOf(mode: BenchMode, events: readonly CompilerEvent[], summary: RunSummary): RunTrace {
  const of = <K extends CompilerEvent['type']>(type: K) => events.filter((e): e is EventOf<K> => e.type === type);
  const planned = new Map(of('task-planned').map((e) => [e.id, e]));
  const started = new Map(of('task-started').map((e) => [e.id, e]));
  const firstAnswer = events.find((e) => e.type === 'answer-delta' && e.text.length > 0);
  return {
    mode,
    summary,
    ...(firstAnswer ? { firstAnswerMs: firstAnswer.t } : {}),
    llm: of('llm-end').map((e) => ({
      purpose: e.purpose,
      round: e.round,
      start: e.start,
      end: e.end,
      ...(e.firstTokenMs !== undefined ? { firstTokenMs: e.firstTokenMs } : {}),
      inputTokens: e.inputTokens,
      cachedInputTokens: e.cachedInputTokens ?? 0,
      outputTokens: e.outputTokens,
    })),
    tasks: of('task-finished').map((e) => {
      const s = started.get(e.id);
      return {
        id: e.id,
        tool: e.tool,
        args: e.args,
        deps: e.deps,
        plannedAt: planned.get(e.id)?.t ?? e.t,
        ...(s ? { start: s.t, resolvedArgs: s.resolvedArgs, ...(s.readyAt !== undefined ? { readyAt: s.readyAt } : {}) } : {}),
        end: e.t,
        ms: e.ms,
        status: e.status,
        ...(e.error ? { error: e.error.message } : {}),
      };
    }),
  };
}
