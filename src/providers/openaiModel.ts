import type { OpenAI } from 'openai';
import type { CompletionUsage } from 'openai/resources/completions';
import { childController, raceAbort } from '../base/abortable';
import { CompilerError, ContextTooLongError, abortError, throwIfAborted } from '../base/errors';
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
import { ReplyText, ReplyWatchdog, replyFailure } from './replyStream';
import { ToolCallAssembler } from './toolCallAssembler';
import { PROCESS_CONTEXT_CACHE, contextKey, learnContext } from './modelContext';
import type { ContextCache } from './modelContext';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
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
  /** Where learned contexts are kept; by default the process's, so later questions do not ask the server again. */
  contextCache?: ContextCache;
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
    context: (signal) => learnContext(options, signal, options.contextCache),
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
  // One controller for the HTTP request: the caller's signal and the watchdog both abort it, closing the socket.
  const { controller, dispose } = childController(signal);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const watchdog = new ReplyWatchdog(controller, {
    // The client times out each attempt and retries; this bounds the wait for the response to start, retries
    // included, with a margin past one attempt's timeout so that a response arriving just in time is not cut.
    startMs: timeoutMs + Math.min(timeoutMs, 1_000),
    // Reading a long prompt can take a local model a while before its first token.
    firstProgressMs: Math.max(idleMs, timeoutMs),
    idleMs,
  });
  const reply = new ReplyText(request);
  const serverStops = (request.stop ?? []).filter((s) => s.length > 0).slice(0, SERVER_STOP_LIMIT);
  let streaming = false;
  let finished = false;
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
    streaming = true;
    watchdog.started();
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType && !/event-stream/i.test(contentType)) throw notAStream(baseURL, contentType);
    for await (const raw of stream as AsyncIterable<unknown>) {
      const chunk = asChunk(raw, baseURL);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      const delta = checkedDelta(choice?.delta, baseURL);
      toolCalls.push(delta?.tool_calls ?? undefined);
      const text = delta?.content;
      const reasoning = reasoningOf(delta);
      reply.reason(reasoning);
      const shown = text ? reply.push(text) : '';
      if (shown) {
        watchdog.pause();
        yield { type: 'text', text: shown };
      }
      if (reply.done) break;
      // Only progress re-arms the watchdog: a server sending empty chunks forever is as stalled as a silent one.
      if (text || reasoning || delta?.tool_calls?.length || choice?.finish_reason || chunk.usage) watchdog.progress();
    }
    watchdog.pause();
    // The client ends the iteration quietly when its request is aborted; say why it ended.
    if (signal.aborted) throw abortError(signal.reason);
    if (watchdog.fired) throw watchdogError(watchdog, baseURL, timeoutMs, idleMs);
    const rest = reply.flush();
    if (rest) yield { type: 'text', text: rest };
    for (const call of toolCalls.finish()) {
      reply.call(call);
      yield { type: 'tool-call', call };
    }
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
        : reply.estimatedUsage(messages),
    };
  } catch (error) {
    if (!signal.aborted && watchdog.fired) throw watchdogError(watchdog, baseURL, timeoutMs, idleMs);
    const serverModels = !signal.aborted && isNotFound(error) ? await modelsOrUndefined(options, signal) : undefined;
    const failure = replyFailure(error, signal, (e) => toModelError(e, failureContext(options, streaming, serverModels)));
    // A server that refuses a request as too long for the context says how large the context is: later requests
    // are fitted to that.
    const told = failure instanceof ContextTooLongError ? failure.figures.contextTokens : undefined;
    if (told !== undefined) (options.contextCache ?? PROCESS_CONTEXT_CACHE).lower(contextKey(options), told);
    throw failure;
  } finally {
    watchdog.dispose();
    dispose();
    if (!finished) controller.abort();
  }
}

/** What the watchdog saw, in the words of a server that did not start, or stopped, answering. */
function watchdogError(watchdog: ReplyWatchdog, baseURL: string, timeoutMs: number, idleMs: number): CompilerError {
  if (watchdog.fired === 'late') {
    return new CompilerError('model-unreachable', `No answer from the model server at ${baseURL} within ${timeoutMs / 1000} s. Is it running and reachable?`);
  }
  return new CompilerError(
    'model-unreachable',
    watchdog.sawProgress
      ? `The model server at ${baseURL} sent nothing new for ${idleMs / 1000} s in the middle of the answer; gave up.`
      : `The model server at ${baseURL} started the response but sent nothing for ${Math.max(idleMs, timeoutMs) / 1000} s; gave up.`,
  );
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

type Delta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta;

/** A chunk's delta with its text and tool calls of the types the API gives them; a server may send anything. */
function checkedDelta(raw: unknown, baseURL: string): Delta | undefined {
  if (raw === undefined || raw === null) return undefined;
  const wrong = (field: string, value: unknown, wanted: string) =>
    new CompilerError(
      'model-error',
      `The model server at ${baseURL} sent a chat-completion chunk whose ${field} is ${kindOf(value)} (${cutText(JSON.stringify(value) ?? String(value), 80)}), not ${wanted}.`,
    );
  if (typeof raw !== 'object' || Array.isArray(raw)) throw wrong('delta', raw, 'an object');
  const delta = raw as Record<string, unknown>;
  if (delta.content !== undefined && delta.content !== null && typeof delta.content !== 'string') throw wrong('delta.content', delta.content, 'text');
  const calls = delta.tool_calls;
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls)) throw wrong('delta.tool_calls', calls, 'a list');
    for (const call of calls as unknown[]) {
      const c = call as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
      if (typeof c !== 'object' || c === null || typeof c.index !== 'number') throw wrong('tool call', call, 'an object with a numeric index');
      if (c.id !== undefined && c.id !== null && typeof c.id !== 'string') throw wrong("tool call's id", c.id, 'text');
      const fn = c.function;
      if (fn !== undefined && (typeof fn !== 'object' || fn === null)) throw wrong('tool call\'s function', fn, 'an object');
      for (const key of ['name', 'arguments'] as const) {
        const value = fn?.[key];
        if (value !== undefined && value !== null && typeof value !== 'string') throw wrong(`tool call's function.${key}`, value, 'text');
      }
    }
  }
  return delta as Delta;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
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
    keySent: Boolean(options.apiKey),
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
