import { countTextTokens } from '../../../src/providers/tokenCount';
import type { LatencyModel } from '../../support/modelServer/testServerScript';
import type { BenchQuestion } from '../suite/benchQuestion';
import { callDeps } from '../suite/benchQuestion';
import type { RunTrace } from '../suite/runTrace';
import { plannerReply } from '../suite/scriptedReplies';

export interface CriticalPath {
  /** The least a planned run of the question can take on this server: see `criticalPathBound`. */
  boundMs: number;
  /** The earliest the answer's first token can arrive. */
  firstAnswerMs: number;
  /** When the plan's last line can have been written. */
  planEndMs: number;
  /** When the last tool can have finished. */
  toolsEndMs: number;
}

/**
 * The critical-path lower bound of answering `q` with a plan, from the question's own plan and answer, the server's
 * latency model and tool times measured elsewhere (not in the run it judges): the planner's first token comes after
 * the fixed time to first token (prompt reading costs nothing here), then one token per interval; each call starts
 * once its plan line is written and its dependencies have finished, and takes `toolMs[i]`; the answer starts one
 * time-to-first-token after the last of plan and tools, and takes its tokens' time.
 */
export function criticalPathBound(q: BenchQuestion, toolMs: readonly number[], latency: LatencyModel): CriticalPath {
  const interval = latency.tokensPerSecond > 0 ? 1000 / latency.tokensPerSecond : 0;
  const lines = plannerReply(q).split('\n');
  let written = 0;
  const lineEnd: number[] = [];
  for (const line of lines) {
    written += countTextTokens(`${line}\n`);
    lineEnd.push(latency.ttftBaseMs + written * interval);
  }
  const callLineEnd = (i: number) => lineEnd[lines.findIndex((line) => line.startsWith(`${i + 1}. `))]!;
  const end: number[] = [];
  q.calls.forEach((call, i) => {
    const ready = Math.max(callLineEnd(i), ...callDeps(call).map((d) => end[d - 1]!));
    end[i] = ready + (toolMs[i] ?? 0);
  });
  const planEndMs = lineEnd[lines.indexOf('join()')]!;
  const toolsEndMs = Math.max(0, ...end);
  const firstAnswerMs = Math.max(planEndMs, toolsEndMs) + latency.ttftBaseMs;
  return { boundMs: firstAnswerMs + countTextTokens(q.answer) * interval, firstAnswerMs, planEndMs, toolsEndMs };
}

/**
 * Dispatch latency of each task that ran its tool, from the moment it could start (its plan line parsed, or its last
 * dependency finished, whichever is later): `scheduleMs` to the schedule releasing it (the task fetching unit's own
 * cost), `startMs` to its tool actually starting. The two differ when several tasks are released at once: each starts
 * after the synchronous start of the ones before it (a git or rg process spawn takes milliseconds of CPU).
 */
export function dispatchLatencies(trace: RunTrace): DispatchSample[] {
  const ended = new Map(trace.tasks.map((t) => [t.id, t.end]));
  return trace.tasks
    .filter((t) => t.start !== undefined)
    .map((t) => {
      const couldStart = Math.max(t.plannedAt, ...t.deps.map((d) => ended.get(d) ?? 0));
      const readyAt = t.readyAt ?? t.start!;
      const gcMs = (trace.pauses ?? []).reduce((ms, p) => ms + Math.max(0, Math.min(readyAt, p.start + p.ms) - Math.max(couldStart, p.start)), 0);
      return { scheduleMs: readyAt - couldStart, startMs: t.start! - couldStart, gcMs };
    });
}

export interface DispatchSample {
  scheduleMs: number;
  startMs: number;
  /** How much of `scheduleMs` the process spent in garbage collection. */
  gcMs: number;
}

/** A published price list, US dollars per million tokens. */
export interface PriceList {
  name: string;
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
}

/**
 * OpenAI's API pricing page for gpt-4o-mini (standard tier): $0.15 / M input tokens, $0.075 / M cached input tokens,
 * $0.60 / M output tokens; unchanged since cached input was priced on 2024-10-01, the day prompt caching launched.
 */
export const GPT_4O_MINI_PRICES: PriceList = {
  name: 'OpenAI API pricing, gpt-4o-mini standard tier (as listed since 2024-10-01)',
  inputPerMillion: 0.15,
  cachedInputPerMillion: 0.075,
  outputPerMillion: 0.6,
};

export function costUsd(tokens: { inputTokens: number; cachedInputTokens: number; outputTokens: number }, prices: PriceList): number {
  const uncached = tokens.inputTokens - tokens.cachedInputTokens;
  return (uncached * prices.inputPerMillion + tokens.cachedInputTokens * prices.cachedInputPerMillion + tokens.outputTokens * prices.outputPerMillion) / 1e6;
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
