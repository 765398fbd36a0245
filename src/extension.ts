import type * as vscode from 'vscode';
import { registerApiKeyCommand } from './vscode/models/apiKey';
import { registerChatModelProvider } from './vscode/models/chatModelProvider';
import { registerAskTool } from './vscode/chat/askTool';
import { registerChatParticipant } from './vscode/chat/chatParticipant';
import { registerCommands } from './vscode/commands';
import { registerChooseExternalTools } from './vscode/externalTools/externalTools';
import { registerGraphPanel } from './vscode/panel/graphPanel';
import { registerSelectModelCommand } from './vscode/models/modelSelection';
import { registerRunCoordinator } from './vscode/runCoordinator';
import { loadRunHistory, registerRunHistory } from './vscode/panel/runHistory';
import { registerResultReuse } from './vscode/resultReuse';
import { registerRunLog } from './vscode/runLog';
import { createRunStore } from './vscode/panel/runStore';
import { registerStatusBar } from './vscode/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const store = createRunStore({ restored: loadRunHistory(context.workspaceState) });
  const log = registerRunLog(context);
  registerRunHistory(context, store, log.channel);
  const statusBar = registerStatusBar(context);
  registerGraphPanel(context, store);
  registerChatModelProvider(context);
  registerApiKeyCommand(context);
  registerSelectModelCommand(context);
  const results = registerResultReuse(context, log.channel);
  const coordinator = registerRunCoordinator(context, { store, log, statusBar, results });
  registerChatParticipant(context, { coordinator });
  registerAskTool(context, { coordinator });
  registerCommands(context, { coordinator });
  registerChooseExternalTools(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; runs in flight are cancelled by the coordinator.
}
