import * as vscode from 'vscode';
import type { CompilerEvent } from '../shared/runEvents';
import { COMMANDS } from '../surfaces/commandIds';
import { logLine } from '../surfaces/logLine';

/** The "LLM Compiler" log: one line per event of every run. */
export class RunLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('LLM Compiler', { log: true });

  event(runId: string, event: CompilerEvent): void {
    const { level, text } = logLine(runId, event);
    this.channel[level](text);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function registerRunLog(context: vscode.ExtensionContext): RunLog {
  const log = new RunLog();
  context.subscriptions.push(log, vscode.commands.registerCommand(COMMANDS.showLog, () => log.channel.show(true)));
  return log;
}
