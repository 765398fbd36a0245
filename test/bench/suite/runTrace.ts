import type { CompilerEvent, EventOf, RunSummary, TaskStatus } from '../../../src/shared/runEvents';
import type { JsonObject } from '../../../src/shared/json';
import type { FileLocation } from '../../../src/shared/toolContract';
import type { BenchMode } from './benchModes';
import type { ModelPurpose } from '../../../src/shared/modes';
import type { RecordedRequest } from '../../support/modelServer/serverState';
import { promptRole, promptRound } from './benchScript';

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
  /** The result as the model saw it, and the places in files it showed (absent in traces made by hand). */
  text?: string;
  locations?: FileLocation[];
}

/** One chat request as the model server saw it: what it was for and how long it waited for a free slot. */
export interface ServerSpan {
  purpose: ModelPurpose;
  /** The planning round of a planner, joiner or read-ahead request; 1 otherwise. */
  round: number;
  /** From its arrival to a slot taking it up (a one-slot server serves one request at a time). */
  slotWaitMs: number;
  promptTokens: number;
  cachedTokens: number;
}

/** The chat requests of one run, in order of arrival. */
export function serverSpans(requests: readonly RecordedRequest[]): ServerSpan[] {
  return requests.flatMap((r) => {
    if (!r.chat || !r.schedule) return [];
    const role = promptRole(r.chat);
    // The joiner's prompt sent ahead asks for one token.
    const purpose: ModelPurpose = role === 'joiner' && r.chat.maxTokens === 1 ? 'read-ahead' : role;
    const round = role === 'planner' || role === 'joiner' ? promptRound(r.chat) : 1;
    return [{ purpose, round, slotWaitMs: (r.admittedAt ?? r.at) - r.at, promptTokens: r.schedule.promptTokens, cachedTokens: r.schedule.cachedTokens }];
  });
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
  /** Its chat requests as the server saw them. */
  server?: ServerSpan[];
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
        text: e.text,
        locations: e.locations ?? [],
      };
    }),
  };
}
