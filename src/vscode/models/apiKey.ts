import * as vscode from 'vscode';
import { COMMANDS } from '../../surfaces/commandIds';

/** SecretStorage key of the OpenAI-compatible endpoint's API key (never a setting, never logged). */
export const API_KEY_SECRET = 'llmCompiler.openai.apiKey';

export async function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
  return (await secrets.get(API_KEY_SECRET)) || undefined;
}

/** `LLM Compiler: Set API Key`: stores the key in SecretStorage; an empty input removes it. */
export function registerApiKeyCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setApiKey, async () => {
      const key = await vscode.window.showInputBox({
        title: 'LLM Compiler: API Key',
        prompt: 'API key of the OpenAI-compatible endpoint (stored in VS Code’s secret storage). Leave empty to remove it.',
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'sk-…',
      });
      if (key === undefined) return; // dismissed
      const trimmed = key.trim();
      if (trimmed === '') {
        await context.secrets.delete(API_KEY_SECRET);
        void vscode.window.showInformationMessage('LLM Compiler: API key removed.');
      } else {
        await context.secrets.store(API_KEY_SECRET, trimmed);
        void vscode.window.showInformationMessage('LLM Compiler: API key saved.');
      }
    }),
  );
}
