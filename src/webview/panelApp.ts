// The panel's controller: keeps the shown run's view up to date from host messages and redraws at most once per
// animation frame. Layout is the one costly step, so it runs only when the graph's structure changed, and no more
// often than its own cost allows.
import { MODE_LABELS } from '../shared/modes';
import type { HostMessage, RunListItem } from '../shared/protocol';
import type { RunView } from './runView';
import { EMPTY_RUN_VIEW, buildRunView, isLive, reduceRun } from './runView';
import { DetailsView } from './detailsView';
import { h } from './dom';
import type { Dagre, GraphLayout, LayoutCache } from './graphLayout';
import { layoutGraph } from './graphLayout';
import type { GraphModel } from './graphModel';
import { buildGraphModel } from './graphModel';
import { GraphView } from './graphView';
import { buildTimeline } from './timelineModel';
import { TimelineView } from './timelineView';
import { Toolbar } from './toolbar';
import type { HostConnection, SavedState } from './vscodeApi';

/** How often a live run's open bars grow while no event arrives. */
const LIVE_TICK_MS = 200;

export class PanelApp {
  private runs: RunListItem[] = [];
  private shownRunId: string | undefined;
  /** The run the page last asked the host for; its `showRun` answer is still due. */
  private requested: string | undefined;
  /**
   * Answers still due to earlier requests that a later request or a host switch replaced. The host answers every
   * request in order, e.g. all at once after a hidden panel comes back; such a late answer must not replace the run
   * shown since.
   */
  private superseded: string[] = [];
  /** The host showed a run before any list came (a panel just opened): whether it is the newest waits for the list. */
  private followUndecided = false;
  private view: RunView = EMPTY_RUN_VIEW;
  private state: SavedState;
  /** `performance.now()` when the shown run's latest event arrived: the live clock runs on from there. */
  private lastEventAt = 0;

  private model: GraphModel = buildGraphModel(EMPTY_RUN_VIEW);
  private modelOf: RunView = EMPTY_RUN_VIEW;
  private layout: GraphLayout | undefined;
  private layoutSignature: string | undefined;
  private layoutCache: LayoutCache = new Map();
  private nextLayoutAt = 0;

  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly toolbar: Toolbar;
  private readonly graph: GraphView;
  private readonly timeline: TimelineView;
  private readonly details: DetailsView;

  constructor(
    root: HTMLElement,
    private readonly host: HostConnection,
    private readonly dagre: Dagre,
  ) {
    this.state = host.loadState();
    this.toolbar = new Toolbar({
      selectRun: (runId) => {
        this.state.follow = runId === this.runs[0]?.runId;
        this.request(runId);
      },
      cancel: (runId) => host.post({ type: 'cancel', runId }),
    });
    this.graph = new GraphView((key) => this.select(key));
    this.timeline = new TimelineView((key) => this.select(key, true));
    this.details = new DetailsView({
      select: (key) => this.select(key, true),
      openLocation: (location) => host.post({ type: 'openLocation', location }),
    });
    root.replaceChildren(this.toolbar.element, h('main', { class: 'content' }, this.graph.element, this.details.element), this.timeline.element);
    new ResizeObserver(() => {
      this.graph.resized();
      this.schedule();
    }).observe(root);
    this.schedule();
  }

  receive(message: HostMessage): void {
    switch (message.type) {
      case 'runs':
        this.runs = message.runs;
        this.pickRun();
        break;
      case 'showRun': {
        const sameRun = message.runId === this.shownRunId || (this.shownRunId === undefined && message.runId === this.state.runId);
        if (this.requested === message.runId) this.requested = undefined;
        else if (this.dropSuperseded(message.runId)) return;
        else {
          // The host switched the panel (e.g. Show Task Graph on an older answer): follow only if that is the newest run.
          if (this.requested !== undefined) this.superseded.push(this.requested);
          this.requested = undefined;
          this.followUndecided = this.runs.length === 0;
          this.state.follow = this.followUndecided || this.runs[0].runId === message.runId;
        }
        this.shownRunId = message.runId;
        this.view = buildRunView(message.events);
        this.lastEventAt = performance.now();
        this.nextLayoutAt = 0;
        this.layoutCache = new Map();
        if (!sameRun) this.state.selected = undefined;
        this.state.runId = message.runId;
        this.save();
        // Runs may have started while the answer was on its way.
        this.pickRun();
        break;
      }
      case 'event':
        if (message.runId !== this.shownRunId) return;
        this.view = reduceRun(this.view, message.event);
        this.lastEventAt = performance.now();
        break;
    }
    this.schedule();
  }

  /**
   * Chooses the run to show. Following (the default), the newest, and each new run as it starts; after the user
   * picked an older run, that one, also across reloads.
   */
  private pickRun(): void {
    const newest = this.runs[0]?.runId;
    const listed = (runId: string) => this.runs.some((r) => r.runId === runId);
    if (this.followUndecided && newest !== undefined && this.shownRunId !== undefined) {
      this.followUndecided = false;
      this.state.follow = newest === this.shownRunId;
      this.save();
    }
    // The host answers a request for a run it no longer has with the list instead.
    this.superseded = this.superseded.filter(listed);
    if (this.requested && !listed(this.requested)) this.requested = undefined;
    if (this.requested) return;
    let target: string | undefined;
    if (!this.shownRunId) {
      const saved = this.runs.some((r) => r.runId === this.state.runId) ? this.state.runId : undefined;
      target = this.state.follow ? newest : (saved ?? newest);
    } else if (this.state.follow) {
      target = newest;
    }
    if (target && target !== this.shownRunId) this.request(target);
  }

  private request(runId: string): void {
    if (this.requested !== undefined) this.superseded.push(this.requested);
    this.requested = runId;
    this.host.post({ type: 'selectRun', runId });
  }

  /** True when `runId` answers a replaced request: that answer is used up and ignored. */
  private dropSuperseded(runId: string): boolean {
    const at = this.superseded.indexOf(runId);
    if (at < 0) return false;
    this.superseded.splice(at, 1);
    return true;
  }

  private select(key: string | undefined, reveal = false): void {
    this.state.selected = key;
    this.save();
    this.schedule();
    if (key && reveal) requestAnimationFrame(() => this.graph.scrollIntoView(key));
  }

  private save(): void {
    this.host.saveState({ ...this.state });
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.render());
  }

  private render(): void {
    this.frame = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const view = this.view;
    if (this.modelOf !== view) {
      this.model = buildGraphModel(view);
      this.modelOf = view;
    }
    this.relayout();

    const live = isLive(view);
    const now = live ? view.lastT + (performance.now() - this.lastEventAt) : Math.max(view.stats.wallMs, view.lastT);
    const selected = this.model.nodes.some((n) => n.key === this.state.selected) ? this.state.selected : undefined;

    this.toolbar.render(this.runs, this.shownRunId, view);
    this.graph.setEmptyText(emptyText(view, this.runs.length > 0));
    this.graph.render(this.model, this.layout, selected);
    this.details.render(view, this.model, selected, this.runs.find((r) => r.runId === this.shownRunId)?.startedAt);
    this.timeline.render(view, buildTimeline(view, now), now, selected);

    if (live) this.later(LIVE_TICK_MS);
  }

  private relayout(): void {
    if (this.model.signature === this.layoutSignature) return;
    const wait = this.nextLayoutAt - performance.now();
    if (wait > 0) {
      this.later(wait);
      return;
    }
    const started = performance.now();
    this.layout = this.model.nodes.length ? layoutGraph(this.dagre, this.model, this.layoutCache) : undefined;
    this.layoutSignature = this.model.signature;
    // A layout that took long waits a few times its cost before the next: streaming stays smooth at 200 tasks.
    const cost = performance.now() - started;
    this.nextLayoutAt = performance.now() + Math.min(1_000, cost * 3);
  }

  private later(ms: number): void {
    if (this.timer === undefined) this.timer = setTimeout(() => ((this.timer = undefined), this.schedule()), ms);
  }
}

function emptyText(view: RunView, hasRuns: boolean): string | undefined {
  if (!view.runId) return hasRuns ? 'Loading…' : 'No runs yet. Ask a question in Chat and its task graph appears here live.';
  if (view.nodes.length) return undefined;
  if (isLive(view)) return 'Planning…';
  return (view.mode && MODE_LABELS[view.mode]?.graph === 'steps') || view.outcome ? 'This run made no tool calls.' : undefined;
}
