// Lays the graph out left to right: dependencies flow rightwards, parallel tasks stack vertically, each round is
// a block followed by its joiner, and the next round starts to the right of that joiner.
//
// dagre's cost grows much faster than the graph, so it only lays out each connected group of tasks within a round,
// and those layouts are cached: a streamed task re-lays out the group it joins, not the whole plan. The edges into
// joiners and across rounds are drawn here, not by dagre, since they would tie every group into one.
import type * as DagreModule from '@dagrejs/dagre' with { 'resolution-mode': 'import' };
import type { DrawEdge, DrawNode, GraphModel } from './graphModel';

export type Dagre = typeof DagreModule;

/** dagre is an ES module; a dynamic import lets this CommonJS-typed code load it (esbuild inlines it). */
export function loadDagre(): Promise<Dagre> {
  return import('@dagrejs/dagre');
}

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Top-left corners. */
  nodes: Map<string, Box>;
  edges: Map<string, Point[]>;
  /** One box per round, only when there is more than one round. */
  clusters: Map<number, Box>;
}

export const TASK_SIZE = { width: 196, height: 46 };
export const JOIN_SIZE = { width: 132, height: 38 };

const MARGIN = 12;
const RANK_GAP = 56;
const NODE_GAP = 12;
/** Vertical space between stacked groups of a round. */
const GROUP_GAP = 14;
/** Room above a round's nodes for its label, and around them for its box. */
const CLUSTER_LABEL = 22;
const CLUSTER_PAD = 10;
/** dagre's cost grows steeply with size; above this many tasks a group is laid out the quick way. */
const BIG_GROUP = 60;

export function nodeSize(node: DrawNode): { width: number; height: number } {
  return node.kind === 'task' ? TASK_SIZE : JOIN_SIZE;
}

interface GroupLayout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  edges: Map<string, Point[]>;
}

/** Group layouts by the group's structure; one cache per shown run. */
export type LayoutCache = Map<string, GroupLayout>;

export function layoutGraph(dagre: Dagre, model: GraphModel, cache: LayoutCache = new Map()): GraphLayout {
  const roundOf = new Map(model.nodes.map((n) => [n.key, n.round]));
  const inGroup = (e: DrawEdge) => (e.kind === 'dep' || e.kind === 'step') && roundOf.get(e.from) === roundOf.get(e.to);
  const groupEdges = model.edges.filter(inGroup);
  const rounds = [...new Set(model.nodes.map((n) => n.round))].sort((a, b) => a - b);
  const clustered = rounds.length > 1;
  const top = MARGIN + (clustered ? CLUSTER_LABEL : 0);

  const nodes = new Map<string, Box>();
  const edges = new Map<string, Point[]>();
  const clusters = new Map<number, Box>();
  const used = new Set<string>();
  /** Each round's task block, left and right: edges leave and enter blocks along free horizontal lines. */
  const blocks = new Map<number, { left: number; right: number }>();
  let x = MARGIN + (clustered ? CLUSTER_PAD : 0);
  let bottom = top;
  let right = x;

  for (const round of rounds) {
    const tasks = model.nodes.filter((n) => n.kind === 'task' && n.round === round);
    const join = model.nodes.find((n) => n.kind === 'join' && n.round === round);
    let y = top;
    let blockWidth = 0;
    for (const group of groups(tasks, groupEdges)) {
      const signature = `${group.nodes.join(',')}|${group.edges.map((e) => e.key).join(',')}`;
      used.add(signature);
      let g = cache.get(signature);
      if (!g) {
        g = layoutGroup(dagre, group.nodes, group.edges);
        cache.set(signature, g);
      }
      for (const [key, b] of g.nodes) nodes.set(key, { ...b, x: b.x + x, y: b.y + y });
      for (const [key, points] of g.edges) edges.set(key, points.map((p) => ({ x: p.x + x, y: p.y + y })));
      y += g.height + GROUP_GAP;
      blockWidth = Math.max(blockWidth, g.width);
    }
    const blockBottom = Math.max(top, y - GROUP_GAP);
    blocks.set(round, { left: x, right: x + blockWidth });
    let roundRight = x + blockWidth;
    if (join) {
      const jx = blockWidth > 0 ? roundRight + RANK_GAP : roundRight;
      const jy = top + Math.max(0, (blockBottom - top) / 2 - JOIN_SIZE.height / 2);
      nodes.set(join.key, { x: jx, y: jy, ...JOIN_SIZE });
      roundRight = jx + JOIN_SIZE.width;
    }
    const roundBottom = Math.max(blockBottom, join ? nodes.get(join.key)!.y + JOIN_SIZE.height : blockBottom);
    if (clustered) {
      clusters.set(round, {
        x: x - CLUSTER_PAD,
        y: top - CLUSTER_LABEL,
        width: roundRight - x + 2 * CLUSTER_PAD,
        height: roundBottom - top + CLUSTER_LABEL + CLUSTER_PAD,
      });
    }
    bottom = Math.max(bottom, roundBottom + (clustered ? CLUSTER_PAD : 0));
    right = roundRight + (clustered ? CLUSTER_PAD : 0);
    x = right + RANK_GAP;
  }

  // Edges dagre did not route: into joiners, out of them, and dependencies across rounds. Each runs straight along
  // its node's row to the edge of the block (groups are stacked, so the row is free), then bends across the gap.
  // Edges into one node end spread along its side instead of on one point.
  const manual = model.edges.filter((e) => !edges.has(e.key) && nodes.has(e.from) && nodes.has(e.to));
  const intoNode = new Map<string, DrawEdge[]>();
  for (const e of manual) intoNode.set(e.to, [...(intoNode.get(e.to) ?? []), e]);
  for (const [to, list] of intoNode) {
    const b = nodes.get(to)!;
    list.sort((e1, e2) => nodes.get(e1.from)!.y - nodes.get(e2.from)!.y);
    list.forEach((e, i) => {
      const a = nodes.get(e.from)!;
      const start = { x: a.x + a.width, y: a.y + a.height / 2 };
      const end = { x: b.x, y: b.y + (b.height * (i + 1)) / (list.length + 1) };
      const from = blocks.get(roundOf.get(e.from)!);
      const to = blocks.get(roundOf.get(e.to)!);
      // A task leaves its block at the block's right; a joiner is already outside any block.
      const exitX = model.nodes.find((n) => n.key === e.from)?.kind === 'task' && from ? Math.max(start.x, from.right) : start.x;
      // A task is entered from its block's left; a joiner from the gap before it.
      const enterX = model.nodes.find((n) => n.key === e.to)?.kind === 'task' && to ? Math.min(end.x, to.left) : end.x;
      edges.set(e.key, route(start, exitX, enterX, end));
    });
  }
  // Forget groups that no longer exist: the cache lives as long as the shown run.
  for (const key of cache.keys()) if (!used.has(key)) cache.delete(key);
  return { width: right + MARGIN, height: bottom + MARGIN, nodes, edges, clusters };
}

/** Weakly connected groups of a round's tasks, in plan order. */
function groups(tasks: DrawNode[], edges: DrawEdge[]): Array<{ nodes: string[]; edges: DrawEdge[] }> {
  const parent = new Map(tasks.map((t) => [t.key, t.key]));
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const mine = edges.filter((e) => parent.has(e.from) && parent.has(e.to));
  for (const e of mine) parent.set(find(e.from), find(e.to));
  const byRoot = new Map<string, { nodes: string[]; edges: DrawEdge[] }>();
  for (const t of tasks) {
    const root = find(t.key);
    if (!byRoot.has(root)) byRoot.set(root, { nodes: [], edges: [] });
    byRoot.get(root)!.nodes.push(t.key);
  }
  for (const e of mine) byRoot.get(find(e.from))!.edges.push(e);
  return [...byRoot.values()];
}

function layoutGroup(dagre: Dagre, keys: string[], edges: DrawEdge[]): GroupLayout {
  if (keys.length === 1) {
    return { width: TASK_SIZE.width, height: TASK_SIZE.height, nodes: new Map([[keys[0], { x: 0, y: 0, ...TASK_SIZE }]]), edges: new Map() };
  }
  const g = new dagre.Graph({ multigraph: false });
  const big = keys.length > BIG_GROUP;
  // Big groups trade some edge crossings for speed: a quicker ranker and no crossing-reduction sweeps.
  g.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, ranksep: RANK_GAP, edgesep: 8, marginx: 0, marginy: 0, ...(big ? { ranker: 'longest-path' } : {}) });
  g.setDefaultEdgeLabel(() => ({}));
  for (const key of keys) g.setNode(key, { ...TASK_SIZE });
  for (const e of edges) g.setEdge(e.from, e.to, {});
  dagre.layout(g, big ? { disableOptimalOrderHeuristic: true } : {});
  const nodes = new Map<string, Box>();
  for (const key of keys) {
    const n = g.node(key);
    nodes.set(key, { x: (n.x ?? 0) - n.width / 2, y: (n.y ?? 0) - n.height / 2, width: n.width, height: n.height });
  }
  const routed = new Map<string, Point[]>();
  for (const e of edges) {
    const points = g.edge(e.from, e.to)?.points as Point[] | undefined;
    if (points) routed.set(e.key, points.map((p) => ({ x: p.x, y: p.y })));
  }
  const label = g.graph();
  return { width: label.width ?? TASK_SIZE.width, height: label.height ?? TASK_SIZE.height, nodes, edges: routed };
}

/** Straight from `start` to `exitX`, an S-bend to `enterX`, straight on to `end`; the view smooths the corners. */
function route(start: Point, exitX: number, enterX: number, end: Point): Point[] {
  const bend = Math.max(8, (enterX - exitX) / 3);
  const points = [start];
  if (exitX > start.x + 1) points.push({ x: exitX, y: start.y });
  points.push({ x: exitX + bend, y: start.y }, { x: enterX - bend, y: end.y });
  if (enterX < end.x - 1) points.push({ x: enterX, y: end.y });
  points.push(end);
  return points;
}
