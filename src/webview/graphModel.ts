// What the graph draws, derived from a run view: the tasks, one joiner node per round that reached its join, the
// dependency edges, and the implied edges that show how rounds follow each other. Pure, no DOM.
import { MODE_LABELS } from '../shared/modes';
import type { LlmSpan, RunView, TaskNode } from './runView';

export type JoinState = 'running' | 'answered' | 'replanned' | 'done';

/** A `join` node reads its round's results: the joiner, or in function calling the model turn `turn` after them. */
export type DrawNode =
  | { key: string; kind: 'task'; round: number; task: TaskNode }
  | { key: string; kind: 'join'; round: number; state: JoinState; span?: LlmSpan; reason?: string; turn?: number };

/** `dep`: a `$N` reference. `join`: a round's results go to its joiner. `replan`: the joiner asked for a new plan.
 * `step`: a ReAct run's calls follow one another. */
export type EdgeKind = 'dep' | 'join' | 'replan' | 'step';

export interface DrawEdge {
  key: string;
  from: string;
  to: string;
  kind: EdgeKind;
}

export interface GraphModel {
  nodes: DrawNode[];
  edges: DrawEdge[];
  rounds: number[];
  /** What a round is: a planning round, or the calls of one model turn (function calling). */
  roundKind: 'round' | 'turn';
  /** Changes exactly when the layout must be recomputed. */
  signature: string;
}

export const taskKey = (id: number): string => `t${id}`;
export const joinKey = (round: number): string => `j${round}`;

export function buildGraphModel(view: RunView): GraphModel {
  const nodes: DrawNode[] = view.nodes.map((task) => ({ key: taskKey(task.id), kind: 'task', round: task.round, task }));
  const edges: DrawEdge[] = view.edges.map((e) => ({ key: `${e.from}>${e.to}`, from: taskKey(e.from), to: taskKey(e.to), kind: 'dep' }));
  const rounds = [...new Set([...view.nodes.map((n) => n.round), ...view.rounds.map((r) => r.round)])].sort((a, b) => a - b);

  const drawn = view.mode ? MODE_LABELS[view.mode]?.graph : undefined;
  if (drawn === 'steps') {
    for (let i = 1; i < view.nodes.length; i++) {
      const [a, b] = [view.nodes[i - 1], view.nodes[i]];
      edges.push({ key: `s${a.id}>${b.id}`, from: taskKey(a.id), to: taskKey(b.id), kind: 'step' });
    }
    return withSignature(nodes, edges, rounds);
  }
  if (drawn === 'turns') {
    addModelTurns(view, rounds, nodes, edges);
    return withSignature(nodes, edges, rounds, 'turn');
  }

  let previousJoin: string | undefined;
  for (const round of rounds) {
    const info = view.rounds.find((r) => r.round === round);
    const tasks = view.nodes.filter((n) => n.round === round);
    if (previousJoin) {
      for (const task of tasks.filter((t) => !t.deps.some((d) => tasks.some((o) => o.id === d)))) {
        edges.push({ key: `${previousJoin}>${task.id}`, from: previousJoin, to: taskKey(task.id), kind: 'replan' });
      }
    }
    if (info?.joinStart === undefined) continue;
    const key = joinKey(round);
    const span = lastJoinerSpan(view.llm, round);
    nodes.push({ key, kind: 'join', round, state: joinState(view, round, span), ...(span ? { span } : {}), ...(info.replanReason ? { reason: info.replanReason } : {}) });
    const used = new Set(tasks.flatMap((t) => t.deps));
    for (const task of tasks.filter((t) => !used.has(t.id))) {
      edges.push({ key: `${task.id}>${key}`, from: taskKey(task.id), to: key, kind: 'join' });
    }
    previousJoin = key;
  }
  return withSignature(nodes, edges, rounds);
}

/**
 * Function calling: the calls of each model turn are one round, and the next turn reads all their results, so a
 * node for that turn follows each round (the last one writes the answer).
 */
function addModelTurns(view: RunView, rounds: number[], nodes: DrawNode[], edges: DrawEdge[]): void {
  let previousTurn: string | undefined;
  for (const round of rounds) {
    const tasks = view.nodes.filter((n) => n.round === round);
    if (previousTurn) {
      for (const task of tasks) edges.push({ key: `${previousTurn}>${task.id}`, from: previousTurn, to: taskKey(task.id), kind: 'join' });
    }
    const span = lastSpan(view.llm, 'function-calling', round + 1);
    previousTurn = undefined;
    if (!span) continue;
    const key = joinKey(round);
    const last = !view.nodes.some((n) => n.round > round);
    const state: JoinState = span.end === undefined ? 'running' : last && view.outcome === 'answered' ? 'answered' : 'done';
    nodes.push({ key, kind: 'join', round, state, span, turn: round + 1 });
    for (const task of tasks) edges.push({ key: `${task.id}>${key}`, from: taskKey(task.id), to: key, kind: 'join' });
    previousTurn = key;
  }
}

function lastJoinerSpan(llm: readonly LlmSpan[], round: number): LlmSpan | undefined {
  return lastSpan(llm, 'joiner', round);
}

function lastSpan(llm: readonly LlmSpan[], purpose: LlmSpan['purpose'], round: number): LlmSpan | undefined {
  let found: LlmSpan | undefined;
  for (const span of llm) if (span.purpose === purpose && span.round === round) found = span;
  return found;
}

function joinState(view: RunView, round: number, span: LlmSpan | undefined): JoinState {
  const info = view.rounds.find((r) => r.round === round);
  if (info?.replanReason !== undefined) return 'replanned';
  if (span && span.end === undefined) return 'running';
  if (view.outcome === 'answered' && !view.rounds.some((r) => r.round > round)) return 'answered';
  return span ? 'done' : 'running';
}

function withSignature(nodes: DrawNode[], edges: DrawEdge[], rounds: number[], roundKind: GraphModel['roundKind'] = 'round'): GraphModel {
  const signature = `${nodes.map((n) => `${n.key}@${n.round}`).join(',')}|${edges.map((e) => `${e.from}>${e.to}`).join(',')}`;
  return { nodes, edges, rounds, roundKind, signature };
}
