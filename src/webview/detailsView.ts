// The details pane: the selected task (arguments as written and resolved, timing, result, error, file locations),
// the selected joiner, or the run itself when nothing is selected. Rebuilt only when what it shows changed, so
// scrolling and text selection survive live updates.
import type { RunView, TaskNode } from './runView';
import type { FileLocation } from '../shared/toolContract';
import type { JsonObject } from '../shared/json';
import { h } from './dom';
import { formatClock, formatMs, formatOrigin, formatTokens, formatLocation } from '../shared/format';
import type { DrawNode, GraphModel } from './graphModel';
import { taskKey } from './graphModel';
import { CitationStream } from '../surfaces/citations';
import type { Citation } from '../surfaces/citations';

export interface DetailsActions {
  select(key: string | undefined): void;
  openLocation(location: FileLocation): void;
}

export class DetailsView {
  readonly element: HTMLElement;
  private shown: unknown[] = [];
  /** The locations of the shown task, indexed by the links' `data-location`. */
  private locations: readonly FileLocation[] = [];

  constructor(private readonly actions: DetailsActions) {
    this.element = h('aside', { class: 'details-pane', 'aria-label': 'Details' });
    this.element.addEventListener('click', (e) => {
      const target = (e.target as Element).closest<HTMLElement>('[data-select], [data-location]');
      if (!target) return;
      e.preventDefault();
      const select = target.dataset.select;
      if (select !== undefined) this.actions.select(select || undefined);
      const index = target.dataset.location;
      if (index !== undefined) {
        const location = this.locations[Number(index)];
        if (location) this.actions.openLocation(location);
      }
    });
  }

  render(view: RunView, model: GraphModel, selected: string | undefined, startedAt: number | undefined): void {
    const node = selected ? model.nodes.find((n) => n.key === selected) : undefined;
    // What the pane depends on, compared by identity.
    const deps: unknown[] = node ? [node.kind === 'task' ? node.task : node, view.nodes.length] : [view.runId, view.answer, view.outcome, view.rounds, view.stats.tasks, startedAt];
    if (deps.length === this.shown.length && deps.every((d, i) => d === this.shown[i])) return;
    this.shown = deps;
    this.locations = [];
    const content = node ? (node.kind === 'task' ? this.taskDetails(node.task, view) : joinDetails(node, view)) : this.runDetails(view, startedAt);
    this.element.replaceChildren(...content);
  }

  private taskDetails(t: TaskNode, view: RunView): Node[] {
    const dependents = view.nodes.filter((n) => n.deps.includes(t.id)).map((n) => n.id);
    const parts: Node[] = [
      h('div', { class: 'details-head' }, h('h2', {}, `#${t.id} ${t.tool}`), stateChip(t.state), closeButton()),
      fields([
        ...(t.origin ? ([['Source', formatOrigin(t.origin)]] as Array<[string, string]>) : []),
        ['Round', String(t.round)],
        ['Depends on', t.deps.length ? refs(t.deps) : 'nothing'],
        ['Used by', dependents.length ? refs(dependents) : 'nothing'],
        ...(t.cachedFrom !== undefined ? ([['Result of', reusedFrom(t)]] as Array<[string, Node | string]>) : []),
        ['Timing', timing(t)],
      ]),
    ];
    if (t.thought) parts.push(section('Thought', h('p', { class: 'thought' }, t.thought)));
    parts.push(section('Arguments as written', h('pre', { class: 'code' }, `${t.tool}(${t.args})`)));
    if (t.resolvedArgs) parts.push(section('Arguments resolved', h('pre', { class: 'code' }, formatResolved(t.resolvedArgs))));
    if (t.error) parts.push(section('Error', h('div', { class: 'error-box' }, h('span', { class: 'reason' }, t.error.reason), ' ', t.error.message)));
    if (t.locations?.length) {
      this.locations = t.locations;
      const list = h('ul', { class: 'locations' });
      t.locations.forEach((loc, i) => list.append(h('li', {}, h('a', { href: '#', 'data-location': i, title: loc.path }, formatLocation(loc)))));
      parts.push(section(`Locations (${t.locations.length})`, list));
    }
    // A failed task's text only repeats its error for the model.
    const repeatsError = t.error !== undefined && t.text?.startsWith('Error:');
    if (t.text && !repeatsError && t.state !== 'cancelled') parts.push(section('Result', h('pre', { class: 'result' }, t.text)));
    else if (t.state === 'planned' || t.state === 'running') parts.push(h('p', { class: 'muted' }, t.state === 'running' ? 'Running…' : 'Waiting for its dependencies.'));
    return parts;
  }

  private answer(view: RunView): HTMLElement {
    const locations: FileLocation[] = [];
    const body = answerBody(view, locations);
    this.locations = locations;
    return body;
  }

  private runDetails(view: RunView, startedAt: number | undefined): Node[] {
    if (!view.runId) return [h('p', { class: 'muted' }, 'Select a task in the graph to see its arguments, timing and result.')];
    const outcome = view.outcome ?? 'running';
    const parts: Node[] = [
      h('div', { class: 'details-head' }, h('h2', {}, 'Run'), stateChip(outcome)),
      h('p', { class: 'question' }, view.question),
      fields([
        ['Model', view.model ?? ''],
        ['Mode', view.mode ?? ''],
        ...(startedAt !== undefined ? ([['Started', formatClock(startedAt)]] as Array<[string, string]>) : []),
        ['Tasks', taskCounts(view)],
      ]),
    ];
    if (view.error) parts.push(section('Error', h('div', { class: 'error-box' }, h('span', { class: 'reason' }, view.error.reason), ' ', view.error.message)));
    for (const r of view.rounds) {
      if (!r.planErrors.length && !r.replanReason) continue;
      const body = h('div', {});
      for (const p of r.planErrors) body.append(h('div', { class: 'error-box' }, `line ${p.line}: ${p.error.message}`, h('pre', { class: 'code' }, p.source)));
      if (r.replanReason) body.append(h('p', {}, h('strong', {}, 'Replanned: '), r.replanReason));
      parts.push(section(`Round ${r.round}`, body));
    }
    if (view.answer) parts.push(section('Answer', this.answer(view)));
    parts.push(h('p', { class: 'muted hint' }, 'Click a task in the graph or the timeline for its details.'));
    return parts;
  }
}

/**
 * The answer as plain text, as the model wrote it: its markdown is never rendered, so an image, a link or HTML in it
 * shows as text and loads nothing. Only its `path:line` citations of files the run's tasks reported are links,
 * which the host opens in the editor (and only inside the workspace).
 */
function answerBody(view: RunView, locations: FileLocation[]): HTMLElement {
  const known = view.nodes.flatMap((n) => n.locations ?? []);
  const pre = h('pre', { class: 'answer' });
  const stream = new CitationStream((text) => text);
  for (const segment of [...stream.push(view.answer), ...stream.end()]) {
    if (segment.kind === 'text') {
      pre.append(segment.text);
      continue;
    }
    const location = citedLocation(segment, known);
    if (!location) {
      pre.append(segment.raw);
      continue;
    }
    locations.push(location);
    pre.append(h('a', { href: '#', class: 'citation', 'data-location': locations.length - 1, title: location.path }, segment.raw));
  }
  return pre;
}

/** The file a citation names, if a task of the run reported it (by its workspace-relative path or its own). */
function citedLocation(cite: Citation, known: readonly FileLocation[]): FileLocation | undefined {
  const rel = cite.path.replace(/\\/g, '/').replace(/^\.\//, '');
  const file = known.find((k) => k.path === cite.path || k.relPath === rel || k.relPath.endsWith(`/${rel}`));
  if (!file) return undefined;
  return { path: file.path, relPath: file.relPath, line: cite.line, ...(cite.column ? { column: cite.column } : {}), ...(cite.endLine ? { endLine: cite.endLine } : {}) };
}

function joinDetails(node: Extract<DrawNode, { kind: 'join' }>, view: RunView): Node[] {
  const round = view.rounds.find((r) => r.round === node.round);
  const span = node.span;
  const rows: Array<[string, Node | string]> = node.turn !== undefined ? [['Reads', `the results of turn ${node.round}`]] : [['Round', String(node.round)]];
  if (span) {
    rows.push(['Time', span.end !== undefined ? `${formatMs(span.end - span.start)} (from ${formatMs(span.start)})` : `since ${formatMs(span.start)}`]);
    if (span.firstTokenMs !== undefined) rows.push(['First token', formatMs(span.firstTokenMs)]);
    if (span.inputTokens !== undefined) rows.push(['Tokens', `${formatTokens(span.inputTokens)} in · ${formatTokens(span.outputTokens ?? 0)} out${span.estimated ? ' (estimated)' : ''}`]);
  }
  const title = node.turn !== undefined ? `Model turn ${node.turn}` : `Joiner · round ${node.round}`;
  const parts: Node[] = [h('div', { class: 'details-head' }, h('h2', {}, title), stateChip(node.state), closeButton()), fields(rows)];
  if (round?.thought) parts.push(section('Thought', h('p', { class: 'thought' }, round.thought)));
  if (round?.replanReason) parts.push(section('Replanned because', h('p', {}, round.replanReason)));
  return parts;
}

function stateChip(state: string): HTMLElement {
  return h('span', { class: `chip state-${state}` }, state);
}

function closeButton(): HTMLElement {
  return h('button', { class: 'icon-button close', type: 'button', 'data-select': '', title: 'Back to the run', 'aria-label': 'Back to the run' }, '×');
}

function section(title: string, body: Node): HTMLElement {
  return h('section', { class: 'details-section' }, h('h3', {}, title), body);
}

function fields(rows: Array<[string, Node | string]>): HTMLElement {
  const dl = h('dl', { class: 'fields' });
  for (const [name, value] of rows) dl.append(h('dt', {}, name), h('dd', {}, value));
  return dl;
}

function refs(ids: readonly number[]): Node {
  const span = h('span', {});
  ids.forEach((id, i) => {
    if (i) span.append(', ');
    span.append(h('a', { href: '#', 'data-select': taskKey(id) }, `#${id}`));
  });
  return span;
}

function timing(t: TaskNode): string {
  const parts = [`planned at ${formatMs(t.plannedAt)}`];
  if (t.startedAt !== undefined) parts.push(`started ${formatMs(t.startedAt)}`, `waited ${formatMs(t.startedAt - t.plannedAt)}`);
  if (t.finishedAt !== undefined && t.startedAt !== undefined) parts.push(`took ${formatMs(t.ms ?? t.finishedAt - t.startedAt)}`);
  else if (t.finishedAt !== undefined) parts.push(`settled at ${formatMs(t.finishedAt)} without running`);
  return parts.join(' · ');
}

/** Where a cached task's result came from: a task of this run, or one of an earlier question's. */
function reusedFrom(t: TaskNode): Node | string {
  if (t.cachedFrom === undefined) return '';
  if (t.cachedFromRun === undefined) return refs([t.cachedFrom]);
  const took = t.originalMs !== undefined ? `, which took ${formatMs(t.originalMs)}` : '';
  return `task #${t.cachedFrom} of an earlier question (run ${t.cachedFromRun.slice(0, 8)})${took}; still valid, checked in ${formatMs(t.ms ?? 0)}`;
}

function taskCounts(view: RunView): string {
  const c = view.stats.tasks;
  const pending = view.nodes.length - c.total;
  const parts = [`${view.nodes.length} planned`, `${c.ok} ok`];
  if (c.cached) parts.push(`${c.cached} reused${view.stats.savedToolMs > 0 ? ` (saved ${formatMs(view.stats.savedToolMs)} of tool time)` : ''}`);
  if (c.error) parts.push(`${c.error} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  if (pending > 0) parts.push(`${pending} pending`);
  return parts.join(' · ');
}

function formatResolved(args: JsonObject): string {
  return Object.entries(args)
    .map(([name, value]) => `${name} = ${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value, null, 2)}`)
    .join('\n');
}
