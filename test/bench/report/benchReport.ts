import { stableKey } from '../../../src/core/stableKey';
import type { JsonObject } from '../../../src/shared/json';
import type { RunSettings } from '../../../src/shared/runSettings';
import type { PrefixCacheOptions } from '../../support/modelServer/serving/prefixCache';
import type { ChatTemplate } from '../../support/modelServer/serving/promptTokens';
import type { ServerProfile } from '../../support/modelServer/serving/serverProfiles';
import type { LatencyModel } from '../../support/modelServer/testServerScript';
import type { BenchMode } from '../suite/benchModes';
import type { CriticalPath, PriceList } from './benchMetrics';
import { PRICE_LISTS, cachedDiscount, costUsd, criticalPathBound, dispatchLatencies, geometricMean, median, percentile, promptCosts } from './benchMetrics';
import type { DispatchSample } from './benchMetrics';
import type { BenchQuestion, BenchWorkspace, QuestionKind } from '../suite/benchQuestion';
import { QUESTION_KINDS, allCalls, chainDepth, isServiceCall } from '../suite/benchQuestion';
import type { RunTrace, TaskSpan } from '../suite/runTrace';

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
  /** Of `llmCalls`, the requests that read the joiner's prompt ahead. */
  readAheads: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** At the first price list (gpt-4o-mini). */
  costUsd: number;
  /** At every price list, keyed by its model. */
  costsUsd: Record<string, number>;
  /** The model's context the run was fitted to, and the tool results it showed cut to fit it (absent: none). */
  contextTokens?: number;
  resultsCut?: number;
  /** The run met tools of its own with no language service built (the question's `coldTools`); absent: warm tools. */
  coldTools?: true;
  /**
   * The first call of a symbol tool that needs a language service (symbols, definition, references): from its start
   * to its result, which on cold tools waits for the service to be built. Absent: the run made none.
   */
  firstSymbolCallMs?: number;
}

/** The joiner's prompt read ahead in one compiler run. */
export interface ReadAheadFigures {
  requests: number;
  /** Prompt tokens the read-aheads had the server read while tools still ran, which the joiner then found cached. */
  tokensAhead: number;
  /**
   * Their prefill time, off the joiner's path, less the time the joiner held its request back for a read-ahead still
   * in flight and the time it waited for a slot.
   */
  savedMs: number;
  /** What the joiner waited for a slot. */
  joinerSlotWaitMs: number;
  /** From the last result before each joiner request to that request, which waits for a read-ahead in flight. */
  joinerHeldMs: number;
}

export interface QuestionResult {
  id: string;
  kind: QuestionKind;
  workspace: BenchWorkspace;
  /** Each run met cold tools of its own. */
  coldTools: boolean;
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
  /** The compiler run's read-ahead of its joiner's prompt. */
  readAhead?: ReadAheadFigures;
  /** Every mode made the tool calls scripted for it with the resolved arguments and gave the scripted answer. */
  consistent: boolean;
}

type RatioField = 'wallMs' | 'firstAnswerMs' | 'costUsd';

/** Geometric means over the questions of one kind of the other mode's figure over the compiler's (> 1: compiler better). */
export interface KindRatios {
  kind: QuestionKind;
  questions: number;
  /** Keyed by the other mode. */
  wall: Partial<Record<BenchMode, number>>;
  firstAnswer: Partial<Record<BenchMode, number>>;
  cost: Partial<Record<BenchMode, number>>;
}

const TOTAL_FIELDS = ['wallMs', 'firstAnswerMs', 'llmCalls', 'readAheads', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'costUsd'] as const;

/** A mode's means per question, of the run records' figures. */
export type ModeTotals = { mode: BenchMode; costsUsd: Record<string, number> } & Pick<RunRecord, (typeof TOTAL_FIELDS)[number]>;

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
  chatTemplate: ChatTemplate;
  /** Requests the server processed at once; absent: any number. */
  slots?: number;
  questions: QuestionResult[];
  byKind: KindRatios[];
  modeTotals: ModeTotals[];
  compilerVsBound: { geomean: number; max: number };
  /** The task fetching unit's own latency: from when a task could start to the schedule releasing it. */
  dispatchMs: Percentiles;
  /** To its tool starting: also the wait behind the synchronous start of tasks released with it. */
  startMs: Percentiles;
  /** Releases that took over 1 ms, and how many of them overlapped a garbage collection. */
  slowReleases: { count: number; duringGc: number };
  /** Over the compiler's runs: in how many a read-ahead was sent, and what the read-aheads saved in all. */
  readAhead: { runs: number; fired: number } & ReadAheadFigures;
  /** What the questions with cold tools paid for them; absent when none ran. */
  coldTools?: ColdToolFigures;
  targets: Target[];
}

/**
 * The first symbol call of the runs that met cold tools, every mode's, beside that of the runs with warm tools on the
 * same workspaces: what building a language service cost the user, net of the part the warm-up hid.
 */
export interface ColdToolFigures {
  questions: string[];
  runs: number;
  firstSymbolCallMs: { median: number; min: number; max: number };
  /** Absent when no run with warm tools on those workspaces made a symbol call. */
  warm?: { runs: number; medianMs: number };
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
  /** Cost is reported at each; the first is the per-mode tables'. */
  priceLists: PriceList[];
  promptVersion: number;
  settings: RunSettings;
  machine: { node: string; platform: string; cpus: number };
  modes: BenchMode[];
  profiles: ProfileResult[];
  /** One per (profile, question, mode). */
  runs: RunRecord[];
}

export function runRecord(profile: string, q: BenchQuestion, trace: RunTrace, prices: readonly PriceList[] = PRICE_LISTS): RunRecord {
  const s = trace.summary;
  const cachedInputTokens = trace.llm.reduce((n, c) => n + c.cachedInputTokens, 0);
  const tokens = { inputTokens: s.inputTokens, cachedInputTokens, outputTokens: s.outputTokens };
  const costsUsd = Object.fromEntries(prices.map((p) => [p.id, costUsd(tokens, p)]));
  return {
    profile,
    question: q.id,
    kind: q.kind,
    mode: trace.mode,
    wallMs: s.wallMs,
    firstAnswerMs: trace.firstAnswerMs ?? s.wallMs,
    // Every request the server answered: read-aheads of the joiner's prompt count here, as their tokens do.
    llmCalls: s.llmCalls + (s.readAheads ?? 0),
    readAheads: s.readAheads ?? 0,
    ...tokens,
    costUsd: costsUsd[prices[0]!.id]!,
    costsUsd,
    ...(s.context ? { contextTokens: s.context.tokens } : {}),
    ...(s.resultsCut ? { resultsCut: s.resultsCut } : {}),
    ...(q.coldTools ? { coldTools: true as const } : {}),
    ...firstSymbolCall(trace),
  };
}

/** The run's first call of a tool that needs a language service, by when it started. */
function firstSymbolCall(trace: RunTrace): { firstSymbolCallMs?: number } {
  const first = firstServiceTask(trace);
  return first ? { firstSymbolCallMs: first.ms } : {};
}

/** The first task, by when it started, that ran a tool needing a language service. */
function firstServiceTask(trace: RunTrace): TaskSpan | undefined {
  return trace.tasks.filter((t) => t.start !== undefined && isServiceCall(t.tool)).sort((a, b) => a.start! - b.start!)[0];
}

/** What the compiler's read-aheads had the server read early, and the joiner's wait behind them. */
export function readAheadFigures(trace: RunTrace, latency: LatencyModel): ReadAheadFigures {
  const spans = trace.server ?? [];
  const ahead = spans.filter((s) => s.purpose === 'read-ahead');
  const tokensAhead = ahead.reduce((n, s) => n + s.promptTokens - s.cachedTokens, 0);
  const joinerSlotWaitMs = spans.filter((s) => s.purpose === 'joiner').reduce((ms, s) => ms + s.slotWaitMs, 0);
  // Without a read-ahead in flight the joiner sends as soon as the last result is in.
  const joinerHeldMs = ahead.length === 0 ? 0 : trace.llm
    .filter((c) => c.purpose === 'joiner')
    .reduce((ms, c) => {
      const lastResult = Math.max(-Infinity, ...trace.tasks.map((t) => t.end).filter((end) => end <= c.start));
      return ms + (Number.isFinite(lastResult) ? c.start - lastResult : 0);
    }, 0);
  return {
    requests: ahead.length,
    tokensAhead,
    savedMs: tokensAhead * latency.prefillMsPerToken - joinerSlotWaitMs - joinerHeldMs,
    joinerSlotWaitMs,
    joinerHeldMs,
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
  return allCalls(q).map((_, i) => {
    const task = reference.tasks.find((t) => t.id === i + 1);
    const ms = task ? samples.get(callKey(task.tool, task.resolvedArgs)) : undefined;
    return ms?.length ? median(ms) : 0;
  });
}

/**
 * For a question with cold tools: the earliest that the first symbol call of another mode's run ended, in its run's
 * clock. Every run starts building the language service when it starts, so no call needing it answers sooner than
 * the build allows; the earliest such end over the other modes is taken, as the least the build took.
 */
export function serviceReadyElsewhere(others: readonly RunTrace[]): number | undefined {
  const ends = others.flatMap((trace) => {
    const first = firstServiceTask(trace);
    return first ? [first.end] : [];
  });
  return ends.length ? Math.min(...ends) : undefined;
}

export function questionResult(
  profile: ServerProfile,
  q: BenchQuestion,
  traces: Partial<Record<BenchMode, RunTrace>>,
  consistent: boolean,
  prices: readonly PriceList[] = PRICE_LISTS,
): QuestionResult {
  const runs: Partial<Record<BenchMode, RunRecord>> = {};
  for (const [mode, trace] of Object.entries(traces) as Array<[BenchMode, RunTrace]>) runs[mode] = runRecord(profile.name, q, trace, prices);
  const compiler = traces.compiler;
  const others = (Object.entries(traces) as Array<[BenchMode, RunTrace]>).filter(([m]) => m !== 'compiler').map(([, t]) => t);
  const bound =
    compiler && others.length
      ? criticalPathBound(q, toolTimesElsewhere(q, compiler, others), profile.latency, promptCosts(compiler.server ?? []), q.coldTools ? serviceReadyElsewhere(others) : undefined)
      : undefined;
  return {
    id: q.id,
    kind: q.kind,
    workspace: q.workspace ?? 'ajv',
    coldTools: q.coldTools === true,
    question: q.question,
    calls: allCalls(q).length,
    depth: chainDepth(q),
    runs,
    ...(bound && compiler ? { bound, compilerVsBound: compiler.summary.wallMs / bound.boundMs } : {}),
    dispatchSamplesMs: compiler ? dispatchLatencies(compiler) : [],
    ...(compiler ? { readAhead: readAheadFigures(compiler, profile.latency) } : {}),
    consistent,
  };
}

/** Per-kind ratios, per-mode means, the bound, dispatch and read-ahead figures, and the targets, for one profile. */
export function profileResult(profile: ServerProfile, questions: QuestionResult[], modes: readonly BenchMode[]): ProfileResult {
  const others = modes.filter((m) => m !== 'compiler');
  const ratio = (r: QuestionResult, mode: BenchMode, field: RatioField) => {
    const c = r.runs.compiler?.[field];
    const o = r.runs[mode]?.[field];
    return c !== undefined && o !== undefined && c > 0 ? o / c : undefined;
  };
  const geo = (rs: QuestionResult[], mode: BenchMode, field: RatioField) => {
    const values = rs.map((r) => ratio(r, mode, field)).filter((v): v is number => v !== undefined);
    return values.length === rs.length && values.length > 0 ? geometricMean(values) : NaN;
  };
  const byKind: KindRatios[] = QUESTION_KINDS.map((kind) => {
    const rs = questions.filter((q) => q.kind === kind);
    const pick = (field: RatioField) => Object.fromEntries(others.map((m) => [m, geo(rs, m, field)]));
    return { kind, questions: rs.length, wall: pick('wallMs'), firstAnswer: pick('firstAnswerMs'), cost: pick('costUsd') };
  }).filter((k) => k.questions > 0);
  const modeTotals: ModeTotals[] = modes.map((mode) => {
    const rs = questions.map((q) => q.runs[mode]).filter((r): r is RunRecord => r !== undefined);
    const mean = (value: (r: RunRecord) => number) => rs.reduce((n, r) => n + value(r), 0) / Math.max(1, rs.length);
    const costIds = [...new Set(rs.flatMap((r) => Object.keys(r.costsUsd)))];
    return {
      mode,
      ...(Object.fromEntries(TOTAL_FIELDS.map((f) => [f, mean((r) => r[f])])) as Pick<RunRecord, (typeof TOTAL_FIELDS)[number]>),
      costsUsd: Object.fromEntries(costIds.map((id) => [id, mean((r) => r.costsUsd[id] ?? 0)])),
    };
  });
  const bounds = questions.map((q) => q.compilerVsBound).filter((v): v is number => v !== undefined);
  const samples = questions.flatMap((q) => q.dispatchSamplesMs);
  const dispatchMs = percentiles(samples.map((d) => d.scheduleMs));
  const startMs = percentiles(samples.map((d) => d.startMs));
  const slow = samples.filter((d) => d.scheduleMs > 1);
  const slowReleases = { count: slow.length, duringGc: slow.filter((d) => d.gcMs > 0).length };
  const ahead = questions.map((q) => q.readAhead).filter((r): r is ReadAheadFigures => r !== undefined);
  const sum = (f: (r: ReadAheadFigures) => number) => ahead.reduce((n, r) => n + f(r), 0);
  return {
    profile: profile.name,
    description: profile.description,
    latency: profile.latency,
    prefixCache: profile.prefixCache,
    chatTemplate: profile.chatTemplate,
    ...(profile.slots !== undefined ? { slots: profile.slots } : {}),
    questions,
    byKind,
    modeTotals,
    compilerVsBound: { geomean: geometricMean(bounds), max: Math.max(...bounds) },
    dispatchMs,
    startMs,
    slowReleases,
    readAhead: {
      runs: ahead.length,
      fired: ahead.filter((r) => r.requests > 0).length,
      requests: sum((r) => r.requests),
      tokensAhead: sum((r) => r.tokensAhead),
      savedMs: sum((r) => r.savedMs),
      joinerSlotWaitMs: sum((r) => r.joinerSlotWaitMs),
      joinerHeldMs: sum((r) => r.joinerHeldMs),
    },
    targets: targets(profile.name, byKind, modeTotals, dispatchMs.p99),
    ...coldToolFigures(questions),
  };
}

function coldToolFigures(questions: QuestionResult[]): { coldTools?: ColdToolFigures } {
  const cold = questions.filter((q) => q.coldTools);
  const firstCalls = (qs: QuestionResult[]) =>
    qs.flatMap((q) => Object.values(q.runs).flatMap((r) => (r?.firstSymbolCallMs !== undefined ? [r.firstSymbolCallMs] : [])));
  const coldMs = firstCalls(cold);
  if (coldMs.length === 0) return {};
  const workspaces = new Set(cold.map((q) => q.workspace));
  const warmMs = firstCalls(questions.filter((q) => !q.coldTools && workspaces.has(q.workspace)));
  return {
    coldTools: {
      questions: cold.map((q) => q.id),
      runs: coldMs.length,
      firstSymbolCallMs: { median: median(coldMs), min: Math.min(...coldMs), max: Math.max(...coldMs) },
      ...(warmMs.length ? { warm: { runs: warmMs.length, medianMs: median(warmMs) } } : {}),
    },
  };
}

/** One speed goal: a kind's geometric mean of another mode's time over the compiler's, per profile. */
interface SpeedGoal {
  kind: QuestionKind;
  field: 'wall' | 'firstAnswer';
  mode: BenchMode;
  goal: Partial<Record<ServerProfile['name'], number>>;
}

const FC = 'function-calling';
const SERIAL = 'function-calling-serial';

/**
 * The compiler's goals against the two function-calling baselines, per profile: what it must win by on deep chains,
 * slow external tools and fan-out, how much it may lose when its first plan misses, and that it costs no more.
 */
const SPEED_GOALS: readonly SpeedGoal[] = [
  { kind: 'deep', field: 'wall', mode: FC, goal: { hosted: 1.4, local: 1 } },
  { kind: 'external', field: 'wall', mode: FC, goal: { hosted: 1.25, local: 1.1 } },
  { kind: 'multi-hop', field: 'firstAnswer', mode: FC, goal: { hosted: 1.35 } },
  { kind: 'fan-out', field: 'wall', mode: FC, goal: { hosted: 1, local: 0.95 } },
  { kind: 'replan', field: 'wall', mode: FC, goal: { hosted: 0.8, local: 0.8 } },
  ...QUESTION_KINDS.filter((k) => k !== 'replan').map((kind): SpeedGoal => ({ kind, field: 'wall', mode: SERIAL, goal: { hosted: 1.5, local: 1.2 } })),
];

const MODE_NAMES: Partial<Record<BenchMode, string>> = { [FC]: 'function calling', [SERIAL]: 'function calling one call a turn' };

/**
 * The targets of one profile, as far as their kind and modes ran: per kind, the other mode's time over the
 * compiler's; the compiler's mean cost over function calling's at each price list; the dispatch latency.
 */
export function targets(profile: string, byKind: KindRatios[], modeTotals: ModeTotals[], dispatchP99: number): Target[] {
  const out: Target[] = [];
  for (const g of SPEED_GOALS) {
    const goal = g.goal[profile as ServerProfile['name']];
    const value = byKind.find((k) => k.kind === g.kind)?.[g.field][g.mode];
    if (goal === undefined || value === undefined || !Number.isFinite(value)) continue;
    const what = g.field === 'wall' ? 'wall time' : 'time to first answer token';
    out.push({ name: `${g.kind}: ${what}, ${MODE_NAMES[g.mode] ?? g.mode} ÷ compiler`, goal: `≥ ${g.goal[profile as ServerProfile['name']]!.toFixed(2)}×`, value, unit: '×', met: value >= goal });
  }
  const compiler = modeTotals.find((t) => t.mode === 'compiler');
  const fc = modeTotals.find((t) => t.mode === FC);
  for (const prices of PRICE_LISTS) {
    const c = compiler?.costsUsd[prices.id];
    const f = fc?.costsUsd[prices.id];
    if (c === undefined || f === undefined || !(f > 0)) continue;
    const value = c / f;
    const discount = Math.round(cachedDiscount(prices) * 100);
    out.push({ name: `cost per question (mean), compiler ÷ function calling, cached input ${discount}% off (${prices.id})`, goal: '≤ 1.00×', value, unit: '×', met: value <= 1 });
  }
  if (Number.isFinite(dispatchP99)) out.push({ name: 'compiler dispatch latency p99 (task ready → released by the schedule)', goal: '< 1 ms', value: dispatchP99, unit: 'ms', met: dispatchP99 < 1 });
  return out;
}
