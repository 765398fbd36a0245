import * as vscode from 'vscode';
import { notifyEach } from '../base/notifyEach';
import type { ResultCache } from '../core/resultCache';
import { openRun, runQuestion } from '../core/runQuestion';
import type { RunHandle } from '../core/runQuestion';
import type { ChatMessage } from '../shared/modelContract';
import type { RunMode, RunObserver, RunSummary } from '../shared/runEvents';
import type { RunModels } from './models/modelSelection';
import type { RunLog } from './runLog';
import type { RunStore } from './panel/runStore';
import { readRunSettings } from './settings';
import type { RunStatusBar } from './statusBar';
import { createWorkspaceTools } from './workspaceTools';

export interface RunRequest {
  question: string;
  history?: ChatMessage[];
  models: RunModels;
  /** Overrides `llmCompiler.mode` (the chat commands `/react`, `/plan`). */
  mode?: RunMode;
  /** Stop in the Chat view; the Cancel command and the panel's Cancel button abort the run too. */
  signal: AbortSignal;
  /** The surface that asked (the chat response). */
  observer?: RunObserver;
}

/**
 * Owns the runs in flight: builds each run's tools, starts `runQuestion` with every observer (the asking surface,
 * the run store behind the task-graph panel, the status bar, the log) and cancels runs on request.
 */
export class RunCoordinator {
  private readonly inFlight = new Map<string, RunHandle>();

  constructor(
    private readonly deps: {
      store: RunStore;
      log: RunLog;
      statusBar: RunStatusBar;
      /** The window's kept tool results, when reuse is on. */
      results?: { readonly current: ResultCache | undefined };
    },
  ) {}

  async run(request: RunRequest): Promise<RunSummary & { runId: string }> {
    const run = openRun(request.signal);
    const { runId, controller } = run;
    this.inFlight.set(runId, run);
    // One observer per surface; a surface that throws is cut off alone, and the others keep receiving events.
    const observers = new Set<RunObserver>([
      ...(request.observer ? [request.observer] : []),
      this.deps.store.observe(runId, { cancel: () => controller.abort() }),
      (event) => this.deps.statusBar.event(runId, event),
      (event) => this.deps.log.event(runId, event),
    ]);
    try {
      const configured = readRunSettings(vscode.workspace);
      const { tools, roots } = createWorkspaceTools({ include: configured.tools });
      const summary = await runQuestion({
        question: request.question,
        history: request.history,
        model: request.models.model,
        joinerModel: request.models.joinerModel,
        tools,
        roots,
        settings: { ...configured.settings, ...(request.mode ? { mode: request.mode } : {}) },
        observer: (event) => notifyEach(observers, [event], 'a run observer'),
        run,
        resultCache: this.deps.results?.current,
      });
      return { ...summary, runId };
    } finally {
      run.close();
      this.inFlight.delete(runId);
      this.deps.statusBar.ended(runId);
    }
  }

  /** Cancels one run, or every run in flight; false when there was none. */
  cancel(runId?: string): boolean {
    const targets = runId ? [this.inFlight.get(runId)].filter((r) => r !== undefined) : [...this.inFlight.values()];
    for (const run of targets) run.controller.abort();
    return targets.length > 0;
  }

  dispose(): void {
    this.cancel();
  }
}

export function registerRunCoordinator(context: vscode.ExtensionContext, deps: ConstructorParameters<typeof RunCoordinator>[0]): RunCoordinator {
  const coordinator = new RunCoordinator(deps);
  context.subscriptions.push(coordinator);
  return coordinator;
}
