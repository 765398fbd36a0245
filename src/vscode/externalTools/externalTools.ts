// The tools of other extensions in this window: the session's source of them, and "Choose External Tools".
import * as vscode from 'vscode';
import { clip, formatOrigin } from '../../shared/format';
import { ASK_TOOL_NAME, COMMANDS } from '../../surfaces/commandIds';
import { tokenFromSignal } from '../cancellation';
import { readExternalToolGlobs, saveExternalToolGlobs } from '../settings';
import { externalToolMatcher, globsForChoice } from './externalToolGlobs';
import { LmToolSource, toolOrigin } from './lmToolSource';

/** The window's source of external tools; `takenNames` are the workspace tools' names, which they must not take. */
export function createLmToolSource(log: vscode.LogOutputChannel, takenNames: () => Iterable<string>): LmToolSource {
  return new LmToolSource({
    lm: vscode.lm,
    isTrusted: () => vscode.workspace.isTrusted,
    globs: () => readExternalToolGlobs(vscode.workspace),
    extensions: () => vscode.extensions.all,
    takenNames,
    tokenFromSignal,
    log,
  });
}

export function registerChooseExternalTools(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.chooseExternalTools, chooseExternalTools));
}

/**
 * A list of every language-model tool VS Code lists but this extension's own, those the setting names checked; the
 * choice is written to `llmCompiler.externalTools` in user settings.
 */
async function chooseExternalTools(): Promise<void> {
  const listed = vscode.lm.tools.filter((t) => t.name !== ASK_TOOL_NAME);
  if (listed.length === 0) {
    void vscode.window.showInformationMessage('LLM Compiler: no extension or MCP server offers language-model tools in this window.');
    return;
  }
  const current = readExternalToolGlobs(vscode.workspace);
  const { matches } = externalToolMatcher(current);
  const extensions = vscode.extensions.all;
  const items = listed
    .map((t) => ({ label: t.name, description: formatOrigin(toolOrigin(t.name, extensions)), detail: clip(t.description, 200), picked: matches(t.name) }))
    .sort((a, b) => a.description.localeCompare(b.description) || a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'LLM Compiler: Choose External Tools',
    placeHolder: vscode.workspace.isTrusted
      ? 'The tools the planner may call besides the workspace tools'
      : 'The tools the planner may call besides the workspace tools (none while this workspace is not trusted)',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return;
  await saveExternalToolGlobs(
    vscode.workspace,
    globsForChoice(
      current,
      listed.map((t) => t.name),
      picked.map((p) => p.label),
    ),
  );
}
