import * as vscode from 'vscode';
import { childController } from '../base/abortable';
import { notifyEach } from '../base/notifyEach';
import type { ResultCache } from '../core/resultCache';
import { Session, newRunId } from '../host/session';
import type { RunModels } from '../host/session';
import type { ChatMessage } from '../shared/modelContract';
import type { RunObserver, RunSummary } from '../shared/runEvents';
import type { RunLog } from './runLog';
import type { RunStore } from './panel/runStore';
import { readProtectedGlobs, readRunSettings } from './settings';
import type { RunStatusBar } from './statusBar';
import { workspaceRoots, workspaceToolNames, workspaceToolSource } from './workspaceTools';
import { createLmToolSource } from './externalTools/externalTools';
import type { LmToolSource } from './externalTools/lmToolSource';
import type { RunMode } from '../shared/modes';

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
  /**
   * The Chat request's `toolInvocationToken` (or the one a tool call of this extension received): other extensions'
   * tools are called with it, so VS Code shows them, and asks its confirmations, in that conversation.
   */
  toolInvocationToken?: vscode.ChatParticipantToolToken;
}

/**
 * Owns the window's session and the runs in flight: asks each question through the session with every observer
 * (the asking surface, the run store behind the task-graph panel, the status bar, the log), and is the one place
 * that cancels a run, whoever asks (the Cancel command, the panel's button).
 */
export class RunCoordinator {
  private readonly inFlight = new Map<string, AbortController>();
  private readonly session: Session;
  private readonly externalTools: LmToolSource;

  constructor(
    private readonly deps: {
      store: RunStore;
      log: RunLog;
      statusBar: RunStatusBar;
      /** The window's kept tool results, when reuse is on. */
      results?: { readonly current: ResultCache | undefined };
    },
  ) {
    // The window's one session: the workspace tools, then the tools of other extensions the user chose, and the kept
    // results. External tools are refused the paths the user protects, as the setting reads at each question.
    this.externalTools = createLmToolSource(deps.log.channel, workspaceToolNames);
    this.session = new Session({
      sources: [workspaceToolSource(), this.externalTools],
      resultCache: () => deps.results?.current,
      protectedGlobs: () => readProtectedGlobs(vscode.workspace),
    });
  }

  async run(request: RunRequest): Promise<RunSummary & { runId: string }> {
    const runId = newRunId();
    // The run stops when its asker stops it (Stop in Chat, a tool call's token) or when `cancel` names it.
    const { controller, dispose } = childController(request.signal);
    this.inFlight.set(runId, controller);
    this.externalTools.bindRun(controller.signal, request.toolInvocationToken);
    // One observer per surface; a surface that throws is cut off alone, and the others keep receiving events.
    const observers = new Set<RunObserver>([
      ...(request.observer ? [request.observer] : []),
      this.deps.store.observe(runId, { cancel: () => this.cancel(runId) }),
      (event) => this.deps.statusBar.event(runId, event),
      (event) => this.deps.log.event(runId, event),
    ]);
    try {
      const configured = readRunSettings(vscode.workspace);
      return await this.session.ask({
        question: request.question,
        ...(request.history ? { history: request.history } : {}),
        models: request.models,
        roots: workspaceRoots(),
        settings: { ...configured.settings, ...(request.mode ? { mode: request.mode } : {}) },
        signal: controller.signal,
        observer: (event) => notifyEach(observers, [event], 'a run observer'),
        runId,
      });
    } finally {
      dispose();
      this.inFlight.delete(runId);
      this.deps.statusBar.ended(runId);
    }
  }

  /** Cancels one run, or every run in flight; false when there was none. */
  cancel(runId?: string): boolean {
    const targets = runId ? [this.inFlight.get(runId)].filter((r) => r !== undefined) : [...this.inFlight.values()];
    for (const controller of targets) controller.abort();
    return targets.length > 0;
  }

  dispose(): void {
    this.cancel();
    void this.session.close();
  }
}

export function registerRunCoordinator(context: vscode.ExtensionContext, deps: ConstructorParameters<typeof RunCoordinator>[0]): RunCoordinator {
  const coordinator = new RunCoordinator(deps);
  context.subscriptions.push(coordinator);
  return coordinator;
}
