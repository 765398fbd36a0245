import { stableKey } from '../../../src/core/stableKey';
import type { JsonObject } from '../../../src/shared/json';
import type { RunSettings } from '../../../src/shared/runSettings';
import type { PrefixCacheOptions } from '../../support/modelServer/prefixCache';
import type { ServerProfile } from '../../support/modelServer/serverProfiles';
import type { LatencyModel } from '../../support/modelServer/testServerScript';
import type { BenchMode } from '../suite/benchModes';
import type { CriticalPath, PriceList } from './benchMetrics';
import { costUsd, criticalPathBound, dispatchLatencies, geometricMean, median, percentile } from './benchMetrics';
import type { DispatchSample } from './benchMetrics';
import type { BenchQuestion, QuestionKind } from '../suite/benchQuestion';
import { QUESTION_KINDS, chainDepth } from '../suite/benchQuestion';
import type { RunTrace } from '../suite/runTrace';

/** One question in one mode under one server profile: the flat record tooling reads from results.json. */
export interface RunRecord {
  profile: string;
  question: string;
  kind: QuestionKind;
  mode: BenchMode;
  wallMs: number;
  /** Until the first piece of the answer reached the user; the wall time when nothing was streamed. */
  firstAnswerMs: number;
  llmCalls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The model's context the run was fitted to, and the tool results it showed cut to fit it (absent: none). */
  contextTokens?: number;
  resultsCut?: number;
}

export interface QuestionResult {
  id: string;
  kind: QuestionKind;
  question: string;
  calls: number;
  /** Longest dependency chain, in calls. */
  depth: number;
  runs: Partial<Record<BenchMode, RunRecord>>;
  /** The least a planned run can take, from tool times measured in the other modes' runs. */
  bound?: CriticalPath;
  /** Compiler wall time over the bound. */
  compilerVsBound?: number;
  /** Compiler tasks: from when each could start to the schedule releasing it, and to its tool starting. */
  dispatchSamplesMs: DispatchSample[];
  /** Every mode made the same tool calls with the same resolved arguments and gave the scripted answer. */
  consistent: boolean;
}

/** Geometric means over the questions of one kind of the other mode's figure over the compiler's (> 1: compiler better). */
export interface KindRatios {
  kind: QuestionKind;
  questions: number;
  /** Keyed by the other mode. */
  wall: Partial<Record<BenchMode, number>>;
  firstAnswer: Partial<Record<BenchMode, number>>;
  cost: Partial<Record<BenchMode, number>>;
}

/** A mode's means per question, of the run records' figures. */
export type ModeTotals = { mode: BenchMode } & Pick<RunRecord, (typeof TOTAL_FIELDS)[number]>;

export interface Target {
  name: string;
  goal: string;
  value: number;
  unit: '×' | 'ms';
  met: boolean;
}

export interface ProfileResult {
  profile: string;
  description: string;
  latency: LatencyModel;
  prefixCache: PrefixCacheOptions;
  /** Requests the server processed at once; absent: any number. */
  slots?: number;
  questions: QuestionResult[];
  byKind: KindRatios[];
  modeTotals: ModeTotals[];
  compilerVsBound: { geomean: number; max: number };
  /** The task fetching unit's own latency: from when a task could start to the schedule releasing it. */
  dispatchMs: Percentiles;
  /** To its tool starting: also the wait behind the synchronous starts of tasks released with it. */
  startMs: Percentiles;
  /** Releases that took over 1 ms, and how many of them overlapped a garbage collection. */
  slowReleases: { count: number; duringGc: number };
  targets: Target[];
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

function percentiles(samples: number[]): Percentiles {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples), count: samples.length };
}

export interface BenchReport {
  generatedAt: string;
  repositories: Array<{ name: string; source: string; why: string; commits: number }>;
  priceList: PriceList;
  promptVersion: number;
  settings: RunSettings;
  machine: { node: string; platform: string; cpus: number };
  modes: BenchMode[];
  profiles: ProfileResult[];
  /** One per (profile, question, mode). */
  runs: RunRecord[];
}

export function runRecord(profile: string, q: BenchQuestion, trace: RunTrace, prices: PriceList): RunRecord {
  const s = trace.summary;
  const cachedInputTokens = trace.llm.reduce((n, c) => n + c.cachedInputTokens, 0);
  const tokens = { inputTokens: s.inputTokens, cachedInputTokens, outputTokens: s.outputTokens };
  return {
    profile,
    question: q.id,
    kind: q.kind,
    mode: trace.mode,
    wallMs: s.wallMs,
    firstAnswerMs: trace.firstAnswerMs ?? s.wallMs,
    // Every request the server answered: read-aheads of the joiner's prompt count here, as their tokens do.
    llmCalls: s.llmCalls + (s.readAheads ?? 0),
    ...tokens,
    costUsd: costUsd(tokens, prices),
    ...(s.context ? { contextTokens: s.context.tokens } : {}),
    ...(s.resultsCut ? { resultsCut: s.resultsCut } : {}),
  };
}

const callKey = (tool: string, args: JsonObject | undefined) => `${tool} ${stableKey(args ?? {})}`;

/**
 * Tool time of each of the question's calls, the median over the runs of the modes other than the compiler (matched
 * by tool and resolved arguments), so the compiler's bound does not come from the run it judges.
 */
export function toolTimesElsewhere(q: BenchQuestion, reference: RunTrace, others: readonly RunTrace[]): number[] {
  const samples = new Map<string, number[]>();
  for (const trace of others) {
    for (const task of trace.tasks) {
      if (task.start === undefined) continue;
      const key = callKey(task.tool, task.resolvedArgs);
      samples.set(key, [...(samples.get(key) ?? []), task.ms]);
    }
  }
  return q.calls.map((_, i) => {
    const task = reference.tasks.find((t) => t.id === i + 1);
    const ms = task ? samples.get(callKey(task.tool, task.resolvedArgs)) : undefined;
    return ms?.length ? median(ms) : 0;
  });
}

export function questionResult(
  profile: ServerProfile,
  q: BenchQuestion,
  traces: Partial<Record<BenchMode, RunTrace>>,
  consistent: boolean,
  prices: PriceList,
): QuestionResult {
  const runs: Partial<Record<BenchMode, RunRecord>> = {};
  for (const [mode, trace] of Object.entries(traces) as Array<[BenchMode, RunTrace]>) runs[mode] = runRecord(profile.name, q, trace, prices);
  const compiler = traces.compiler;
  const others = (Object.entries(traces) as Array<[BenchMode, RunTrace]>).filter(([m]) => m !== 'compiler').map(([, t]) => t);
  const bound = compiler && others.length ? criticalPathBound(q, toolTimesElsewhere(q, compiler, others), profile.latency) : undefined;
  return {
    id: q.id,
    kind: q.kind,
    question: q.question,
    calls: q.calls.length,
    depth: chainDepth(q),
    runs,
    ...(bound && compiler ? { bound, compilerVsBound: compiler.summary.wallMs / bound.boundMs } : {}),
    dispatchSamplesMs: compiler ? dispatchLatencies(compiler) : [],
    consistent,
  };
}

const TOTAL_FIELDS = ['wallMs', 'firstAnswerMs', 'llmCalls', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'costUsd'] as const;

/** Per-kind ratios, per-mode means, the bound and dispatch figures, and the targets, for one profile. */
export function profileResult(profile: ServerProfile, questions: QuestionResult[], modes: readonly BenchMode[]): ProfileResult {
  const others = modes.filter((m) => m !== 'compiler');
  const ratio = (r: QuestionResult, mode: BenchMode, field: 'wallMs' | 'firstAnswerMs' | 'costUsd') => {
    const c = r.runs.compiler?.[field];
    const o = r.runs[mode]?.[field];
    return c !== undefined && o !== undefined && c > 0 ? o / c : undefined;
  };
  const geo = (rs: QuestionResult[], mode: BenchMode, field: 'wallMs' | 'firstAnswerMs' | 'costUsd') => {
    const values = rs.map((r) => ratio(r, mode, field)).filter((v): v is number => v !== undefined);
    return values.length === rs.length && values.length > 0 ? geometricMean(values) : NaN;
  };
  const byKind: KindRatios[] = QUESTION_KINDS.map((kind) => {
    const rs = questions.filter((q) => q.kind === kind);
    const pick = (field: 'wallMs' | 'firstAnswerMs' | 'costUsd') => Object.fromEntries(others.map((m) => [m, geo(rs, m, field)]));
    return { kind, questions: rs.length, wall: pick('wallMs'), firstAnswer: pick('firstAnswerMs'), cost: pick('costUsd') };
  }).filter((k) => k.questions > 0);
  const modeTotals: ModeTotals[] = modes.map((mode) => {
    const rs = questions.map((q) => q.runs[mode]).filter((r): r is RunRecord => r !== undefined);
    const mean = (f: (typeof TOTAL_FIELDS)[number]) => rs.reduce((n, r) => n + r[f], 0) / Math.max(1, rs.length);
    return { mode, ...(Object.fromEntries(TOTAL_FIELDS.map((f) => [f, mean(f)])) as Omit<ModeTotals, 'mode'>) };
  });
  const bounds = questions.map((q) => q.compilerVsBound).filter((v): v is number => v !== undefined);
  const samples = questions.flatMap((q) => q.dispatchSamplesMs);
  const dispatchMs = percentiles(samples.map((d) => d.scheduleMs));
  const startMs = percentiles(samples.map((d) => d.startMs));
  const slow = samples.filter((d) => d.scheduleMs > 1);
  const slowReleases = { count: slow.length, duringGc: slow.filter((d) => d.gcMs > 0).length };
  return {
    profile: profile.name,
    description: profile.description,
    latency: profile.latency,
    prefixCache: profile.prefixCache,
    ...(profile.slots !== undefined ? { slots: profile.slots } : {}),
    questions,
    byKind,
    modeTotals,
    compilerVsBound: { geomean: geometricMean(bounds), max: Math.max(...bounds) },
    dispatchMs,
    startMs,
    slowReleases,
    targets: targets(byKind, modeTotals, dispatchMs.p99),
  };
}

/** Compiler against function calling, per kind of question; targets whose kind or mode did not run are left out. */
export function targets(byKind: KindRatios[], modeTotals: ModeTotals[], dispatchP99: number): Target[] {
  const fc = 'function-calling';
  const kind = (k: QuestionKind) => byKind.find((r) => r.kind === k);
  const out: Target[] = [];
  const add = (name: string, goal: number, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) out.push({ name, goal: `≥ ${goal.toFixed(2)}×`, value, unit: '×', met: value >= goal });
  };
  add('multi-hop: time to first answer token, function calling ÷ compiler', 1.35, kind('multi-hop')?.firstAnswer[fc]);
  add('multi-hop: wall time, function calling ÷ compiler', 1.15, kind('multi-hop')?.wall[fc]);
  add('fan-out: wall time, function calling ÷ compiler', 1, kind('fan-out')?.wall[fc]);
  add('slow-tools: wall time, function calling ÷ compiler', 1.3, kind('slow-tools')?.wall[fc]);
  const cost = (m: string) => modeTotals.find((t) => t.mode === m)?.costUsd;
  const [c, f] = [cost('compiler'), cost(fc)];
  add('cost per question (mean), function calling ÷ compiler', 1, c !== undefined && f !== undefined ? f / c : undefined);
  if (Number.isFinite(dispatchP99)) out.push({ name: 'compiler dispatch latency p99 (task ready → released by the schedule)', goal: '< 1 ms', value: dispatchP99, unit: 'ms', met: dispatchP99 < 1 });
  return out;
}
