import { raceAbort } from '../base/abortable';
import { CompilerError, abortError, throwIfAborted } from '../base/errors';
import { DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_TIMEOUT_MS, baseUrlOf, createOpenAIClient } from './openaiClient';
import type { OpenAIEndpointOptions } from './openaiClient';
import { ENDPOINT_HINT, isNotFound, toModelError } from './openaiErrors';

/** The model ids an OpenAI-compatible server offers (`GET /models`), sorted. */
export async function listModels(options: OpenAIEndpointOptions, signal: AbortSignal): Promise<string[]> {
  const ids = await serverModelIds(options, signal);
  if (ids !== 'no-list') return ids;
  const baseURL = baseUrlOf(options);
  throw new CompilerError(
    'model-unreachable',
    `${baseURL}/models does not exist (404): is ${baseURL} an OpenAI-compatible API base URL (usually ending in /v1)?`,
  );
}

/** Names of models that do not chat: embeddings, rerankers, speech, images, moderation, legacy completions. */
const NOT_CHAT = /embed|rerank|whisper|tts|transcribe|dall-e|gpt-image|moderation|^babbage|^davinci/i;

/** A model picked from a server's list, and what it was picked from. */
export interface ModelPick {
  model: string;
  /** Every model the server lists, sorted. */
  listed: string[];
  /** Those left out because their names say they do not chat. */
  notChat: string[];
}

/**
 * The model to ask when none is named: the first the server lists by name, as the extension's model list shows them
 * first, leaving out models whose names say they do not chat (`nomic-embed-text`, `whisper-1`). Fails as `no-model`
 * when the server has no model list or none that chats.
 */
export async function pickChatModel(options: OpenAIEndpointOptions, signal: AbortSignal): Promise<ModelPick> {
  const listed = await serverModelIds(options, signal);
  const baseURL = baseUrlOf(options);
  if (listed === 'no-list') {
    throw new CompilerError('no-model', `The model server at ${baseURL} has no model list to pick a model from (GET ${baseURL}/models answered 404). ${ENDPOINT_HINT}`);
  }
  if (listed.length === 0) {
    throw new CompilerError('no-model', `The model server at ${baseURL} lists no models (for Ollama, \`ollama pull <model>\` first).`);
  }
  const notChat = listed.filter((id) => NOT_CHAT.test(id));
  const model = listed.find((id) => !NOT_CHAT.test(id));
  if (model === undefined) {
    throw new CompilerError('no-model', `The model server at ${baseURL} lists only models that do not chat: ${listed.join(', ')}.`);
  }
  return { model, listed, notChat };
}

/** The server's model ids, sorted; `no-list` when it has no `/models` (404). */
async function serverModelIds(options: OpenAIEndpointOptions, signal: AbortSignal): Promise<string[] | 'no-list'> {
  throwIfAborted(signal);
  const client = createOpenAIClient(options);
  const baseURL = baseUrlOf(options);
  const collect = async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ signal })) ids.push(model.id);
    return ids.sort();
  };
  try {
    // The client's backoff sleeps do not watch the signal; the race does.
    return await raceAbort(collect(), signal);
  } catch (error) {
    if (signal.aborted) throw abortError(signal.reason);
    if (isNotFound(error)) return 'no-list';
    throw toModelError(error, {
      baseURL,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
      streaming: false,
      keySent: Boolean(options.apiKey),
    });
  }
}
