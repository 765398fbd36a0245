import * as vscode from 'vscode';
import { CompilerError, toErrorInfo } from '../../base/errors';
import { listModels } from '../../providers/listModels';
import { createOpenAIModel } from '../../providers/openaiModel';
import type { RunModels } from '../../host/session';
import { readApiKey } from './apiKey';
import { PROVIDER_VENDOR } from './chatModelProvider';
import { createVsCodeLmModel } from './lmModel';
import { COMMANDS } from '../../surfaces/commandIds';
import { readModelSettings, readOpenAISettings, saveModelSelection } from '../settings';
import type { OpenAISettings } from '../settings';
import { openAIModelOptions } from './openaiSettings';

const SELECT_MODEL = '"LLM Compiler: Select Model"';

/**
 * The models for a run, from `llmCompiler.model`: `openai` = the OpenAI-compatible endpoint; `vscode-lm` = the first
 * VS Code language model matching `llmCompiler.vscodeLm.selector`; `auto` = the Chat request's model when there is
 * one, else the first VS Code language model, else the endpoint. Throws one `no-model` error saying what to configure.
 */
export async function resolveRunModels(
  secrets: vscode.SecretStorage,
  chatModel?: vscode.LanguageModelChat,
): Promise<RunModels> {
  const { choice, selector } = readModelSettings(vscode.workspace);
  const settings = readOpenAISettings(vscode.workspace);

  if (choice === 'openai') {
    const models = await openAIModels(settings, secrets);
    if (models) return models;
    throw new CompilerError(
      'no-model',
      `No model is set for the OpenAI-compatible endpoint ${settings.baseUrl}. Set "llmCompiler.openai.model" (for Ollama, a name from \`ollama list\`) or run ${SELECT_MODEL}.`,
    );
  }
  if (choice === 'vscode-lm') {
    const [chat] = await vscode.lm.selectChatModels(selector);
    if (chat) return fromChat(chat, settings, secrets);
    throw new CompilerError(
      'no-model',
      `No VS Code language model matches "llmCompiler.vscodeLm.selector" (${JSON.stringify(selector ?? {})}). Install a chat model provider such as GitHub Copilot Chat, change the selector, or run ${SELECT_MODEL}.`,
    );
  }
  if (chatModel) return fromChat(chatModel, settings, secrets);
  const [first] = await vscode.lm.selectChatModels(selector);
  if (first) return fromChat(first, settings, secrets);
  const models = await openAIModels(settings, secrets);
  if (models) return models;
  throw new CompilerError(
    'no-model',
    'No language model is available. Install a VS Code chat model provider such as GitHub Copilot Chat, or point LLM Compiler at an OpenAI-compatible server (Ollama, vLLM, LM Studio, OpenAI): set "llmCompiler.openai.baseUrl" and "llmCompiler.openai.model", and run "LLM Compiler: Set API Key" if it needs a key. ' +
      `${SELECT_MODEL} lists what is available.`,
  );
}

/** `LLM Compiler: Select Model`: picks a VS Code language model or the OpenAI-compatible endpoint, saved in settings. */
export function registerSelectModelCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.selectModel, () => selectModel(context.secrets)));
}

type ModelPick = { kind: 'auto' } | { kind: 'openai' } | { kind: 'vscode-lm'; chat: vscode.LanguageModelChat };

async function selectModel(secrets: vscode.SecretStorage): Promise<void> {
  const settings = readOpenAISettings(vscode.workspace);
  // The endpoint's models come through this extension's own provider too; the endpoint entry stands for them.
  const chats = (await vscode.lm.selectChatModels()).filter((chat) => chat.vendor !== PROVIDER_VENDOR);
  const items: Array<vscode.QuickPickItem & { pick: ModelPick }> = [
    { label: 'Auto', description: 'the Chat request’s model, else the first available', pick: { kind: 'auto' } },
    ...chats.map((chat) => ({
      label: chat.name,
      description: `${chat.vendor}/${chat.family}`,
      detail: chat.id,
      pick: { kind: 'vscode-lm' as const, chat },
    })),
    {
      label: 'OpenAI-compatible endpoint',
      description: settings.model ? `${settings.model} at ${settings.baseUrl}` : settings.baseUrl,
      pick: { kind: 'openai' },
    },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'LLM Compiler: Select Model', ignoreFocusOut: true });
  if (!chosen) return;
  const { pick } = chosen;
  if (pick.kind === 'auto') {
    await saveModelSelection(vscode.workspace, { choice: 'auto' });
  } else if (pick.kind === 'vscode-lm') {
    await saveModelSelection(vscode.workspace, { choice: 'vscode-lm', selector: { vendor: pick.chat.vendor, id: pick.chat.id } });
  } else {
    const model = await pickEndpointModel(settings, secrets);
    if (model === undefined) return;
    await saveModelSelection(vscode.workspace, { choice: 'openai', model });
  }
  void vscode.window.showInformationMessage(`LLM Compiler will use: ${chosen.label}${pick.kind === 'openai' ? ` (${readOpenAISettings(vscode.workspace).model})` : ''}.`);
}

/** One of the server's models, or a typed name when the server cannot list them. */
async function pickEndpointModel(settings: OpenAISettings, secrets: vscode.SecretStorage): Promise<string | undefined> {
  const apiKey = await readApiKey(secrets);
  let models: string[] = [];
  let problem = '';
  try {
    models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Listing the models of ${settings.baseUrl}…`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return listModels({ baseURL: settings.baseUrl, maxRetries: 0, ...(apiKey ? { apiKey } : {}) }, controller.signal);
      },
    );
  } catch (error) {
    problem = toErrorInfo(error, 'model-unreachable').message;
  }
  if (models.length > 0) {
    const picked = await vscode.window.showQuickPick(
      models.map((id) => ({ label: id, description: id === settings.model ? 'current' : undefined })),
      { title: `Model at ${settings.baseUrl}`, ignoreFocusOut: true },
    );
    return picked?.label;
  }
  const typed = await vscode.window.showInputBox({
    title: `Model at ${settings.baseUrl}`,
    prompt: problem ? `The server's models could not be listed (${problem}). Model name:` : 'Model name:',
    value: settings.model,
    ignoreFocusOut: true,
  });
  return typed?.trim() || undefined;
}

async function fromChat(chat: vscode.LanguageModelChat, settings: OpenAISettings, secrets: vscode.SecretStorage): Promise<RunModels> {
  // A model of this extension's own provider is the endpoint: talk to it directly, with real usage figures.
  if (chat.vendor === PROVIDER_VENDOR) {
    return { model: createOpenAIModel(openAIModelOptions(settings, chat.id, await readApiKey(secrets))) };
  }
  return { model: createVsCodeLmModel(chat) };
}

async function openAIModels(settings: OpenAISettings, secrets: vscode.SecretStorage): Promise<RunModels | undefined> {
  const planner = settings.plannerModel || settings.model;
  if (!planner) return undefined;
  const joiner = settings.joinerModel || settings.model;
  const apiKey = await readApiKey(secrets);
  const model = createOpenAIModel(openAIModelOptions(settings, planner, apiKey));
  if (!joiner || joiner === planner) return { model };
  return { model, joinerModel: createOpenAIModel(openAIModelOptions(settings, joiner, apiKey)) };
}
