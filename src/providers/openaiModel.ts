import type { OpenAI } from 'openai';
import type { CompletionUsage } from 'openai/resources/completions';
import { childController, raceAbort } from '../base/abortable';
import { CompilerError, abortError, throwIfAborted } from '../base/errors';
import type { ChatMessage, ModelChunk, ModelClient, ModelRequestOptions } from '../shared/types';
import { listModels } from './listModels';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TIMEOUT_MS,
  baseUrlOf,
  createOpenAIClient,
} from './openaiClient';
import type { OpenAIEndpointOptions } from './openaiClient';
import { isNotFound, toModelError } from './openaiErrors';
import type { FailureContext } from './openaiErrors';
import { toOpenAIMessages, toOpenAITools } from './openaiMessages';
import { StopSequenceCutter } from './stopSequences';
import { countChatTokens, countTextTokens } from './tokenCount';
import { ToolCallAssembler } from './toolCallAssembler';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

// OpenAI accepts at most 4 stop sequences; any further ones are applied here, on the streamed text.
const SERVER_STOP_LIMIT = 4;
const MODEL_LIST_TIMEOUT_MS = 5_000;

export interface OpenAIModelOptions extends OpenAIEndpointOptions {
  model: string;
  /**
   * Longest silence between stream chunks before the answer is abandoned as stalled. Default 60 000. Until the first
   * chunk the wait is at least `timeoutMs`, since reading a long prompt can take a local model a while.
   */
  idleTimeoutMs?: number;
}

/** A `ModelClient` for any OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM, LM Studio, llama.cpp…). */
export function createOpenAIModel(options: OpenAIModelOptions): ModelClient {
  const client = createOpenAIClient(options);
  return {
    id: `openai:${options.model}`,
    stream: (messages, request) => streamChat(client, options, messages, request),
  };
}

async function* streamChat(
  client: OpenAI,
  options: OpenAIModelOptions,
  messages: ChatMessage[],
  request: ModelRequestOptions,
): AsyncGenerator<ModelChunk> {
  throwIfAborted(request.signal);
  const { signal } = request;
  const baseURL = baseUrlOf(options);
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const firstChunkMs = Math.max(idleMs, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // One controller for the HTTP request: the caller's signal and the idle timer both abort it, closing the socket.
  const { controller, dispose } = childController(signal);
  let idleFired = false;
  let sawChunk = false;
  let timer: NodeJS.Timeout | undefined;
  const pauseIdle = () => clearTimeout(timer);
  const armIdle = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        idleFired = true;
        controller.abort();
      },
      sawChunk ? idleMs : firstChunkMs,
    );
  };
  const idleError = () =>
    new CompilerError(
      'model-unreachable',
      sawChunk
        ? `The model server at ${baseURL} went silent for ${idleMs / 1000} s in the middle of the answer; gave up.`
        : `The model server at ${baseURL} started the response but sent nothing for ${firstChunkMs / 1000} s; gave up.`,
    );

  const cutter = new StopSequenceCutter(request.stop);
  const serverStops = (request.stop ?? []).filter((s) => s.length > 0).slice(0, SERVER_STOP_LIMIT);
  let streaming = false;
  let finished = false;
  let output = '';
  const toolCalls = new ToolCallAssembler();
  let usage: CompletionUsage | undefined;
  try {
    const created = client.chat.completions.create(
      {
        model: options.model,
        messages: toOpenAIMessages(messages),
        ...(request.tools?.length
          ? { tools: toOpenAITools(request.tools), tool_choice: request.toolMode === 'required' ? ('required' as const) : ('auto' as const) }
          : {}),
        stream: true,
        stream_options: { include_usage: true },
        ...(serverStops.length > 0 ? { stop: serverStops } : {}),
        ...(request.maxOutputTokens !== undefined ? { max_tokens: request.maxOutputTokens } : {}),
      },
      { signal: controller.signal },
    );
    // The client's backoff sleeps between retries do not watch the signal; the race does.
    const stream = await raceAbort(created, signal);
    streaming = true;
    armIdle();
    for await (const chunk of stream) {
      sawChunk = true;
      if (chunk.usage) usage = chunk.usage;
      toolCalls.push(chunk.choices[0]?.delta?.tool_calls);
      const text = chunk.choices[0]?.delta?.content;
      const shown = text ? cutter.push(text) : '';
      if (shown) {
        output += shown;
        pauseIdle(); // the consumer's pace is not the server's silence
        yield { type: 'text', text: shown };
      }
      if (cutter.stopped) break;
      armIdle();
    }
    pauseIdle();
    // The client ends the iteration quietly when its request is aborted; say why it ended.
    if (signal.aborted) throw abortError(signal.reason);
    if (idleFired) throw idleError();
    const rest = cutter.flush();
    if (rest) {
      output += rest;
      yield { type: 'text', text: rest };
    }
    for (const call of toolCalls.finish()) yield { type: 'tool-call', call };
    finished = true;
    yield {
      type: 'usage',
      usage: usage
        ? {
            inputTokens: usage.prompt_tokens,
            ...(usage.prompt_tokens_details?.cached_tokens !== undefined ? { cachedInputTokens: usage.prompt_tokens_details.cached_tokens } : {}),
            outputTokens: usage.completion_tokens,
            estimated: false,
          }
        : { inputTokens: countChatTokens(messages), outputTokens: countTextTokens(output), estimated: true },
    };
  } catch (error) {
    if (signal.aborted) throw abortError(signal.reason);
    if (idleFired) throw idleError();
    if (error instanceof CompilerError) throw error;
    const serverModels = isNotFound(error) ? await modelsOrUndefined(options, signal) : undefined;
    if (signal.aborted) throw abortError(signal.reason);
    throw toModelError(error, failureContext(options, streaming, serverModels));
  } finally {
    pauseIdle();
    dispose();
    if (!finished) controller.abort();
  }
}

function failureContext(options: OpenAIModelOptions, streaming: boolean, serverModels?: string[]): FailureContext {
  return {
    baseURL: baseUrlOf(options),
    model: options.model,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    streaming,
    ...(serverModels ? { serverModels } : {}),
  };
}

/** The server's models for a "model not found" message; undefined when they cannot be listed quickly. */
async function modelsOrUndefined(options: OpenAIModelOptions, signal: AbortSignal): Promise<string[] | undefined> {
  try {
    return await listModels({ ...options, maxRetries: 0, timeoutMs: MODEL_LIST_TIMEOUT_MS }, signal);
  } catch {
    return undefined;
  }
}
