// The bar above the graph: the run picker, the shown run's status and its Cancel button.
import type { RunListItem } from '../shared/protocol';
import type { RunView } from './runView';
import { isLive } from './runView';
import { h, setText } from './dom';
import { clip, formatClock, formatMs } from '../shared/format';

export interface ToolbarActions {
  selectRun(runId: string): void;
  cancel(runId: string): void;
}

const OUTCOME_GLYPH = { answered: '✓', failed: '✕', cancelled: '⊘' } as const;

export class Toolbar {
  readonly element: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly status: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private drawnRuns: readonly RunListItem[] | undefined;
  private shownRunId: string | undefined;

  constructor(actions: ToolbarActions) {
    this.picker = h('select', { class: 'run-picker', title: 'Recent runs', 'aria-label': 'Run' });
    this.picker.addEventListener('change', () => actions.selectRun(this.picker.value));
    this.status = h('span', { class: 'chip run-status' });
    this.cancelButton = h('button', { class: 'button secondary', type: 'button', title: 'Stop this run' }, 'Cancel');
    this.cancelButton.addEventListener('click', () => {
      if (this.shownRunId) actions.cancel(this.shownRunId);
    });
    this.element = h('header', { class: 'toolbar' }, this.picker, this.status, this.cancelButton);
  }

  render(runs: readonly RunListItem[], shownRunId: string | undefined, view: RunView): void {
    if (runs !== this.drawnRuns || shownRunId !== this.shownRunId) {
      this.drawnRuns = runs;
      this.picker.replaceChildren(
        ...(runs.length ? [] : [h('option', { value: '' }, 'No runs yet')]),
        ...runs.map((r) => h('option', { value: r.runId, selected: r.runId === shownRunId, title: r.question }, runLabel(r))),
      );
      // A shown run the host dropped from its list stays selectable.
      if (shownRunId && !runs.some((r) => r.runId === shownRunId)) {
        this.picker.prepend(h('option', { value: shownRunId, selected: true }, clip(view.question || shownRunId, 60)));
      }
      this.picker.disabled = runs.length === 0;
    }
    this.shownRunId = shownRunId;
    const live = isLive(view);
    const state = view.outcome ?? (live ? 'running' : 'idle');
    this.status.className = `chip run-status state-${state}`;
    setText(this.status, live ? 'running' : view.outcome ? `${view.outcome} · ${formatMs(view.stats.wallMs)}` : '');
    this.status.hidden = !view.runId;
    const item = runs.find((r) => r.runId === shownRunId);
    this.cancelButton.hidden = !(live && item?.cancellable);
  }
}

function runLabel(r: RunListItem): string {
  const glyph = r.outcome ? OUTCOME_GLYPH[r.outcome] : '◔';
  return `${glyph} ${formatClock(r.startedAt)} · ${clip(r.question || '(no question)', 70)}`;
}
