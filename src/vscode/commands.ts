import * as vscode from 'vscode';
import { questionWithSelection, chatQuery } from '../surfaces/askQuery';
import type { SelectionContext } from '../surfaces/askQuery';
import { COMMANDS } from '../surfaces/commandIds';
import { copyMcpServerConfig } from './copyMcpServerConfig';
import { PROVIDER_VENDOR } from './models/chatModelProvider';
import type { RunCoordinator } from './runCoordinator';
import { readModelSettings } from './settings';

export interface CommandDeps {
  coordinator: RunCoordinator;
}

/** "Ask About This Codebase", "Cancel" and "Copy MCP Server Config". */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.ask, (question?: unknown) => ask(typeof question === 'string' ? question : undefined)),
    vscode.commands.registerCommand(COMMANDS.cancel, () => {
      if (!deps.coordinator.cancel()) void vscode.window.showInformationMessage('LLM Compiler: no question is being answered.');
    }),
    vscode.commands.registerCommand(COMMANDS.copyMcpServerConfig, () => copyMcpServerConfig(context)),
  );
}

/**
 * Asks `@compiler` in the Chat view (where the answer streams, with follow-ups and Stop) and opens the task graph
 * beside it. With code selected, the question is about the selection.
 */
async function ask(given?: string): Promise<void> {
  const selection = currentSelection();
  const question =
    given ??
    (await vscode.window.showInputBox({
      title: 'LLM Compiler: Ask About This Codebase',
      prompt: selection ? `About the selection in ${selection.path}:${selection.startLine}-${selection.endLine}` : 'A question about the open workspace',
      placeHolder: selection ? 'What does this do, and who calls it?' : 'Where is the configuration loaded, and what reads it?',
      ignoreFocusOut: true,
    }));
  if (!question?.trim()) return;
  const modelSelector = await chatModelSelector();
  await vscode.commands.executeCommand('workbench.action.chat.open', {
    query: chatQuery(questionWithSelection(question, selection)),
    ...(modelSelector ? { modelSelector } : {}),
  });
  await vscode.commands.executeCommand(COMMANDS.showTaskGraph);
}

function currentSelection(): SelectionContext | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  const { selection, document } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return {
    path: vscode.workspace.asRelativePath(document.uri),
    startLine: selection.start.line + 1,
    endLine,
    text: document.getText(selection),
    languageId: document.languageId,
  };
}

/**
 * The Chat model to ask with. Chat runs a participant only with a model selected; when the model to use is this
 * extension's own provider (the OpenAI-compatible endpoint), it is selected here, since Chat would not pick it.
 */
async function chatModelSelector(): Promise<vscode.LanguageModelChatSelector | undefined> {
  const { choice } = readModelSettings(vscode.workspace);
  if (choice === 'openai') return { vendor: PROVIDER_VENDOR };
  if (choice === 'vscode-lm') return undefined;
  const all = await vscode.lm.selectChatModels();
  if (all.some((m) => m.vendor !== PROVIDER_VENDOR)) return undefined;
  const ours = all.find((m) => m.vendor === PROVIDER_VENDOR);
  return ours ? { vendor: PROVIDER_VENDOR, id: ours.id } : undefined;
}
