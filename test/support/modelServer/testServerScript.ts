// What the OpenAI test server answers: scripted replies and faults, from a function, a queue, or a JSON script of
// rules (the form a separate server process reads from a file).

/** Time to first token = `ttftBaseMs + prefillMsPerToken * (prompt tokens not served from the prefix cache)`, then one token every `1000 / tokensPerSecond` ms. */
export interface LatencyModel {
  ttftBaseMs: number;
  prefillMsPerToken: number;
  /** 0 streams every token at once. */
  tokensPerSecond: number;
}

export const ZERO_LATENCY: LatencyModel = { ttftBaseMs: 0, prefillMsPerToken: 0, tokensPerSecond: 0 };

export interface TestChatMessage {
  role: string;
  content: string;
  /** A `tool` message: the call it answers. */
  toolCallId?: string;
  /** An assistant message's function calls, arguments as sent. */
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
}

/** A function offered in `tools`. */
export interface TestTool {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

/** `tool_choice`: `none`, `auto`, `required`, or one named function. */
export type TestToolChoice = 'none' | 'auto' | 'required' | { function: string };

/** A chat-completions request as the script sees it. */
export interface TestChatRequest {
  model: string;
  messages: TestChatMessage[];
  stop: string[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  /** The functions offered; empty when the request has no `tools`. */
  tools: TestTool[];
  /** As sent; the API's default is `auto` when tools are offered, `none` when not. */
  toolChoice?: TestToolChoice;
  /** `parallel_tool_calls`: true unless the request says false. With false a reply makes at most one call. */
  parallelToolCalls: boolean;
  /** The request body as received. */
  body: Record<string, unknown>;
}

export type Fault =
  /** 401 invalid_api_key. */
  | { fault: 'auth' }
  /** 404 model_not_found. */
  | { fault: 'model-not-found' }
  /** 429 with a `retry-after` header in seconds (fractions allowed). */
  | { fault: 'rate-limit'; retryAfter?: number }
  /** 500 (or `status`) server_error. */
  | { fault: 'server-error'; status?: number }
  /** 400 context_length_exceeded. */
  | { fault: 'context-too-long' }
  /** Any status with any OpenAI-shaped error body and headers. */
  | { fault: 'http'; status: number; error?: Record<string, unknown>; headers?: Record<string, string> }
  /** Headers and `afterChunks` chunks of `text` are sent, then nothing until the client or the server closes. */
  | { fault: 'stall'; text?: string; afterChunks?: number }
  /** The socket is destroyed after `afterChunks` chunks of `text`. */
  | { fault: 'cut'; text?: string; afterChunks?: number }
  /** After `afterChunks` chunks of `text`, a data line that is not JSON, then `[DONE]`. */
  | { fault: 'malformed'; text?: string; afterChunks?: number }
  /** After `afterChunks` chunks of `text`, an in-stream `{"error": ...}` event. */
  | { fault: 'stream-error'; text?: string; afterChunks?: number; message?: string }
  /** No response at all, not even headers. */
  | { fault: 'hang' }
  /** A plain web server's answer: an HTML page with `status` (404, 405, 501, …), as Python's http.server or nginx send. */
  | { fault: 'web-page'; status: number }
  /** 200 `text/event-stream` whose body is an HTML page, as a proxy's error page labelled wrongly. */
  | { fault: 'html-stream' }
  /** After `afterChunks` chunks of `text`, a chunk whose `delta.content` is `content` (a number, an object, …). */
  | { fault: 'wrong-content'; content: unknown; text?: string; afterChunks?: number };

export type FaultKind = Fault['fault'];

export interface ScriptedText {
  text: string;
  /** Overrides the server's latency model for this reply (e.g. a slow answer). */
  latency?: Partial<LatencyModel>;
  /**
   * Function calls streamed after the text, their arguments a token at a time; the reply then ends with `tool_calls`.
   * Only for requests that offer tools (and not `tool_choice: "none"`); with `parallel_tool_calls: false` only the
   * first is sent, as such a model makes one call a turn.
   */
  toolCalls?: ScriptedToolCall[];
}

export interface ScriptedToolCall {
  /** Left out of the stream when absent, as some servers do. */
  id?: string;
  name: string;
  /** The arguments exactly as streamed (normally JSON). */
  arguments: string;
}

export type Reply = string | ScriptedText | Fault;

export type ScriptFunction = (request: TestChatRequest, index: number) => Reply | Promise<Reply>;

/** Matches when every given substring is found; an array `reply` is used in order, its last entry repeating. */
export interface ScriptRule {
  /** Substring of the last user message. */
  lastUser?: string;
  /** Substring of the system prompt (all system messages). */
  system?: string;
  /** Substring of any message. */
  anyMessage?: string;
  /** Exact model name. */
  model?: string;
  reply: Reply | Reply[];
}

/** JSON form: the `replies` queue is used first, then the first matching rule, then `fallback`. */
export interface JsonScript {
  replies?: Reply[];
  rules?: ScriptRule[];
  fallback?: Reply;
}

export type Script = ScriptFunction | Reply[] | JsonScript;

/** Thrown by a compiled script when nothing answers a request; the server turns it into a 500 that is not retried. */
export class NoScriptedReplyError extends Error {
  override readonly name = 'NoScriptedReplyError';
}

export function isFault(reply: Reply): reply is Fault {
  return typeof reply === 'object' && 'fault' in reply;
}

export function compileScript(script: Script): ScriptFunction {
  if (typeof script === 'function') return script;
  const json: JsonScript = Array.isArray(script) ? { replies: script } : script;
  const queue = [...(json.replies ?? [])];
  const rules = (json.rules ?? []).map((rule) => ({ rule, used: 0 }));
  return (request) => {
    const next = queue.shift();
    if (next !== undefined) return next;
    for (const entry of rules) {
      if (!ruleMatches(entry.rule, request)) continue;
      const { reply } = entry.rule;
      if (!Array.isArray(reply)) return reply;
      const chosen = reply[Math.min(entry.used, reply.length - 1)];
      entry.used++;
      if (chosen !== undefined) return chosen;
    }
    if (json.fallback !== undefined) return json.fallback;
    throw new NoScriptedReplyError(`No scripted reply for request: ${lastUserText(request).slice(0, 200)}`);
  };
}

function ruleMatches(rule: ScriptRule, request: TestChatRequest): boolean {
  if (rule.model !== undefined && rule.model !== request.model) return false;
  if (rule.lastUser !== undefined && !lastUserText(request).includes(rule.lastUser)) return false;
  if (rule.system !== undefined) {
    const system = request.messages.filter((m) => m.role === 'system' || m.role === 'developer');
    if (!system.some((m) => m.content.includes(rule.system!))) return false;
  }
  if (rule.anyMessage !== undefined && !request.messages.some((m) => m.content.includes(rule.anyMessage!))) return false;
  return true;
}

function lastUserText(request: TestChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role === 'user') return message.content;
  }
  return '';
}
