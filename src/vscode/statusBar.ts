import * as vscode from 'vscode';
import type { CompilerEvent } from '../shared/runEvents';
import { COMMANDS } from '../surfaces/commandIds';
import { RunActivity } from '../surfaces/runActivity';

/** A status bar item while a run is in flight (hidden when idle); a click opens the task graph of the newest run. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('llmCompiler.status', vscode.StatusBarAlignment.Left, 50);
  private readonly activity = new RunActivity();
  private running = false;

  constructor() {
    this.item.name = 'LLM Compiler';
    const tooltip = new vscode.MarkdownString(
      `LLM Compiler is answering a question. Click to show the task graph. [Cancel](command:${COMMANDS.cancel}) stops the run (also "LLM Compiler: Cancel").`,
    );
    tooltip.isTrusted = { enabledCommands: [COMMANDS.cancel] };
    this.item.tooltip = tooltip;
  }

  event(runId: string, event: CompilerEvent): void {
    if (this.activity.apply(runId, event)) this.update();
  }

  /** Called when a run is over however it ended, in case its `run-end` never reached this observer. */
  ended(runId: string): void {
    this.activity.forget(runId);
    this.update();
  }

  private update(): void {
    const running = !this.activity.idle;
    if (running !== this.running) {
      this.running = running;
      // Enables "LLM Compiler: Cancel" in the Command Palette only while there is something to cancel.
      void vscode.commands.executeCommand('setContext', 'llmCompiler.running', running);
    }
    if (!running) {
      this.item.hide();
      return;
    }
    this.item.text = `$(sync~spin) LLM Compiler: ${this.activity.describe()}`;
    this.item.command = { command: COMMANDS.showTaskGraph, title: 'Show Task Graph', arguments: [this.activity.latestRunId] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function registerStatusBar(context: vscode.ExtensionContext): RunStatusBar {
  const statusBar = new RunStatusBar();
  context.subscriptions.push(statusBar);
  return statusBar;
}
