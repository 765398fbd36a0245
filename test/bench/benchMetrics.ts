import type { RunTrace } from './runTrace';

export interface CriticalPath {
  /** The fastest the run could have been with its own planner stream, tool times and joiner: no overhead at all. */
  boundMs: number;
  /** When the planner finished writing (its last needed line, `join()`). */
  planEndMs: number;
  /** When the last task could have finished: each starts at its plan line or its last dependency's end. */
  toolsEndMs: number;
  joinerMs: number;
}

/**
 * The critical-path lower bound of a one-round planned run: max(plan end, earliest possible end of every task)
 * plus the joiner's own time. A task's earliest end is max(its plan line, its dependencies' earliest ends) plus its
 * measured tool time. Undefined for runs that replanned or did not join.
 */
export function criticalPath(trace: RunTrace): CriticalPath | undefined {
  const planners = trace.llm.filter((c) => c.purpose === 'planner');
  const joiners = trace.llm.filter((c) => c.purpose === 'joiner');
  if (planners.length !== 1 || joiners.length !== 1) return undefined;
  const earliestEnd = new Map<number, number>();
  for (const task of [...trace.tasks].sort((a, b) => a.id - b.id)) {
    const ready = Math.max(task.plannedAt, ...task.deps.map((d) => earliestEnd.get(d) ?? 0));
    earliestEnd.set(task.id, ready + task.ms);
  }
  const planEndMs = planners[0]!.end;
  const toolsEndMs = Math.max(0, ...earliestEnd.values());
  const joinerMs = joiners[0]!.end - joiners[0]!.start;
  return { boundMs: Math.max(planEndMs, toolsEndMs) + joinerMs, planEndMs, toolsEndMs, joinerMs };
}

/**
 * Dispatch latency of each task that ran its tool: from the moment it could start (its plan line parsed, or its
 * last dependency finished, whichever is later) to its start.
 */
export function dispatchLatencies(trace: RunTrace): number[] {
  const ended = new Map(trace.tasks.map((t) => [t.id, t.end]));
  return trace.tasks
    .filter((t) => t.start !== undefined)
    .map((t) => t.start! - Math.max(t.plannedAt, ...t.deps.map((d) => ended.get(d) ?? 0)));
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

export function totalTokens(trace: RunTrace): number {
  return trace.summary.inputTokens + trace.summary.outputTokens;
}
