import type { OpenAIModelOptions } from '../../providers/openaiModel';
import type { OpenAISettings } from '../settings';

/** The configured models, planner first, without duplicates or blanks. */
export function configuredModels(settings: OpenAISettings): string[] {
  const planner = settings.plannerModel || settings.model;
  const joiner = settings.joinerModel || settings.model;
  return [...new Set([planner, joiner, settings.model].filter((m) => m.length > 0))];
}

export function openAIModelOptions(settings: OpenAISettings, model: string, apiKey: string | undefined): OpenAIModelOptions {
  return { baseURL: settings.baseUrl, model, timeoutMs: settings.requestTimeoutMs, readAhead: settings.readAhead, ...(apiKey ? { apiKey } : {}) };
}
