// Draws the timeline: one row per model call and per task (or per lane in big runs) on the run's clock, with the
// totals that show what running tasks in parallel saved. Rebuilt whole per frame: a few hundred elements at most.
import type { RunView } from './runView';
import { toolBusyMs } from './runView';
import { h, s, setText } from './dom';
import { formatMs, formatTokens } from '../shared/format';
import type { Bar, TimelineModel } from './timelineModel';

const LABEL_WIDTH = 132;
const ROW_HEIGHT = 18;
const BAR_HEIGHT = 10;
const AXIS_HEIGHT = 20;
const RIGHT_PAD = 14;

export class TimelineView {
  readonly element: HTMLElement;
  private readonly totals: HTMLElement;
  private readonly body: HTMLElement;
  private readonly svg: SVGSVGElement;

  constructor(onSelect: (key: string) => void) {
    this.totals = h('div', { class: 'timeline-totals' });
    this.svg = s('svg', { class: 'timeline', role: 'group', 'aria-label': 'Timeline' });
    this.body = h('div', { class: 'timeline-body' }, this.svg);
    this.element = h('section', { class: 'timeline-pane' }, this.totals, this.body);
    this.svg.addEventListener('click', (e) => {
      const key = (e.target as Element).closest('[data-key]')?.getAttribute('data-key');
      if (key) onSelect(key);
    });
  }

  render(view: RunView, model: TimelineModel, now: number, selected: string | undefined): void {
    this.renderTotals(view, now);
    const width = Math.max(360, this.body.clientWidth || 600);
    const span = Math.max(model.end, 1);
    const plotWidth = width - LABEL_WIDTH - RIGHT_PAD;
    const x = (t: number) => LABEL_WIDTH + (Math.min(Math.max(t, 0), span) / span) * plotWidth;
    const height = AXIS_HEIGHT + model.rows.length * ROW_HEIGHT + 4;

    const frag = document.createDocumentFragment();
    frag.append(axis(span, x, height));
    model.rows.forEach((row, i) => {
      const y = AXIS_HEIGHT + i * ROW_HEIGHT;
      const g = s('g', { class: `row row-${row.kind}${i % 2 ? ' odd' : ''}` });
      g.append(
        s('rect', { class: 'row-bg', x: 0, y, width, height: ROW_HEIGHT }),
        s('text', { class: 'row-label', x: 8, y: y + ROW_HEIGHT / 2 + 4 }, row.label),
      );
      for (const bar of row.bars) g.append(drawBar(bar, x, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, bar.key !== undefined && bar.key === selected));
      frag.append(g);
    });
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.svg.replaceChildren(frag);
  }

  private renderTotals(view: RunView, now: number): void {
    const st = view.stats;
    const wall = view.outcome ? st.wallMs : now;
    const busy = toolBusyMs(view.nodes, now);
    const speedup = busy > 0 ? st.sequentialToolMs / busy : 0;
    const items = [
      item('Wall', formatMs(wall)),
      item('LLM', `${st.llmCalls} call${st.llmCalls === 1 ? '' : 's'}${st.readAheads ? ` + ${st.readAheads} read-ahead${st.readAheads === 1 ? '' : 's'}` : ''} · ${formatTokens(st.inputTokens + st.outputTokens)} tokens${st.tokensEstimated ? ' (est.)' : ''}`),
      item('Tasks', `${st.tasks.total}/${view.nodes.length} done`),
      item(
        'Tools',
        `sequential ${formatMs(st.sequentialToolMs)} → actual ${formatMs(busy)}${speedup >= 1.05 ? ` (${speedup.toFixed(1)}× overlap)` : ''}`,
        'sequential: sum of task times, as if run one after another; actual: time with at least one task running',
      ),
      item('Max parallel', String(st.maxParallel)),
    ];
    this.totals.replaceChildren(...items);
  }
}

function item(name: string, value: string, title?: string): HTMLElement {
  const v = h('span', { class: 'total-value' });
  setText(v, value);
  return h('span', { class: 'total', title }, h('span', { class: 'total-name' }, name), ' ', v);
}

function drawBar(bar: Bar, x: (t: number) => number, y: number, selected: boolean): SVGGElement {
  const cls = `bar bar-${bar.kind}${bar.state ? ` state-${bar.state}` : ''}${bar.open ? ' open' : ''}${selected ? ' selected' : ''}`;
  const g = s('g', { class: cls, 'data-key': bar.key }, s('title', {}, bar.title));
  // Waits too short to see are left out rather than drawn as specks.
  if (bar.waitFrom !== undefined && x(bar.start) - x(bar.waitFrom) >= 3) {
    g.append(s('line', { class: 'bar-wait', x1: x(bar.waitFrom), x2: x(bar.start), y1: y + BAR_HEIGHT / 2, y2: y + BAR_HEIGHT / 2 }));
  }
  if (bar.tick) {
    const cx = x(bar.start);
    g.append(s('path', { class: 'bar-tick', d: `M${cx},${y - 1} l4,${BAR_HEIGHT / 2 + 1} l-4,${BAR_HEIGHT / 2 + 1} l-4,-${BAR_HEIGHT / 2 + 1} z` }));
  } else if (!bar.pending) {
    const x0 = x(bar.start);
    g.append(s('rect', { class: 'bar-run', x: x0, y, width: Math.max(2, x(bar.end) - x0), height: BAR_HEIGHT, rx: 2 }));
  }
  return g;
}

function axis(span: number, x: (t: number) => number, height: number): SVGGElement {
  const step = niceStep(span / 6);
  const g = s('g', { class: 'axis' });
  for (let t = 0; t <= span + step * 0.001; t += step) {
    const px = x(t);
    g.append(
      s('line', { class: 'axis-grid', x1: px, x2: px, y1: AXIS_HEIGHT - 4, y2: height }),
      s('text', { class: 'axis-label', x: px, y: AXIS_HEIGHT - 8, 'text-anchor': t === 0 ? 'start' : 'middle' }, t === 0 ? '0' : formatMs(t)),
    );
  }
  return g;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}
