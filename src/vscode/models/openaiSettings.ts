import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from '../../providers/openaiClient';
import type { OpenAIModelOptions } from '../../providers/openaiModel';

/** The `llmCompiler.openai.*` settings. The API key is not among them: it lives in SecretStorage only. */
export interface OpenAISettings {
  baseUrl: string;
  /** Empty when not configured. */
  model: string;
  plannerModel: string;
  joinerModel: string;
  requestTimeoutMs: number;
}

export function readOpenAISettings(): OpenAISettings {
  const config = vscode.workspace.getConfiguration('llmCompiler.openai');
  return {
    baseUrl: config.get<string>('baseUrl')?.trim() || DEFAULT_BASE_URL,
    model: config.get<string>('model')?.trim() ?? '',
    plannerModel: config.get<string>('plannerModel')?.trim() ?? '',
    joinerModel: config.get<string>('joinerModel')?.trim() ?? '',
    requestTimeoutMs: config.get<number>('requestTimeoutMs') || DEFAULT_TIMEOUT_MS,
  };
}

/** The configured models, planner first, without duplicates or blanks. */
export function configuredModels(settings: OpenAISettings): string[] {
  const planner = settings.plannerModel || settings.model;
  const joiner = settings.joinerModel || settings.model;
  return [...new Set([planner, joiner, settings.model].filter((m) => m.length > 0))];
}

export function openAIModelOptions(settings: OpenAISettings, model: string, apiKey: string | undefined): OpenAIModelOptions {
  return { baseURL: settings.baseUrl, model, timeoutMs: settings.requestTimeoutMs, ...(apiKey ? { apiKey } : {}) };
}
