// The task-graph panel's view of one run, folded from the run's events. Pure and immutable: a view keeps the
// objects that did not change, so a renderer can tell by identity which nodes to redraw.
import type { CompilerEvent, EventOf, PlanProblem, RunOutcome, RunSummary, TaskStatus } from '../shared/runEvents';
import type { ErrorInfo } from '../base/errors';
import type { FileLocation, ToolOrigin } from '../shared/toolContract';
import type { JsonObject } from '../shared/json';
import { EMPTY_TALLY, tallyEvent } from '../shared/runTally';
import type { RunTally } from '../shared/runTally';
import type { ModelPurpose } from '../shared/modes';
import type { RunMode } from '../shared/modes';

export type NodeState = 'planned' | 'running' | TaskStatus;

export interface TaskNode {
  id: number;
  round: number;
  tool: string;
  /** Arguments as the planner wrote them, `$N` kept. */
  args: string;
  deps: readonly number[];
  thought?: string;
  /** An external tool's source: the MCP server or the extension it runs in. */
  origin?: ToolOrigin;
  state: NodeState;
  /** Times are milliseconds since the run started. */
  plannedAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Wall time of the tool call; 0 for tasks that never ran. */
  ms?: number;
  resolvedArgs?: JsonObject;
  text?: string;
  error?: ErrorInfo;
  locations?: readonly FileLocation[];
  cachedFrom?: number;
  /** For a result reused from an earlier question: that question's run, and what its call took then. */
  cachedFromRun?: string;
  originalMs?: number;
}

export interface GraphEdge {
  from: number;
  to: number;
}

/** One model call: a planner stream, a joiner, or a ReAct step. */
export interface LlmSpan {
  call: number;
  purpose: ModelPurpose;
  round: number;
  start: number;
  /** Unset while the call streams. */
  end?: number;
  firstTokenMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  estimated?: boolean;
}

export interface RoundInfo {
  round: number;
  planStart?: number;
  planEnd?: number;
  plannedTasks?: number;
  joinStart?: number;
  /** The round's unusable plan lines. */
  planErrors: readonly Omit<PlanProblem, 'round'>[];
  /** The joiner's thought at the end of the round. */
  thought?: string;
  /** Why the round ended in a new plan instead of an answer. */
  replanReason?: string;
}

/** The run's figures so far, and its wall time (the latest event's time while it runs). */
export interface RunStatsView extends RunTally {
  wallMs: number;
}

export interface RunView {
  runId?: string;
  question: string;
  mode?: RunMode;
  model?: string;
  tools: readonly string[];
  /** In the order they were planned. */
  nodes: readonly TaskNode[];
  edges: readonly GraphEdge[];
  rounds: readonly RoundInfo[];
  llm: readonly LlmSpan[];
  answer: string;
  stats: RunStatsView;
  /** Set by `run-end`. */
  outcome?: RunOutcome;
  error?: ErrorInfo;
  summary?: RunSummary;
  /** Time of the latest event. */
  lastT: number;
  /** Bumped whenever the drawn structure changes (a task, an edge or a round's joiner appears). */
  structureVersion: number;
  /** Deps that name a task not seen yet; their edges are drawn when it appears. */
  missingDeps: readonly number[];
}

export const EMPTY_RUN_VIEW: RunView = {
  question: '',
  tools: [],
  nodes: [],
  edges: [],
  rounds: [],
  llm: [],
  answer: '',
  stats: { ...EMPTY_TALLY, wallMs: 0 },
  lastT: 0,
  structureVersion: 0,
  missingDeps: [],
};

/** Folds one event into the view. Unknown or malformed events leave it unchanged apart from the clock. */
export function reduceRun(state: RunView, event: CompilerEvent): RunView {
  const t = Number.isFinite(event.t) ? event.t : state.lastT;
  // While the run goes on, its wall time is the time of its latest event.
  const s: RunView =
    t > state.lastT ? { ...state, lastT: t, stats: state.outcome ? state.stats : { ...state.stats, wallMs: t } } : state;
  switch (event.type) {
    case 'run-start':
      return {
        ...EMPTY_RUN_VIEW,
        runId: event.runId,
        question: String(event.question ?? ''),
        mode: event.mode,
        model: event.model,
        tools: Array.isArray(event.tools) ? event.tools : [],
        lastT: t,
      };
    case 'llm-start':
      return { ...s, llm: [...s.llm, { call: event.call, purpose: event.purpose, round: event.round, start: t }] };
    case 'llm-end':
      return llmEnd(s, event);
    case 'plan-start':
      return updateRound(s, event.round, { planStart: t });
    case 'plan-end':
      return updateRound(s, event.round, { planEnd: t, plannedTasks: event.tasks });
    case 'plan-error': {
      const round = roundOf(s, event.round);
      const problem = { line: event.line, source: event.source, error: event.error };
      return updateRound(s, event.round, { planErrors: [...round.planErrors, problem] });
    }
    case 'task-planned':
      return taskPlanned(s, event, t);
    case 'task-started':
      return taskStarted(s, event, t);
    case 'task-finished':
      return taskFinished(s, event, t);
    case 'join-start': {
      const next = updateRound(s, event.round, { joinStart: t });
      return { ...next, structureVersion: s.structureVersion + 1 };
    }
    case 'thought':
      return updateRound(s, event.round, { thought: event.text });
    case 'replan':
      return updateRound(s, event.round, { replanReason: event.reason });
    case 'answer-delta':
      return typeof event.text === 'string' ? { ...s, answer: s.answer + event.text } : s;
    case 'run-end':
      return runEnd(s, event);
    default:
      return s;
  }
}

/** Folds a whole event list. */
export function buildRunView(events: readonly CompilerEvent[]): RunView {
  let view = EMPTY_RUN_VIEW;
  for (const event of events) view = reduceRun(view, event);
  return view;
}

export function findNode(view: RunView, id: number): TaskNode | undefined {
  return view.nodes.find((n) => n.id === id);
}

/** True until `run-end`. */
export function isLive(view: RunView): boolean {
  return view.runId !== undefined && view.outcome === undefined;
}

/** How long at least one task was running: the tools' actual share of the wall time. */
export function toolBusyMs(nodes: readonly TaskNode[], now: number): number {
  const spans = nodes
    .filter((n) => n.startedAt !== undefined)
    .map((n) => [n.startedAt!, n.finishedAt ?? now] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

function roundOf(s: RunView, round: number): RoundInfo {
  return s.rounds.find((r) => r.round === round) ?? { round, planErrors: [] };
}

function updateRound(s: RunView, round: number, patch: Partial<RoundInfo>): RunView {
  if (!Number.isInteger(round)) return s;
  const exists = s.rounds.some((r) => r.round === round);
  const rounds = exists
    ? s.rounds.map((r) => (r.round === round ? { ...r, ...patch } : r))
    : [...s.rounds, { round, planErrors: [], ...patch }].sort((a, b) => a.round - b.round);
  return { ...s, rounds };
}

function llmEnd(s: RunView, e: EventOf<'llm-end'>): RunView {
  const span: LlmSpan = {
    call: e.call,
    purpose: e.purpose,
    round: e.round,
    start: e.start,
    end: e.end,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    estimated: e.estimated,
    ...(e.firstTokenMs !== undefined ? { firstTokenMs: e.firstTokenMs } : {}),
  };
  const known = s.llm.some((c) => c.call === e.call);
  const stats = { ...s.stats, ...tallyEvent(s.stats, e) };
  return { ...s, llm: known ? s.llm.map((c) => (c.call === e.call ? span : c)) : [...s.llm, span], stats };
}

function validId(id: unknown): id is number {
  return Number.isInteger(id);
}

function cleanDeps(deps: unknown): number[] {
  return Array.isArray(deps) ? [...new Set(deps.filter(validId))].sort((a, b) => a - b) : [];
}

/** Adds a node and the edges it completes: from its known deps, and to known nodes that were waiting for it. */
function addNode(s: RunView, node: TaskNode): RunView {
  const edges = [...s.edges];
  const missing = s.missingDeps.filter((id) => id !== node.id);
  for (const dep of node.deps) {
    if (findNode(s, dep)) edges.push({ from: dep, to: node.id });
    else missing.push(dep);
  }
  // Deps name earlier tasks, so a node usually completes no edge; only scan when some node waits for this one.
  if (s.missingDeps.includes(node.id)) {
    for (const other of s.nodes) if (other.deps.includes(node.id)) edges.push({ from: node.id, to: other.id });
  }
  return { ...s, nodes: [...s.nodes, node], edges, missingDeps: missing, structureVersion: s.structureVersion + 1 };
}

function updateNode(s: RunView, id: number, patch: Partial<TaskNode>): RunView {
  return { ...s, nodes: s.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

/** The origin an event names, if it is well formed; its name bounded like any text from a tool. */
function originOf(value: unknown): ToolOrigin | undefined {
  const o = value as { kind?: unknown; name?: unknown } | null | undefined;
  if (!o || (o.kind !== 'mcp' && o.kind !== 'extension') || typeof o.name !== 'string' || !o.name) return undefined;
  return { kind: o.kind, name: o.name.slice(0, 200) };
}

function taskPlanned(s: RunView, e: EventOf<'task-planned'>, t: number): RunView {
  if (!validId(e.id) || findNode(s, e.id)) return s;
  const origin = originOf(e.origin);
  return addNode(s, {
    id: e.id,
    round: e.round,
    tool: String(e.tool),
    args: String(e.args ?? ''),
    deps: cleanDeps(e.deps),
    state: 'planned',
    plannedAt: t,
    ...(e.thought ? { thought: e.thought } : {}),
    ...(origin ? { origin } : {}),
  });
}

function taskStarted(s: RunView, e: EventOf<'task-started'>, t: number): RunView {
  const node = validId(e.id) ? findNode(s, e.id) : undefined;
  if (!node || node.finishedAt !== undefined) return s;
  const origin = node.origin ?? originOf(e.origin);
  const next = updateNode(s, e.id, { state: 'running', startedAt: t, resolvedArgs: e.resolvedArgs, ...(origin ? { origin } : {}) });
  return { ...next, stats: { ...s.stats, ...tallyEvent(s.stats, e) } };
}

function taskFinished(s: RunView, e: EventOf<'task-finished'>, t: number): RunView {
  if (!validId(e.id)) return s;
  // A finish without a plan event (a view joined late) still draws the task: the event carries all it needs.
  let next = findNode(s, e.id)
    ? s
    : addNode(s, { id: e.id, round: e.round, tool: String(e.tool), args: String(e.args ?? ''), deps: cleanDeps(e.deps), state: 'planned', plannedAt: t });
  const before = findNode(next, e.id)!;
  if (before.finishedAt !== undefined) return s;
  const ms = Number.isFinite(e.ms) ? e.ms : 0;
  next = updateNode(next, e.id, {
    state: e.status,
    finishedAt: t,
    ms,
    text: typeof e.text === 'string' ? e.text : '',
    ...(e.error ? { error: e.error } : {}),
    ...(e.locations?.length ? { locations: e.locations } : {}),
    ...(e.cachedFrom !== undefined ? { cachedFrom: e.cachedFrom } : {}),
    ...(typeof e.cachedFromRun === 'string' ? { cachedFromRun: e.cachedFromRun } : {}),
    ...(Number.isFinite(e.originalMs) ? { originalMs: e.originalMs } : {}),
  });
  return { ...next, stats: { ...next.stats, ...tallyEvent(next.stats, e) } };
}

function runEnd(s: RunView, e: EventOf<'run-end'>): RunView {
  const { type: _type, t: _t, ...summary } = e;
  return {
    ...s,
    outcome: e.outcome,
    ...(e.error ? { error: e.error } : {}),
    summary,
    answer: typeof e.answer === 'string' ? e.answer : s.answer,
    stats: {
      running: [],
      wallMs: e.wallMs,
      llmCalls: e.llmCalls,
      readAheads: e.readAheads ?? 0,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      tokensEstimated: e.tokensEstimated,
      sequentialToolMs: e.sequentialToolMs,
      savedToolMs: e.savedToolMs ?? 0,
      maxParallel: e.maxParallel,
      tasks: e.tasks,
    },
  };
}
