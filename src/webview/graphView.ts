// Draws the task graph as SVG. Elements are kept per node and edge key and touched only when their data changed,
// so a frame during a 200-task run costs a few attribute writes, not a rebuild.
import type { TaskNode } from './runView';
import { h, s, setAttrs, setText } from './dom';
import { clip, formatMs, formatOrigin } from '../shared/format';
import type { GraphLayout, Point } from './graphLayout';
import type { DrawEdge, DrawNode, GraphModel } from './graphModel';
import { TASK_SIZE, nodeSize } from './graphLayout';

interface NodeElements {
  g: SVGGElement;
  title: SVGTitleElement;
  head: SVGTextElement;
  sub: SVGTextElement;
  side: SVGTextElement;
  /** The data last drawn, compared by identity. */
  drawn?: DrawNode;
}

const GLYPHS: Record<string, string> = {
  planned: '○',
  running: '◔',
  ok: '✓',
  error: '✕',
  skipped: '↷',
  cancelled: '⊘',
  cached: '↺',
};

export class GraphView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly clusterLayer: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private readonly empty: HTMLElement;
  private readonly nodes = new Map<string, NodeElements>();
  private readonly edges = new Map<string, SVGPathElement>();
  private readonly clusters = new Map<string, { g: SVGGElement; rect: SVGRectElement; label: SVGTextElement }>();
  private layout: GraphLayout | undefined;
  private selected: string | undefined;
  private scale = 1;
  private autoFit = true;

  constructor(private readonly onSelect: (key: string | undefined) => void) {
    this.svg = s('svg', { class: 'graph', role: 'group', 'aria-label': 'Task graph' });
    this.svg.append(defs());
    this.viewport = s('g', { class: 'viewport' });
    this.clusterLayer = s('g', { class: 'clusters' });
    this.edgeLayer = s('g', { class: 'edges' });
    this.nodeLayer = s('g', { class: 'nodes' });
    this.viewport.append(this.clusterLayer, this.edgeLayer, this.nodeLayer);
    this.svg.append(this.viewport);
    this.empty = h('div', { class: 'graph-empty' });
    this.scroller = h('div', { class: 'graph-scroll' }, this.svg, this.empty);
    this.element = h('div', { class: 'graph-pane' }, this.scroller, this.zoomControls());

    this.svg.addEventListener('click', (e) => {
      const key = (e.target as Element).closest('[data-key]')?.getAttribute('data-key') ?? undefined;
      this.onSelect(key);
    });
    this.svg.addEventListener('keydown', (e) => {
      const key = (e.target as Element).closest('[data-key]')?.getAttribute('data-key');
      if (key && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        this.onSelect(key);
      } else if (e.key === 'Escape') {
        this.onSelect(undefined);
      }
    });
    this.scroller.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        this.zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15);
      },
      { passive: false },
    );
  }

  /** Shows a message instead of the graph (no run, or a run without tasks yet). */
  setEmptyText(text: string | undefined): void {
    setText(this.empty, text ?? '');
    this.empty.hidden = !text;
  }

  /** Draws the model; `layout` may lag behind it by a frame or two, so unplaced nodes stay hidden until it catches up. */
  render(model: GraphModel, layout: GraphLayout | undefined, selected: string | undefined): void {
    const layoutChanged = layout !== this.layout;
    this.layout = layout;
    const selectionChanged = selected !== this.selected;
    this.selected = selected;

    const seen = new Set<string>();
    for (const node of model.nodes) {
      seen.add(node.key);
      let els = this.nodes.get(node.key);
      if (!els) {
        els = createNode(node);
        this.nodes.set(node.key, els);
        this.nodeLayer.append(els.g);
      }
      if (els.drawn !== node) {
        drawNode(els, node);
        els.drawn = node;
      }
      if (layoutChanged) placeNode(els.g, layout?.nodes.get(node.key));
      if (selectionChanged) els.g.classList.toggle('selected', node.key === selected);
    }
    removeMissing(this.nodes, seen, (els) => els.g.remove());

    const seenEdges = new Set<string>();
    const stateOf = new Map(model.nodes.map((n) => [n.key, n.kind === 'task' ? n.task.state : n.state]));
    for (const edge of model.edges) {
      seenEdges.add(edge.key);
      let path = this.edges.get(edge.key);
      if (!path) {
        path = s('path', { 'data-edge': edge.key });
        this.edges.set(edge.key, path);
        this.edgeLayer.append(path);
      }
      const points = layout?.edges.get(edge.key);
      const failed = ['error', 'skipped', 'cancelled'].includes(stateOf.get(edge.from) ?? '');
      const active = selected !== undefined && (edge.from === selected || edge.to === selected);
      setAttrs(path, {
        class: edgeClass(edge, failed, active),
        d: points ? pathData(points) : undefined,
        'marker-end': `url(#arrow-${active ? 'active' : failed ? 'failed' : edge.kind === 'dep' ? 'dep' : 'flow'})`,
        visibility: points ? undefined : 'hidden',
      });
    }
    removeMissing(this.edges, seenEdges, (p) => p.remove());

    if (layoutChanged) this.renderClusters(layout, model.roundKind);
    this.applyScale();
  }

  zoom(factor: number): void {
    this.autoFit = false;
    this.scale = Math.min(2, Math.max(0.2, this.scale * factor));
    this.applyScale();
  }

  fit(): void {
    this.autoFit = true;
    this.applyScale();
  }

  /** Keeps auto-fit right when the panel is resized. */
  resized(): void {
    if (this.autoFit) this.applyScale();
  }

  scrollIntoView(key: string): void {
    const box = this.layout?.nodes.get(key);
    if (!box) return;
    const { clientWidth, clientHeight } = this.scroller;
    const cx = (box.x + box.width / 2) * this.scale;
    const cy = (box.y + box.height / 2) * this.scale;
    if (cx < this.scroller.scrollLeft || cx > this.scroller.scrollLeft + clientWidth) this.scroller.scrollLeft = cx - clientWidth / 2;
    if (cy < this.scroller.scrollTop || cy > this.scroller.scrollTop + clientHeight) this.scroller.scrollTop = cy - clientHeight / 2;
  }

  private applyScale(): void {
    const width = this.layout?.width ?? 0;
    const height = this.layout?.height ?? 0;
    if (this.autoFit && width > 0 && height > 0) {
      const { clientWidth, clientHeight } = this.scroller;
      // Shrink big graphs to fit, but not below legibility: beyond that the pane scrolls.
      const fit = Math.min(clientWidth / width, clientHeight / height);
      this.scale = clientWidth > 0 ? Math.max(0.65, Math.min(1, fit)) : 1;
    }
    setAttrs(this.svg, { width: Math.ceil(width * this.scale), height: Math.ceil(height * this.scale) });
    setAttrs(this.viewport, { transform: `scale(${this.scale.toFixed(3)})` });
  }

  private renderClusters(layout: GraphLayout | undefined, roundKind: GraphModel['roundKind']): void {
    const seen = new Set<string>();
    for (const [round, box] of layout?.clusters ?? []) {
      seen.add(String(round));
      let c = this.clusters.get(String(round));
      const text = roundKind === 'turn' ? `Model turn ${round} · calls` : `Round ${round}${round > 1 ? ' · replan' : ''}`;
      if (c) setText(c.label, text);
      if (!c) {
        const rect = s('rect', { class: 'cluster-box', rx: 8 });
        const label = s('text', { class: 'cluster-label' }, text);
        c = { g: s('g', { class: `cluster round-${round}` }, rect, label), rect, label };
        this.clusters.set(String(round), c);
        this.clusterLayer.append(c.g);
      }
      setAttrs(c.rect, { x: box.x, y: box.y, width: box.width, height: box.height });
      setAttrs(c.label, { x: box.x + 10, y: box.y + 15 });
    }
    removeMissing(this.clusters, seen, (c) => c.g.remove());
  }

  private zoomControls(): HTMLElement {
    const button = (label: string, title: string, action: () => void) => {
      const b = h('button', { class: 'icon-button', title, 'aria-label': title, type: 'button' }, label);
      b.addEventListener('click', action);
      return b;
    };
    return h(
      'div',
      { class: 'zoom-controls' },
      button('−', 'Zoom out (Ctrl+wheel)', () => this.zoom(1 / 1.25)),
      button('Fit', 'Fit the graph', () => this.fit()),
      button('+', 'Zoom in (Ctrl+wheel)', () => this.zoom(1.25)),
    );
  }
}

function createNode(node: DrawNode): NodeElements {
  const { width, height } = nodeSize(node);
  const title = s('title');
  const head = s('text', { class: 'node-head', x: 12, y: node.kind === 'task' ? 19 : 16 });
  const sub = s('text', { class: 'node-sub', x: 12, y: node.kind === 'task' ? 36 : 30 });
  const side = s('text', { class: 'node-side', x: width - 10, y: node.kind === 'task' ? 19 : 16, 'text-anchor': 'end' });
  const g = s(
    'g',
    { 'data-key': node.key, tabindex: 0, role: 'button', class: 'node unplaced' },
    title,
    s('rect', { class: 'node-box', width, height, rx: node.kind === 'task' ? 6 : height / 2 }),
    node.kind === 'task' ? s('rect', { class: 'node-stripe', x: 0, y: 0, width: 4, height, rx: 2 }) : undefined,
    head,
    sub,
    side,
  );
  return { g, title, head, sub, side };
}

function drawNode(els: NodeElements, node: DrawNode): void {
  const selected = els.g.classList.contains('selected');
  const unplaced = els.g.classList.contains('unplaced');
  if (node.kind === 'task') {
    const t = node.task;
    els.g.setAttribute('class', `node task state-${t.state}${t.origin ? ' external' : ''}`);
    const side = `${taskTime(t)} ${GLYPHS[t.state] ?? ''}`.trim();
    setText(els.side, side);
    // Character budgets from the fixed node width and the fonts' average advance (bold 12px, mono 11px).
    setText(els.head, clip(`#${t.id} ${t.tool}`, Math.floor((TASK_SIZE.width - 30 - side.length * 6.6) / 7.3)));
    // An external task names its source before its arguments.
    setText(els.sub, clip(`${t.origin ? `${t.origin.name} · ` : ''}${t.args || '()'}`, Math.floor((TASK_SIZE.width - 22) / 6.7)));
    setText(els.title, taskTooltip(t));
    setAttrs(els.g, { 'aria-label': `Task ${t.id} ${t.tool}${t.origin ? ` via ${formatOrigin(t.origin)}` : ''}, ${t.state}` });
  } else if (node.turn !== undefined) {
    els.g.setAttribute('class', `node join join-${node.state}`);
    setText(els.head, `Model turn ${node.turn}`);
    const outcome = { running: 'reading results…', answered: 'answer', replanned: 'more calls', done: 'more calls' }[node.state];
    setText(els.sub, outcome);
    const span = node.span;
    setText(els.side, span?.end !== undefined ? formatMs(span.end - span.start) : '');
    setText(els.title, `Model turn ${node.turn}: reads the results of turn ${node.round}'s calls`);
    setAttrs(els.g, { 'aria-label': `Model turn ${node.turn}, ${outcome}` });
  } else {
    els.g.setAttribute('class', `node join join-${node.state}`);
    setText(els.head, 'Joiner');
    const outcome = { running: 'thinking…', answered: 'answer', replanned: 'replan', done: 'done' }[node.state];
    setText(els.sub, `round ${node.round} · ${outcome}`);
    const span = node.span;
    setText(els.side, span?.end !== undefined ? formatMs(span.end - span.start) : '');
    setText(els.title, node.reason ? `Joiner, round ${node.round}: replanned because ${node.reason}` : `Joiner, round ${node.round}`);
    setAttrs(els.g, { 'aria-label': `Joiner of round ${node.round}, ${outcome}` });
  }
  els.g.classList.toggle('selected', selected);
  els.g.classList.toggle('unplaced', unplaced);
}

function taskTime(t: TaskNode): string {
  if (t.state === 'running' || t.state === 'planned') return '';
  if (t.state === 'cached') return t.cachedFrom === undefined ? '' : t.cachedFromRun !== undefined ? `earlier #${t.cachedFrom}` : `=#${t.cachedFrom}`;
  return t.startedAt !== undefined && t.ms !== undefined ? formatMs(t.ms) : '';
}

function taskTooltip(t: TaskNode): string {
  const lines = [`#${t.id} ${t.tool}(${t.args})`, ...(t.origin ? [`via ${formatOrigin(t.origin)}`] : []), `${t.state}${t.ms ? ` · ${formatMs(t.ms)}` : ''}`];
  if (t.error) lines.push(t.error.message);
  return lines.join('\n');
}

function placeNode(g: SVGGElement, box: { x: number; y: number } | undefined): void {
  g.classList.toggle('unplaced', !box);
  if (box) setAttrs(g, { transform: `translate(${box.x.toFixed(1)},${box.y.toFixed(1)})` });
}

function edgeClass(edge: DrawEdge, failed: boolean, active: boolean): string {
  return `edge edge-${edge.kind}${failed ? ' failed' : ''}${active ? ' active' : ''}`;
}

/** A smooth curve through dagre's points: straight ends, quadratic bends through the midpoints. */
function pathData(points: Point[]): string {
  const f = (p: Point) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  if (points.length < 3) return `M${points.map(f).join('L')}`;
  let d = `M${f(points[0])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += i === points.length - 2 ? `Q${f(points[i])} ${f(points[i + 1])}` : `Q${f(points[i])} ${f(mid)}`;
  }
  return d;
}

function defs(): SVGDefsElement {
  const marker = (id: string) =>
    s(
      'marker',
      { id: `arrow-${id}`, class: `arrow arrow-${id}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,1 L9,5 L0,9 z' }),
    );
  return s('defs', {}, marker('dep'), marker('flow'), marker('failed'), marker('active'));
}

function removeMissing<V>(map: Map<string, V>, seen: Set<string>, remove: (v: V) => void): void {
  for (const [key, value] of map) {
    if (!seen.has(key)) {
      remove(value);
      map.delete(key);
    }
  }
}
