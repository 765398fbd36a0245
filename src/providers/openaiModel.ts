import type { OpenAI } from 'openai';
import type { CompletionUsage } from 'openai/resources/completions';
import { childController, raceAbort } from '../base/abortable';
import { CompilerError, abortError, throwIfAborted } from '../base/errors';
import { cutText } from '../shared/format';
import type { ChatMessage, ModelChunk, ModelClient, ModelRequestOptions } from '../shared/modelContract';
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
/** Reasoning a server streams apart from the answer is bounded too: this many characters per output token asked. */
const REASONING_CHARS_PER_TOKEN = 8;
const DEFAULT_REASONING_TOKENS = 16_384;

// OpenAI accepts at most 4 stop sequences; any further ones are applied here, on the streamed text.
const SERVER_STOP_LIMIT = 4;
const MODEL_LIST_TIMEOUT_MS = 5_000;

export interface OpenAIModelOptions extends OpenAIEndpointOptions {
  model: string;
  /**
   * Longest time without progress (text, tool calls, reasoning or the end) before the answer is abandoned as stalled;
   * chunks that carry nothing do not count. Default 60 000. Until the first progress the wait is at least
   * `timeoutMs`, since reading a long prompt can take a local model a while.
   */
  idleTimeoutMs?: number;
  /**
   * Whether the joiner's prompt is sent ahead, as far as it is known, to be read into the server's prompt cache
   * while the last tasks run: a request of one output token each time enough new results are in. `auto` (default):
   * for a server on this machine, which reads prompts slowly and costs nothing per token; a hosted API reads them
   * fast, so there it would only add calls.
   */
  readAhead?: ReadAheadChoice;
}

export const READ_AHEAD_CHOICES = ['auto', 'on', 'off'] as const;
export type ReadAheadChoice = (typeof READ_AHEAD_CHOICES)[number];

/** A `ModelClient` for any OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM, LM Studio, llama.cpp…). */
export function createOpenAIModel(options: OpenAIModelOptions): ModelClient {
  const client = createOpenAIClient(options);
  const warm = options.readAhead ?? 'auto';
  return {
    id: `openai:${options.model}`,
    readsAhead: warm === 'auto' ? isOnThisMachine(baseUrlOf(options)) : warm === 'on',
    stream: (messages, request) => streamChat(client, options, messages, request),
  };
}

/** A base URL whose host is this machine: `localhost` (and `*.localhost`), 127.0.0.0/8 or ::1. */
export function isOnThisMachine(baseURL: string): boolean {
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
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
        ? `The model server at ${baseURL} sent nothing new for ${idleMs / 1000} s in the middle of the answer; gave up.`
        : `The model server at ${baseURL} started the response but sent nothing for ${firstChunkMs / 1000} s; gave up.`,
    );

  const cutter = new StopSequenceCutter(request.stop);
  const serverStops = (request.stop ?? []).filter((s) => s.length > 0).slice(0, SERVER_STOP_LIMIT);
  const maxReasoningChars = (request.maxOutputTokens ?? DEFAULT_REASONING_TOKENS) * REASONING_CHARS_PER_TOKEN;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The client times out each attempt and retries; this bounds the wait for the response to start, retries included.
  let headersLate = false;
  // A margin past one attempt's timeout, so that a response arriving just in time (on a busy machine) is not cut.
  const headerTimer = setTimeout(() => {
    headersLate = true;
    controller.abort();
  }, timeoutMs + Math.min(timeoutMs, 1_000));
  const lateError = () =>
    new CompilerError('model-unreachable', `No answer from the model server at ${baseURL} within ${timeoutMs / 1000} s. Is it running and reachable?`);
  let streaming = false;
  let finished = false;
  let output = '';
  let reasoningChars = 0;
  const toolCalls = new ToolCallAssembler();
  let usage: CompletionUsage | undefined;
  try {
    const created = client.chat.completions
      .create(
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
      )
      .withResponse();
    // The client's backoff sleeps between retries do not watch the signal; the race does.
    const { data: stream, response } = await raceAbort(created, controller.signal);
    clearTimeout(headerTimer);
    streaming = true;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType && !/event-stream/i.test(contentType)) throw notAStream(baseURL, contentType);
    armIdle();
    for await (const raw of stream as AsyncIterable<unknown>) {
      const chunk = asChunk(raw, baseURL);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      const delta = choice?.delta;
      toolCalls.push(delta?.tool_calls);
      const text = delta?.content;
      const reasoning = reasoningOf(delta);
      reasoningChars += reasoning.length;
      const progress = !!text || !!reasoning || !!delta?.tool_calls?.length || !!choice?.finish_reason || !!chunk.usage;
      if (progress) sawChunk = true;
      const shown = text ? cutter.push(text) : '';
      if (shown) {
        output += shown;
        pauseIdle(); // the consumer's pace is not the server's silence
        yield { type: 'text', text: shown };
      }
      if (cutter.stopped || reasoningChars > maxReasoningChars) break;
      // Only progress re-arms the timer: a server sending empty chunks forever is as stalled as a silent one.
      if (progress || shown) armIdle();
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
    if (headersLate) throw lateError();
    if (error instanceof CompilerError) throw error;
    const serverModels = isNotFound(error) ? await modelsOrUndefined(options, signal) : undefined;
    if (signal.aborted) throw abortError(signal.reason);
    throw toModelError(error, failureContext(options, streaming, serverModels));
  } finally {
    clearTimeout(headerTimer);
    pauseIdle();
    dispose();
    if (!finished) controller.abort();
  }
}

type StreamChunk = Pick<OpenAI.Chat.Completions.ChatCompletionChunk, 'choices'> & { usage?: CompletionUsage | null };

/** A parsed stream event, checked to be a chat-completion chunk: servers send `null`, strings or other objects too. */
function asChunk(raw: unknown, baseURL: string): Partial<StreamChunk> {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const chunk = raw as Partial<StreamChunk>;
    if (Array.isArray(chunk.choices) || (typeof chunk.usage === 'object' && chunk.usage !== null)) return chunk;
  }
  throw new CompilerError(
    'model-error',
    `The model server at ${baseURL} sent a stream event that is not a chat-completion chunk: ${cutText(JSON.stringify(raw) ?? String(raw), 200)}`,
  );
}

function reasoningOf(delta: unknown): string {
  if (typeof delta !== 'object' || delta === null) return '';
  const d = delta as { reasoning_content?: unknown; reasoning?: unknown };
  const value = d.reasoning_content ?? d.reasoning;
  return typeof value === 'string' ? value : '';
}

function notAStream(baseURL: string, contentType: string): CompilerError {
  const type = contentType.split(';')[0]!.trim();
  const page = /html/i.test(type) ? 'a web page' : `${type} content`;
  return new CompilerError(
    'model-error',
    `The model server at ${baseURL} answered with ${page} instead of a stream of chat-completion chunks (text/event-stream). Is ${baseURL} an OpenAI-compatible API base URL (usually ending in /v1)?`,
  );
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
