import * as vscode from 'vscode';
import { isAbortError } from '../../base/errors';
import { listModels } from '../../providers/listModels';
import { createOpenAIModel } from '../../providers/openaiModel';
import { countChatTokens, countTextTokens } from '../../providers/tokenCount';
import type { ChatMessage, ModelRequestOptions } from '../../shared/modelContract';
import { API_KEY_SECRET, readApiKey } from './apiKey';
import { signalFromToken } from '../cancellation';
import { textOfParts, toChatMessage } from './lmMessageParts';
import { readOpenAISettings } from '../settings';
import type { OpenAISettings } from '../settings';
import { configuredModels, openAIModelOptions } from './openaiSettings';

/** Vendor of the models this extension contributes (also in package.json `languageModelChatProviders`). */
export const PROVIDER_VENDOR = 'llm-compiler';

// OpenAI-compatible servers do not say how large their context is; these are conservative budgets for VS Code.
const MAX_INPUT_TOKENS = 32_768;
const MAX_OUTPUT_TOKENS = 4_096;
const LIST_TIMEOUT_MS = 3_000;

/**
 * Makes the configured OpenAI-compatible endpoint's models selectable in the Chat model picker (and through
 * `vscode.lm.selectChatModels`). With no model configured, the server's own model list is offered.
 */
export function registerChatModelProvider(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.LanguageModelChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,

    async provideLanguageModelChatInformation(_options, token) {
      const settings = readOpenAISettings(vscode.workspace);
      const configured = configuredModels(settings);
      const models = configured.length > 0 ? configured : await serverModels(settings, context.secrets, token);
      return models.map((id) => modelInformation(id, settings));
    },

    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const settings = readOpenAISettings(vscode.workspace);
      const client = createOpenAIModel(openAIModelOptions(settings, model.id, await readApiKey(context.secrets)));
      const { signal, dispose } = signalFromToken(token);
      try {
        const chatMessages = messages.map((m) => toChatMessage(roleOf(m.role), m.content));
        for await (const chunk of client.stream(chatMessages, requestOptions(options, signal))) {
          if (chunk.type === 'text') progress.report(new vscode.LanguageModelTextPart(chunk.text));
          else if (chunk.type === 'tool-call') progress.report(new vscode.LanguageModelToolCallPart(chunk.call.id, chunk.call.name, chunk.call.input));
        }
      } catch (error) {
        if (isAbortError(error)) throw new vscode.CancellationError();
        throw error;
      } finally {
        dispose();
      }
    },

    async provideTokenCount(_model, text) {
      return typeof text === 'string' ? countTextTokens(text) : countChatTokens([{ content: textOfParts(text.content) }]);
    },
  };

  context.subscriptions.push(
    changed,
    vscode.lm.registerLanguageModelChatProvider(PROVIDER_VENDOR, provider),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('llmCompiler.openai')) changed.fire();
    }),
    context.secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) changed.fire();
    }),
  );
  // The model picker may have been drawn before the extension started: have VS Code ask for the models now.
  changed.fire();
}

function modelInformation(id: string, settings: OpenAISettings): vscode.LanguageModelChatInformation {
  return {
    id,
    name: id,
    family: id,
    version: '1',
    detail: 'LLM Compiler',
    tooltip: `${id} at the OpenAI-compatible endpoint ${settings.baseUrl}`,
    maxInputTokens: MAX_INPUT_TOKENS,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    // VS Code's Chat lists only tool-calling models in Agent mode, now its only mode. The tools a request offers
    // are passed to the server as functions and its calls come back to VS Code (@compiler runs its own tools).
    capabilities: { imageInput: false, toolCalling: true },
  };
}

/** Best effort: VS Code asks for models at startup, when the server may well be down. */
async function serverModels(
  settings: OpenAISettings,
  secrets: vscode.SecretStorage,
  token: vscode.CancellationToken,
): Promise<string[]> {
  const { signal, dispose } = signalFromToken(token);
  try {
    const apiKey = await readApiKey(secrets);
    return await listModels(
      { baseURL: settings.baseUrl, maxRetries: 0, timeoutMs: LIST_TIMEOUT_MS, ...(apiKey ? { apiKey } : {}) },
      signal,
    );
  } catch {
    return [];
  } finally {
    dispose();
  }
}

function requestOptions(options: vscode.ProvideLanguageModelChatResponseOptions, signal: AbortSignal): ModelRequestOptions {
  const tools = (options.tools ?? []).map((t) => ({ name: t.name, description: t.description, ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}) }));
  if (tools.length === 0) return { signal, purpose: 'joiner' };
  return { signal, purpose: 'joiner', tools, toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto' };
}

function roleOf(role: vscode.LanguageModelChatMessageRole): ChatMessage['role'] {
  if (role === vscode.LanguageModelChatMessageRole.User) return 'user';
  if (role === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  return 'system'; // newer VS Code versions add a System role
}
