import { countTextTokens } from '../../../src/providers/tokenCount';
import type { LatencyModel } from '../../support/modelServer/testServerScript';
import type { BenchQuestion } from '../suite/benchQuestion';
import { allCalls, callDeps, isServiceCall } from '../suite/benchQuestion';
import type { RunTrace, ServerSpan } from '../suite/runTrace';
import { joinerReply, plannerReply } from '../suite/scriptedReplies';

export interface CriticalPath {
  /** The least a planned run of the question can take on this server: see `criticalPathBound`. */
  boundMs: number;
  /** The earliest the answer's first token can arrive. */
  firstAnswerMs: number;
  /** When the last round's plan can have been written. */
  planEndMs: number;
  /** When the last tool can have finished. */
  toolsEndMs: number;
  /** Of the bound, the time the server spent reading uncached prompt tokens of planners and joiners. */
  prefillMs: number;
  /** Of the bound, the time those requests waited for a free slot. */
  slotWaitMs: number;
}

/** What the server read and how long each planner and joiner request waited, by round: from the run's requests. */
export interface PromptCosts {
  /** Uncached prompt tokens (read at the profile's prefill rate) and the slot wait, keyed `planner 1`, `joiner 1`... */
  get(purpose: 'planner' | 'joiner', round: number): { uncachedTokens: number; slotWaitMs: number };
}

export const NO_PROMPT_COSTS: PromptCosts = { get: () => ({ uncachedTokens: 0, slotWaitMs: 0 }) };

/** The prompt costs of a run's planner and joiner requests, as the server recorded them. */
export function promptCosts(spans: readonly ServerSpan[]): PromptCosts {
  return {
    get: (purpose, round) => {
      const span = spans.find((s) => s.purpose === purpose && s.round === round);
      return span ? { uncachedTokens: span.promptTokens - span.cachedTokens, slotWaitMs: span.slotWaitMs } : { uncachedTokens: 0, slotWaitMs: 0 };
    },
  };
}

/**
 * The critical-path lower bound of answering `q` with a plan, from the question's own plans and answer, the server's
 * latency model, the prompt each planner and joiner request had to read and its wait for a slot (`costs`, from the run:
 * what the server's cache held is a fact of the session, not of the schedule), and tool times measured elsewhere (not
 * in the run it judges). Each round: the planner's first token after its slot wait, the fixed time to first token and
 * the prefill of its uncached prompt, then one token per interval; each call starts once its plan line is written and
 * its dependencies have finished, and takes `toolMs[i]`; the joiner starts after the last of plan and tools, then
 * waits, reads and writes the same way: a request for another round, or the answer. With `serviceReadyMs` (a question
 * whose tools start cold), the first call that needs the language service ends no sooner than that, in the run's
 * clock: the service is being built from the run's start on, and that call's time elsewhere is mostly the wait for it.
 */
export function criticalPathBound(
  q: BenchQuestion,
  toolMs: readonly number[],
  latency: LatencyModel,
  costs: PromptCosts = NO_PROMPT_COSTS,
  serviceReadyMs?: number,
): CriticalPath {
  const interval = latency.tokensPerSecond > 0 ? 1000 / latency.tokensPerSecond : 0;
  const calls = allCalls(q);
  const rounds = q.replan ? 2 : 1;
  const firstService = serviceReadyMs === undefined ? -1 : calls.findIndex((c) => isServiceCall(c.tool));
  const end: number[] = [];
  let start = 0;
  let prefillMs = 0;
  let slotWaitMs = 0;
  const firstToken = (purpose: 'planner' | 'joiner', round: number, at: number) => {
    const cost = costs.get(purpose, round);
    const prefill = cost.uncachedTokens * latency.prefillMsPerToken;
    prefillMs += prefill;
    slotWaitMs += cost.slotWaitMs;
    return at + cost.slotWaitMs + latency.ttftBaseMs + prefill;
  };
  let planEndMs = 0;
  let firstAnswerMs = 0;
  let boundMs = 0;
  for (let round = 1; round <= rounds; round++) {
    const lines = plannerReply(q, round).split('\n');
    let written = firstToken('planner', round, start);
    const lineEnd = new Map<number, number>();
    for (const line of lines) {
      written += countTextTokens(`${line}\n`) * interval;
      const number = /^(\d+)\. /.exec(line)?.[1];
      if (number) lineEnd.set(Number(number), written);
      if (line === 'join()') planEndMs = written;
    }
    for (const [number, lineAt] of lineEnd) {
      const ready = Math.max(lineAt, ...callDeps(calls[number - 1]!).map((d) => end[d - 1] ?? 0));
      end[number - 1] = number - 1 === firstService ? Math.max(ready, serviceReadyMs!) : ready + (toolMs[number - 1] ?? 0);
    }
    const joinAt = Math.max(planEndMs, ...[...lineEnd.keys()].map((n) => end[n - 1]!));
    const reply = joinerReply(q, round);
    const joinerFirst = firstToken('joiner', round, joinAt);
    const replyEnd = joinerFirst + countTextTokens(reply) * interval;
    if (round === rounds) {
      firstAnswerMs = joinerFirst + countTextTokens(reply.slice(0, reply.indexOf('(') + 1)) * interval;
      boundMs = replyEnd;
    }
    start = replyEnd;
  }
  return { boundMs, firstAnswerMs, planEndMs, toolsEndMs: Math.max(0, ...end.filter((e) => e !== undefined)), prefillMs, slotWaitMs };
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
  /** The model priced. */
  id: string;
  name: string;
  inputPerMillion: number;
  cachedInputPerMillion: number;
  outputPerMillion: number;
}

/**
 * OpenAI's API pricing page (platform.openai.com/docs/pricing), standard tier, one model of each family's discount on
 * cached input: gpt-4o-mini $0.15 / M input, $0.075 cached (50% off; listed since prompt caching launched,
 * 2024-10-01), $0.60 output; gpt-4.1-mini $0.40, $0.10 (75% off; listed since the GPT-4.1 family's launch,
 * 2025-04-14), $1.60; gpt-5-mini $0.25, $0.025 (90% off; listed since the GPT-5 family's launch, 2025-08-07), $2.00.
 */
export const GPT_4O_MINI_PRICES: PriceList = {
  id: 'gpt-4o-mini',
  name: 'gpt-4o-mini, cached input 50% off (OpenAI API pricing, standard tier, as listed since 2024-10-01)',
  inputPerMillion: 0.15,
  cachedInputPerMillion: 0.075,
  outputPerMillion: 0.6,
};

export const GPT_4_1_MINI_PRICES: PriceList = {
  id: 'gpt-4.1-mini',
  name: 'gpt-4.1-mini, cached input 75% off (OpenAI API pricing, standard tier, as listed since 2025-04-14)',
  inputPerMillion: 0.4,
  cachedInputPerMillion: 0.1,
  outputPerMillion: 1.6,
};

export const GPT_5_MINI_PRICES: PriceList = {
  id: 'gpt-5-mini',
  name: 'gpt-5-mini, cached input 90% off (OpenAI API pricing, standard tier, as listed since 2025-08-07)',
  inputPerMillion: 0.25,
  cachedInputPerMillion: 0.025,
  outputPerMillion: 2,
};

/** Cost is reported at each: the first is the one the per-mode tables show. */
export const PRICE_LISTS: readonly PriceList[] = [GPT_4O_MINI_PRICES, GPT_4_1_MINI_PRICES, GPT_5_MINI_PRICES];

/** How much cheaper a cached input token is than an uncached one. */
export function cachedDiscount(prices: PriceList): number {
  return 1 - prices.cachedInputPerMillion / prices.inputPerMillion;
}

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
