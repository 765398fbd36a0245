import * as vscode from 'vscode';
import type { JsonObject } from '../../shared/json';
import type { ModelClient } from '../../shared/modelContract';
import { tokenFromSignal } from '../cancellation';
import { createLmChatClient } from './lmChatClient';
import type { LmApi } from './lmChatClient';

const VSCODE_LM_API: LmApi = {
  userMessage: (content, toolResults = []) =>
    toolResults.length === 0
      ? vscode.LanguageModelChatMessage.User(content)
      : vscode.LanguageModelChatMessage.User([
          ...toolResults.map((r) => new vscode.LanguageModelToolResultPart(r.callId, [new vscode.LanguageModelTextPart(r.content)])),
          ...(content ? [new vscode.LanguageModelTextPart(content)] : []),
        ]),
  assistantMessage: (content, toolCalls = []) =>
    toolCalls.length === 0
      ? vscode.LanguageModelChatMessage.Assistant(content)
      : vscode.LanguageModelChatMessage.Assistant([
          ...(content ? [new vscode.LanguageModelTextPart(content)] : []),
          ...toolCalls.map((c) => new vscode.LanguageModelToolCallPart(c.id, c.name, c.input)),
        ]),
  textOf: (part) => (part instanceof vscode.LanguageModelTextPart ? part.value : undefined),
  toolCallOf: (part) =>
    part instanceof vscode.LanguageModelToolCallPart ? { id: part.callId, name: part.name, input: part.input as JsonObject } : undefined,
  toolMode: (required) => (required ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto),
  errorCode: (error) => (error instanceof vscode.LanguageModelError ? error.code : undefined),
  tokenFromSignal,
};

/** A `ModelClient` over one of VS Code's language models (Copilot's, or any extension's provider). */
export function createVsCodeLmModel(chat: vscode.LanguageModelChat): ModelClient {
  return createLmChatClient(chat, VSCODE_LM_API);
}
