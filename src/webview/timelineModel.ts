// The timeline's rows, derived from a run view: each model call and each task as a bar on the run's clock, so
// overlap shows at a glance. Big runs pack their tasks into lanes. Pure, no DOM.
import { PURPOSE_LABELS } from '../shared/modes';
import type { LlmSpan, NodeState, RunView, TaskNode } from './runView';
import { formatMs, formatOrigin, formatTokens } from '../shared/format';
import { joinKey, taskKey } from './graphModel';

export type BarKind = 'planner' | 'joiner' | 'react' | 'task';

export interface Bar {
  /** The graph node it stands for, when there is one. */
  key?: string;
  kind: BarKind;
  state?: NodeState;
  /** Running (or streaming) part. */
  start: number;
  end: number;
  /** Open bars still grow with the clock. */
  open: boolean;
  /** Where the bar's waiting part starts: a task waiting for its deps, a model call before its first token. */
  waitFrom?: number;
  /** A task that never ran (skipped, cancelled, cached) is drawn as a tick, not a bar. */
  tick?: boolean;
  /** A task still waiting to start: only its waiting line is drawn. */
  pending?: boolean;
  label: string;
  title: string;
}

export interface TimelineRow {
  key: string;
  label: string;
  kind: BarKind;
  bars: Bar[];
}

export interface TimelineModel {
  rows: TimelineRow[];
  /** The clock's end: the wall time, or now for a live run. */
  end: number;
  lanes: boolean;
}

/** Above this many tasks, task rows are packed into lanes. */
export const LANE_THRESHOLD = 40;

export function buildTimeline(view: RunView, now: number): TimelineModel {
  const end = Math.max(now, view.lastT, 1);
  const lanes = view.nodes.length > LANE_THRESHOLD;
  const entries: Array<{ sort: number; order: number; row: TimelineRow }> = [];
  let order = 0;
  for (const span of view.llm) {
    const bar = llmBar(span, view, end);
    entries.push({ sort: span.start, order: order++, row: { key: `llm${span.call}`, label: bar.label, kind: bar.kind, bars: [bar] } });
  }
  if (lanes) {
    for (const [round, tasks] of groupByRound(view.nodes)) {
      // Waiting lines would run across the other bars of a lane, so lanes show only the running parts; tasks that
      // never ran take no slot, so they get a row of their own instead of widening the lanes.
      const bars = tasks.map((t) => ({ ...taskBar(t, end), waitFrom: undefined }));
      const packed = packLanes(bars.filter((b) => !b.tick));
      let lastSort = Infinity;
      packed.forEach((laneBars, i) => {
        const sort = Math.min(...laneBars.map((b) => b.start));
        lastSort = i === 0 ? sort : Math.max(lastSort, sort);
        const label = i === 0 ? `Tasks r${round} (${tasks.length})` : '';
        entries.push({ sort, order: order++, row: { key: `lane${round}.${i}`, label, kind: 'task', bars: laneBars } });
      });
      const ticks = bars.filter((b) => b.tick);
      if (ticks.length) {
        // Right under the lanes.
        const sort = Number.isFinite(lastSort) ? lastSort : Math.min(...ticks.map((b) => b.start));
        entries.push({ sort, order: order++, row: { key: `ticks${round}`, label: `Not run (${ticks.length})`, kind: 'task', bars: ticks } });
      }
    }
  } else {
    for (const task of view.nodes) {
      const bar = taskBar(task, end);
      entries.push({ sort: task.plannedAt, order: order++, row: { key: taskKey(task.id), label: bar.label, kind: 'task', bars: [bar] } });
    }
  }
  entries.sort((a, b) => a.sort - b.sort || a.order - b.order);
  return { rows: entries.map((e) => e.row), end, lanes };
}

function llmBar(span: LlmSpan, view: RunView, now: number): Bar {
  // A run recorded with a purpose this version does not know is drawn as a model turn.
  const labels = PURPOSE_LABELS[span.purpose] ?? PURPOSE_LABELS.react;
  const readAhead = span.purpose === 'read-ahead';
  const kind: BarKind = labels.bar;
  const turn = span.purpose === 'function-calling';
  const label = labels.numbered === 'step' ? `${labels.barName} ${span.round}` : `${labels.barName} r${span.round}`;
  const open = span.end === undefined;
  const end = span.end ?? now;
  const firstToken = span.firstTokenMs !== undefined ? span.start + span.firstTokenMs : undefined;
  const tokens = span.inputTokens !== undefined ? ` · ${formatTokens(span.inputTokens)} in / ${formatTokens(span.outputTokens ?? 0)} out${span.estimated ? ' (est.)' : ''}` : '';
  const ttft = span.firstTokenMs !== undefined ? ` · first token ${formatMs(span.firstTokenMs)}` : '';
  const hasJoinNode = kind === 'joiner' && !readAhead && view.rounds.some((r) => r.round === span.round && r.joinStart !== undefined);
  // A model turn after the first is drawn as the node that reads the previous turn's calls.
  const turnNode = turn && span.round > 1 && view.nodes.some((n) => n.round === span.round - 1);
  return {
    ...(hasJoinNode ? { key: joinKey(span.round) } : turnNode ? { key: joinKey(span.round - 1) } : {}),
    kind,
    start: firstToken ?? span.start,
    end,
    open,
    ...(firstToken !== undefined ? { waitFrom: span.start } : {}),
    label,
    title: `${label}: ${formatMs(end - span.start)}${open ? ' so far' : ''}${ttft}${tokens}`,
  };
}

function taskBar(task: TaskNode, now: number): Bar {
  const label = `#${task.id} ${task.tool}`;
  // An external task's bar names its source when pointed at.
  const named = task.origin ? `${label} via ${formatOrigin(task.origin)}` : label;
  const key = taskKey(task.id);
  if (task.startedAt === undefined) {
    // Never ran: waiting still, or settled without running (skipped, cancelled, cached).
    const at = task.finishedAt ?? now;
    const tick = task.finishedAt !== undefined;
    const why =
      task.state === 'cached' && task.cachedFrom !== undefined
        ? `reused #${task.cachedFrom}${task.cachedFromRun !== undefined ? ' of an earlier question' : ''}`
        : task.state;
    return {
      key,
      kind: 'task',
      state: task.state,
      start: at,
      end: at,
      open: !tick,
      waitFrom: task.plannedAt,
      ...(tick ? { tick } : { pending: true }),
      label,
      title: `${named}: ${tick ? why : 'waiting'}`,
    };
  }
  const end = task.finishedAt ?? now;
  const waited = task.startedAt - task.plannedAt;
  return {
    key,
    kind: 'task',
    state: task.state,
    start: task.startedAt,
    end,
    open: task.finishedAt === undefined,
    ...(waited > 0 ? { waitFrom: task.plannedAt } : {}),
    label,
    title: `${named}: ${task.state} · ${formatMs(end - task.startedAt)}${waited >= 1 ? ` (waited ${formatMs(waited)})` : ''}`,
  };
}

function groupByRound(nodes: readonly TaskNode[]): Map<number, TaskNode[]> {
  const rounds = new Map<number, TaskNode[]>();
  for (const n of nodes) rounds.set(n.round, [...(rounds.get(n.round) ?? []), n]);
  return rounds;
}

/** First-fit packing by start time: each lane holds bars that do not overlap, so the lane count is the parallelism. */
export function packLanes(bars: Bar[]): Bar[][] {
  const lanes: Array<{ bars: Bar[]; end: number }> = [];
  const sorted = [...bars].sort((a, b) => a.start - b.start);
  for (const bar of sorted) {
    const lane = lanes.find((l) => l.end <= bar.start);
    if (lane) {
      lane.bars.push(bar);
      lane.end = Math.max(bar.end, bar.start + 0.001);
    } else {
      lanes.push({ bars: [bar], end: Math.max(bar.end, bar.start + 0.001) });
    }
  }
  return lanes.map((l) => l.bars);
}
