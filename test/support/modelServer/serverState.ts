// What the loopback model server is set up with and what it has seen: its options, the requests it recorded, and
// the script, latency, prefix cache and slots every route reads.
import { EventEmitter } from 'node:events';
import { PrefixCache } from './serving/prefixCache';
import type { PrefixCacheOptions } from './serving/prefixCache';
import type { ChatTemplate } from './serving/promptTokens';
import { Slots } from './serving/slots';
import { ZERO_LATENCY, compileScript } from './testServerScript';
import type { FaultKind, LatencyModel, Script, ScriptFunction, ScriptedToolCall, TestChatRequest } from './testServerScript';
import type { Schedule } from './testServerReply';
import type { ServerContext } from './context/contextWindow';

export interface OpenAITestServerOptions {
  /** What to answer; by default every request fails with "no scripted reply". */
  script?: Script;
  /** Default: no latency at all. */
  latency?: Partial<LatencyModel>;
  /** Reuse of prompt prefixes, as model servers do; usage then reports `prompt_tokens_details.cached_tokens`. Default: off. */
  prefixCache?: PrefixCacheOptions;
  /** How the model reads a request, and so what its prompt tokens are (see promptTokens.ts). Default `openai`. */
  chatTemplate?: ChatTemplate;
  /** False: never send usage, even when `stream_options.include_usage` asks (like some local servers). Default true. */
  reportUsage?: boolean;
  /** Served by `GET /v1/models`; when given, chat requests for other models get 404 model_not_found. */
  models?: string[];
  /** When given, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /**
   * Chat-completions requests processed at once, as a model server's slots: a request that arrives while all are
   * busy waits, first come first served, until one is free. Default: unlimited.
   */
  slots?: number;
  /**
   * The model's context window as one kind of server keeps it: its metadata endpoints report it, and a request
   * longer than it is refused (or, by Ollama, cut) as that server does. Default: none, and no metadata.
   */
  context?: ServerContext;
  /** Default 0: a free port. */
  port?: number;
}

/** How a response ended: sent in full, the client closed the connection, the server cut it, or `close()` did. */
export type RequestEnd = 'completed' | 'client-closed' | 'server-cut' | 'server-closed';

export interface RecordedRequest {
  /** Order of arrival among all requests. */
  index: number;
  method: string;
  path: string;
  /** Milliseconds since the server started. */
  at: number;
  /** Chat-completions requests only: when a slot took it up (milliseconds since the server started). */
  admittedAt?: number;
  authorization?: string;
  /** Chat-completions requests only: the parsed request and its order among them. */
  chat?: TestChatRequest;
  chatIndex?: number;
  /** The text sent (after stop sequences and max tokens) and the function calls, or the fault. */
  reply?: { text: string; toolCalls?: ScriptedToolCall[] } | { fault: FaultKind };
  status?: number;
  schedule?: Schedule;
  end?: RequestEnd;
  /** Chat requests against a context window: the prompt as the server counted it, and the messages Ollama dropped. */
  context?: { promptTokens: number; dropped?: number; refused?: boolean };
}

export type ServerEvents = { request: [RecordedRequest]; admit: [RecordedRequest]; end: [RecordedRequest] };

export interface ServerState {
  readonly options: OpenAITestServerOptions;
  /** `performance.now()` when the server started: recorded times count from it. */
  readonly started: number;
  readonly requests: RecordedRequest[];
  readonly events: EventEmitter<ServerEvents>;
  /** Served by `GET /v1/models`. */
  readonly models: string[];
  readonly reportUsage: boolean;
  readonly slots: Slots;
  latency: LatencyModel;
  cache: PrefixCache | undefined;
  chatTemplate: ChatTemplate;
  context: ServerContext | undefined;
  script: ScriptFunction;
  /** Chat-completions requests so far. */
  chatCount: number;
  /** Set by `close()`: responses cut from then on end as `server-closed`. */
  closing: boolean;
}

export function createServerState(options: OpenAITestServerOptions): ServerState {
  return {
    options,
    started: performance.now(),
    requests: [],
    events: new EventEmitter<ServerEvents>(),
    models: options.models ?? ['test-model'],
    reportUsage: options.reportUsage ?? true,
    slots: new Slots(options.slots),
    latency: { ...ZERO_LATENCY, ...options.latency },
    cache: options.prefixCache ? new PrefixCache(options.prefixCache) : undefined,
    chatTemplate: options.chatTemplate ?? 'openai',
    context: options.context,
    script: compileScript(options.script ?? []),
    chatCount: 0,
    closing: false,
  };
}

/** Milliseconds since the server started. */
export function sinceStart(state: ServerState): number {
  return performance.now() - state.started;
}
