import { raceAbort } from '../base/abortable';
import { CompilerError, abortError, throwIfAborted } from '../base/errors';
import { DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_TIMEOUT_MS, baseUrlOf, createOpenAIClient } from './openaiClient';
import type { OpenAIEndpointOptions } from './openaiClient';
import { isNotFound, toModelError } from './openaiErrors';

/** The model ids an OpenAI-compatible server offers (`GET /models`), sorted. */
export async function listModels(options: OpenAIEndpointOptions, signal: AbortSignal): Promise<string[]> {
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
    if (isNotFound(error)) {
      throw new CompilerError(
        'model-unreachable',
        `${baseURL}/models does not exist (404): is ${baseURL} an OpenAI-compatible API base URL (usually ending in /v1)?`,
        { cause: error },
      );
    }
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
