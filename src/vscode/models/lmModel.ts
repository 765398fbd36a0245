import * as vscode from 'vscode';
import type { ModelClient } from '../../shared/types';
import { tokenFromSignal } from '../cancellation';
import { createLmChatClient } from './lmChatClient';
import type { LmApi } from './lmChatClient';

const VSCODE_LM_API: LmApi = {
  userMessage: (content) => vscode.LanguageModelChatMessage.User(content),
  assistantMessage: (content) => vscode.LanguageModelChatMessage.Assistant(content),
  textOf: (part) => (part instanceof vscode.LanguageModelTextPart ? part.value : undefined),
  errorCode: (error) => (error instanceof vscode.LanguageModelError ? error.code : undefined),
  tokenFromSignal,
};

/** A `ModelClient` over one of VS Code's language models (Copilot's, or any extension's provider). */
export function createVsCodeLmModel(chat: vscode.LanguageModelChat): ModelClient {
  return createLmChatClient(chat, VSCODE_LM_API);
}
