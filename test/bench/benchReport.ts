import type { RunMode, RunSettings } from '../../src/shared/types';
import type { LatencyModel } from '../support/testServerScript';
import type { CriticalPath } from './benchMetrics';
import { criticalPath, dispatchLatencies, geometricMean, percentile, totalTokens } from './benchMetrics';
import type { BenchQuestion, QuestionKind } from './benchQuestion';
import { chainDepth } from './benchQuestion';
import type { RunTrace } from './runTrace';

/** The modes the benchmark races. */
export type BenchMode = Exclude<RunMode, 'function-calling'>;
export const MODES: readonly BenchMode[] = ['compiler', 'react', 'plan-execute'];

export interface ModeFigures {
  outcome: string;
  wallMs: number;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  tasks: number;
  maxParallel: number;
  /** When the last LLM call (joiner, or ReAct's final turn) was sent: everything before it is gathering. */
  finalCallStartMs: number;
  /** Wall time of every repetition; the figures above come from the median one. */
  wallRunsMs: number[];
}

export interface QuestionResult {
  id: string;
  kind: QuestionKind;
  question: string;
  calls: number;
  /** Longest dependency chain, in calls. */
  depth: number;
  modes: Record<BenchMode, ModeFigures>;
  /** Wall time of the mode divided by the compiler's. */
  speedupVsReact: number;
  speedupVsPlanExecute: number;
  /** ReAct's total tokens (input + output) divided by the compiler's. */
  tokenRatioVsReact: number;
  criticalPath?: CriticalPath;
  /** Compiler wall time divided by its critical-path bound. */
  compilerVsBound?: number;
  /** Compiler runs only, every repetition. */
  dispatchMs: { p50: number; p99: number; count: number };
  /** Every mode made the same tool calls with the same resolved arguments and gave the scripted answer. */
  dispatchSamplesMs: number[];
  consistent: boolean;
  /** The median run of each mode. */
  traces: Record<BenchMode, RunTrace>;
}

export interface Target {
  name: string;
  goal: string;
  value: number;
  unit: string;
  met: boolean;
}

export interface BenchReport {
  generatedAt: string;
  repository: { name: string; source: string; why: string; commits: number };
  latency: LatencyModel;
  promptVersion: number;
  settings: RunSettings;
  machine: { node: string; platform: string; cpus: number };
  questions: QuestionResult[];
  aggregate: {
    speedupVsReact: { fanOut: number; sequential: number; all: number };
    speedupVsPlanExecute: { fanOut: number; sequential: number; all: number };
    /** ReAct's time to its final LLM call over the compiler's: the speedup before the shared answer writing. */
    speedupToFinalCallVsReact: { fanOut: number; sequential: number; all: number };
    /** Mean share of the compiler's wall time spent in its final call (the joiner writing the answer). */
    compilerFinalCallShare: number;
    tokenRatioVsReact: { fanOut: number; sequential: number; all: number };
    compilerVsBound: { geomean: number; max: number };
    /** Compiler's time over ReAct's, worst sequential question. */
    sequentialVsReactMax: number;
    dispatchMs: { p50: number; p99: number; max: number; count: number };
  };
  targets: Target[];
}

/** `runs` holds every repetition of each mode; the median-wall one stands for the mode. */
export function questionResult(q: BenchQuestion, runs: Record<BenchMode, RunTrace[]>, consistent: boolean): QuestionResult {
  const traces = {
    compiler: medianRun(runs.compiler),
    react: medianRun(runs.react),
    'plan-execute': medianRun(runs['plan-execute']),
  };
  const figures = (t: RunTrace, all: RunTrace[]): ModeFigures => ({
    outcome: t.summary.outcome,
    wallMs: t.summary.wallMs,
    llmCalls: t.summary.llmCalls,
    inputTokens: t.summary.inputTokens,
    outputTokens: t.summary.outputTokens,
    tokensEstimated: t.summary.tokensEstimated,
    tasks: t.summary.tasks.total,
    maxParallel: t.summary.maxParallel,
    finalCallStartMs: finalCallStart(t),
    wallRunsMs: all.map((r) => r.summary.wallMs),
  });
  const c = traces.compiler;
  const path = criticalPath(c);
  const dispatch = runs.compiler.flatMap(dispatchLatencies);
  return {
    id: q.id,
    kind: q.kind,
    question: q.question,
    calls: q.calls.length,
    depth: chainDepth(q),
    modes: {
      compiler: figures(c, runs.compiler),
      react: figures(traces.react, runs.react),
      'plan-execute': figures(traces['plan-execute'], runs['plan-execute']),
    },
    speedupVsReact: traces.react.summary.wallMs / c.summary.wallMs,
    speedupVsPlanExecute: traces['plan-execute'].summary.wallMs / c.summary.wallMs,
    tokenRatioVsReact: totalTokens(traces.react) / totalTokens(c),
    ...(path ? { criticalPath: path, compilerVsBound: c.summary.wallMs / path.boundMs } : {}),
    dispatchMs: { p50: percentile(dispatch, 50), p99: percentile(dispatch, 99), count: dispatch.length },
    dispatchSamplesMs: dispatch,
    consistent,
    traces,
  };
}

function medianRun(runs: RunTrace[]): RunTrace {
  const sorted = [...runs].sort((a, b) => a.summary.wallMs - b.summary.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function finalCallStart(trace: RunTrace): number {
  return Math.max(0, ...trace.llm.map((c) => c.start));
}

export function aggregate(results: QuestionResult[]): { aggregate: BenchReport['aggregate']; targets: Target[] } {
  const by = (kind?: QuestionKind) => results.filter((r) => kind === undefined || r.kind === kind);
  const geo = (pick: (r: QuestionResult) => number) => ({
    fanOut: geometricMean(by('fan-out').map(pick)),
    sequential: geometricMean(by('sequential').map(pick)),
    all: geometricMean(by().map(pick)),
  });
  const bounds = results.map((r) => r.compilerVsBound).filter((v): v is number => v !== undefined);
  const dispatch = results.flatMap((r) => r.dispatchSamplesMs);
  const sequentialVsReactMax = Math.max(...by('sequential').map((r) => 1 / r.speedupVsReact));
  const agg: BenchReport['aggregate'] = {
    speedupVsReact: geo((r) => r.speedupVsReact),
    speedupVsPlanExecute: geo((r) => r.speedupVsPlanExecute),
    speedupToFinalCallVsReact: geo((r) => r.modes.react.finalCallStartMs / r.modes.compiler.finalCallStartMs),
    compilerFinalCallShare:
      results.reduce((sum, r) => sum + (r.modes.compiler.wallMs - r.modes.compiler.finalCallStartMs) / r.modes.compiler.wallMs, 0) /
      results.length,
    tokenRatioVsReact: geo((r) => r.tokenRatioVsReact),
    compilerVsBound: { geomean: geometricMean(bounds), max: Math.max(...bounds) },
    sequentialVsReactMax,
    dispatchMs: { p50: percentile(dispatch, 50), p99: percentile(dispatch, 99), max: Math.max(...dispatch), count: dispatch.length },
  };
  const targets: Target[] = [
    { name: 'fan-out speedup vs ReAct (geomean)', goal: '≥ 4×', value: agg.speedupVsReact.fanOut, unit: '×', met: agg.speedupVsReact.fanOut >= 4 },
    { name: 'compiler vs critical-path bound (worst question)', goal: '≤ 1.15×', value: agg.compilerVsBound.max, unit: '×', met: agg.compilerVsBound.max <= 1.15 },
    { name: 'sequential: compiler time / ReAct time (worst question)', goal: '≤ 1.1×', value: sequentialVsReactMax, unit: '×', met: sequentialVsReactMax <= 1.1 },
    { name: 'fan-out: ReAct tokens / compiler tokens (geomean)', goal: '≥ 5×', value: agg.tokenRatioVsReact.fanOut, unit: '×', met: agg.tokenRatioVsReact.fanOut >= 5 },
    { name: 'dispatch latency p99', goal: '< 1 ms', value: agg.dispatchMs.p99, unit: 'ms', met: agg.dispatchMs.p99 < 1 },
  ];
  return { aggregate: agg, targets };
}
