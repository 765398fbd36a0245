import type { CompilerEvent } from '../shared/runEvents';
import { plural } from '../shared/format';

type Phase = 'starting' | 'planning' | 'answering';

interface ActiveRun {
  phase: Phase;
  running: Set<number>;
}

/** What the runs in flight are doing right now, for the status bar. */
export class RunActivity {
  private readonly runs = new Map<string, ActiveRun>();

  /** Applies one event; returns true when the shown state may have changed. */
  apply(runId: string, event: CompilerEvent): boolean {
    if (event.type === 'run-end') return this.runs.delete(runId);
    let run = this.runs.get(runId);
    if (!run) {
      run = { phase: 'starting', running: new Set() };
      this.runs.set(runId, run);
    }
    switch (event.type) {
      case 'plan-start':
        run.phase = 'planning';
        return true;
      case 'join-start':
        run.phase = 'answering';
        return true;
      case 'task-started':
        run.running.add(event.id);
        return true;
      case 'task-finished':
        return run.running.delete(event.id);
      case 'run-start':
        return true;
      default:
        return false;
    }
  }

  /** Forgets a run whose `run-end` never came (its observer was dropped). */
  forget(runId: string): void {
    this.runs.delete(runId);
  }

  get idle(): boolean {
    return this.runs.size === 0;
  }

  /** The newest run in flight. */
  get latestRunId(): string | undefined {
    return [...this.runs.keys()].pop();
  }

  /** e.g. `3 tasks running`, `planning`, `writing the answer`, `2 runs · 5 tasks running`. */
  describe(): string {
    const runs = [...this.runs.values()];
    const tasks = runs.reduce((n, r) => n + r.running.size, 0);
    let what: string;
    if (tasks > 0) what = `${plural(tasks, 'task')} running`;
    else if (runs.some((r) => r.phase === 'planning')) what = 'planning';
    else if (runs.some((r) => r.phase === 'answering')) what = 'writing the answer';
    else what = 'starting';
    return runs.length > 1 ? `${runs.length} runs · ${what}` : what;
  }
}
