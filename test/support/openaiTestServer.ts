// A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests, the benchmark and demos: scripted replies,
// a latency model (time to first token grows with the prompt past its cached prefix, then a fixed token rate), an
// optional prompt-prefix cache, and scripted faults.
// Also a standalone process: `npx tsx test/support/openaiTestServer.ts --port N --script file.json` prints its URL.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PrefixCache } from './prefixCache';
import type { PrefixCacheOptions } from './prefixCache';
import { promptTokenIds, replyTokenIds } from './promptTokens';
import { computeSchedule, shapeReply, shapeToolCalls } from './testServerReply';
import type { Schedule, ShapedReply, ShapedToolCalls } from './testServerReply';
import { NoScriptedReplyError, ZERO_LATENCY, compileScript, isFault } from './testServerScript';
import type {
  Fault,
  FaultKind,
  JsonScript,
  LatencyModel,
  Reply,
  Script,
  ScriptFunction,
  ScriptedToolCall,
  TestChatMessage,
  TestChatRequest,
  TestTool,
  TestToolChoice,
} from './testServerScript';

export interface OpenAITestServerOptions {
  /** What to answer; by default every request fails with "no scripted reply". */
  script?: Script;
  /** Default: no latency at all. */
  latency?: Partial<LatencyModel>;
  /** Reuse of prompt prefixes, as model servers do; usage then reports `prompt_tokens_details.cached_tokens`. Default: off. */
  prefixCache?: PrefixCacheOptions;
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
}

export interface OpenAITestServer {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Emits `request` when a request arrives, `admit` when a slot takes up a chat request and `end` when its response ends. */
  readonly events: EventEmitter<ServerEvents>;
  setScript(script: Script): void;
  setLatency(latency: Partial<LatencyModel>): void;
  /** Replaces the prefix cache with an empty one (undefined: no caching). */
  setPrefixCache(options: PrefixCacheOptions | undefined): void;
  /** Chat requests processed at once from now on (undefined: unlimited); requests already admitted keep their slots. */
  setSlots(slots: number | undefined): void;
  /** Resolves once `predicate(requests)` holds, checked now and after every request, admission and response end. */
  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean): Promise<void>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

type ServerEvents = { request: [RecordedRequest]; admit: [RecordedRequest]; end: [RecordedRequest] };

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

export async function startOpenAITestServer(options: OpenAITestServerOptions = {}): Promise<OpenAITestServer> {
  const started = performance.now();
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter<ServerEvents>();
  const sockets = new Set<Socket>();
  const models = options.models ?? ['test-model'];
  const reportUsage = options.reportUsage ?? true;
  let latency: LatencyModel = { ...ZERO_LATENCY, ...options.latency };
  let cache = options.prefixCache ? new PrefixCache(options.prefixCache) : undefined;
  let script: ScriptFunction = compileScript(options.script ?? []);
  let chatCount = 0;
  let closing = false;
  let slots = checkSlots(options.slots);
  let busySlots = 0;
  // Requests waiting for a slot, first come first served.
  const waiting: Array<{ res: ServerResponse; start: () => void }> = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: String(error), type: 'server_error' });
      else res.destroy();
    });
  });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one at that moment gets ECONNRESET. Hosted APIs
  // keep connections far longer, so the client's own idle timeout ends them first, as it would there.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname.startsWith('/_test/')) return control(url.pathname, req.method ?? 'GET', body, res);

    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path: url.pathname,
      at: performance.now() - started,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    res.on('close', () => {
      record.status = res.statusCode;
      record.end ??= closing ? 'server-closed' : res.writableFinished ? 'completed' : 'client-closed';
      events.emit('end', record);
    });
    events.emit('request', record);

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, {
        message: 'Incorrect API key provided.',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return chat(record, body, res);
    sendError(res, 404, {
      message: `Unknown request URL: ${req.method} ${url.pathname}`,
      type: 'invalid_request_error',
      code: 'unknown_url',
    });
  }

  async function chat(record: RecordedRequest, body: string, res: ServerResponse): Promise<void> {
    const request = parseChatRequest(body);
    if (typeof request === 'string') {
      return sendError(res, 400, { message: request, type: 'invalid_request_error' });
    }
    record.chat = request;
    record.chatIndex = chatCount++;
    if (options.models !== undefined && !models.includes(request.model)) return fault(record, { fault: 'model-not-found' }, res);
    // What the model answers and how long it takes is decided once a slot takes the request up.
    if (!(await admit(record, res))) return;
    let reply: Reply;
    try {
      reply = await script(request, record.chatIndex);
    } catch (error) {
      if (!(error instanceof NoScriptedReplyError)) throw error;
      return sendError(res, 500, { message: error.message, type: 'server_error' }, { 'x-should-retry': 'false' });
    }
    if (isFault(reply)) return fault(record, reply, res);
    const scripted = typeof reply === 'string' ? { text: reply } : reply;
    let calls = scripted.toolCalls ?? [];
    if (calls.length > 0 && (request.tools.length === 0 || request.toolChoice === 'none')) {
      const why = request.tools.length === 0 ? 'the request offers no tools' : 'the request says tool_choice "none"';
      return sendError(res, 500, { message: `The scripted reply calls tools, but ${why}.`, type: 'server_error' }, { 'x-should-retry': 'false' });
    }
    // A model told not to call in parallel makes one call a turn.
    if (!request.parallelToolCalls) calls = calls.slice(0, 1);
    const shaped = shapeReply(scripted.text, request.stop, request.maxTokens);
    const tools = shapeToolCalls(calls);
    record.reply = { text: shaped.text, ...(calls.length ? { toolCalls: calls } : {}) };
    const prompt = promptTokenIds(request.body);
    // The cache this request was read against; a replacement made meanwhile starts empty of it.
    const readCache = cache;
    record.schedule = computeSchedule(
      { tokens: prompt.length, cached: readCache?.lookup(prompt) ?? 0 },
      { ...shaped, completionTokens: shaped.completionTokens + tools.tokens },
      { ...latency, ...scripted.latency },
    );
    const usage = usageOf(record.schedule, readCache !== undefined);
    const done = () => readCache?.store(prompt, replyTokenIds(shaped.text, calls));
    if (!request.stream) {
      const t0 = performance.now();
      if (!(await prefill(res, record.schedule, readCache, prompt))) return;
      return completeJson(record, shaped, tools, res, usage, t0).then((sent) => {
        if (sent) done();
      });
    }
    const writer = startStream(record, res);
    if (!(await prefill(res, record.schedule, readCache, prompt))) return;
    const open = await writer.pieces(shaped.pieces, record.schedule);
    if (!open) return;
    if (calls.length) {
      if (!(await writer.toolCalls(tools, record.schedule))) return;
      await writer.finish('tool_calls', usage);
    } else {
      await writer.finish(shaped.finishReason, usage);
    }
    done();
  }

  async function fault(record: RecordedRequest, f: Fault, res: ServerResponse): Promise<void> {
    record.reply = { fault: f.fault };
    const model = record.chat?.model ?? '';
    switch (f.fault) {
      case 'auth':
        return sendError(res, 401, {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        });
      case 'model-not-found':
        return sendError(res, 404, {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        });
      case 'rate-limit':
        return sendError(
          res,
          429,
          { message: 'Rate limit reached for requests.', type: 'requests', code: 'rate_limit_exceeded' },
          { 'retry-after': String(f.retryAfter ?? 1) },
        );
      case 'server-error':
        return sendError(res, f.status ?? 500, {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
        });
      case 'context-too-long':
        return sendError(res, 400, {
          message: "This model's maximum context length is 8192 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        });
      case 'http':
        return sendError(res, f.status, f.error ?? { message: `Scripted status ${f.status}`, type: 'server_error' }, f.headers);
      case 'hang':
        return untilClosed(res);
      case 'stall':
      case 'cut':
      case 'malformed':
      case 'stream-error': {
        const request = record.chat!;
        const shaped = shapeReply(f.text ?? 'Partial answer that never finishes', request.stop, request.maxTokens);
        const pieces = shaped.pieces.slice(0, f.afterChunks ?? 2);
        const prompt = promptTokenIds(request.body);
        const readCache = cache;
        record.schedule = computeSchedule({ tokens: prompt.length, cached: readCache?.lookup(prompt) ?? 0 }, shaped, latency);
        const writer = startStream(record, res);
        if (!(await prefill(res, record.schedule, readCache, prompt))) return;
        await writer.pieces(pieces, record.schedule);
        if (f.fault === 'stall') return untilClosed(res);
        if (f.fault === 'cut') {
          record.end = 'server-cut';
          res.socket?.destroy();
          return;
        }
        if (f.fault === 'malformed') await write(res, 'data: {"id": "chatcmpl-broken", "choices": [\n\n');
        else await write(res, `data: ${JSON.stringify({ error: { message: f.message ?? 'The model crashed.', type: 'server_error' } })}\n\n`);
        await write(res, 'data: [DONE]\n\n');
        res.end();
        return;
      }
    }
  }

  /**
   * Holds a slot from its admission until the response ends, however it ends; false when the client closed while the
   * request waited, which then leaves the queue without ever taking a slot.
   */
  function admit(record: RecordedRequest, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      const entry = {
        res,
        start: () => {
          res.off('close', leave);
          busySlots++;
          record.admittedAt = performance.now() - started;
          res.once('close', () => {
            busySlots--;
            admitWaiting();
          });
          events.emit('admit', record);
          resolve(true);
        },
      };
      const leave = () => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        resolve(false);
      };
      res.once('close', leave);
      waiting.push(entry);
      admitWaiting();
    });
  }

  function admitWaiting(): void {
    while (waiting.length > 0 && (slots === undefined || busySlots < slots)) {
      const next = waiting.shift()!;
      // Closed, its 'close' not yet emitted: it leaves the queue then.
      if (!next.res.destroyed) next.start();
    }
  }

  /**
   * Waits out the prompt's prefill, then keeps the prompt in `readCache`: its blocks are reusable from then on, before
   * the reply is done, and never before they have been read. False when the connection closed first.
   */
  async function prefill(res: ServerResponse, schedule: Schedule, readCache: PrefixCache | undefined, prompt: readonly number[]): Promise<boolean> {
    if (!(await waitMs(res, schedule.ttftMs))) return false;
    readCache?.store(prompt);
    return true;
  }

  /** Sends the completion when its last token is due, counted from `t0`; false when the connection closed first. */
  function completeJson(
    record: RecordedRequest,
    shaped: ShapedReply,
    tools: ShapedToolCalls,
    res: ServerResponse,
    usage: Usage,
    t0: number,
  ): Promise<boolean> {
    const schedule = record.schedule!;
    const due = schedule.ttftMs + schedule.tokenIntervalMs * schedule.completionTokens - (performance.now() - t0);
    const calls = tools.calls.map(({ call }, index) => ({
      id: call.id ?? `call_${record.index}_${index}`,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
    return waitMs(res, due).then((open) => {
      if (!open) return false;
      sendJson(res, 200, {
        id: `chatcmpl-${record.index}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: record.chat!.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: calls.length && !shaped.text ? null : shaped.text,
              refusal: null,
              ...(calls.length ? { tool_calls: calls } : {}),
            },
            logprobs: null,
            finish_reason: calls.length ? 'tool_calls' : shaped.finishReason,
          },
        ],
        ...(reportUsage ? { usage } : {}),
      });
      return true;
    });
  }

  function startStream(record: RecordedRequest, res: ServerResponse) {
    const request = record.chat!;
    const base = { id: `chatcmpl-${record.index}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model };
    const withUsage = request.includeUsage && reportUsage;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(withUsage ? { usage: null } : {}),
      })}\n\n`;
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    const t0 = performance.now();
    let sent = 0;
    return {
      /** Sends each piece when it is due; false when the connection closed first. */
      async pieces(pieces: readonly string[], schedule: Schedule): Promise<boolean> {
        for (const piece of pieces) {
          const due = schedule.ttftMs + schedule.tokenIntervalMs * sent;
          if (!(await waitMs(res, due - (performance.now() - t0)))) return false;
          await write(res, chunk(sent === 0 ? { role: 'assistant', content: piece } : { content: piece }, null));
          sent++;
        }
        if (sent === 0 && !(await waitMs(res, schedule.ttftMs - (performance.now() - t0)))) return false;
        return true;
      },
      /**
       * Each call as OpenAI streams it, on the reply's token clock: a piece with its index, id, type and name and
       * empty arguments, then the arguments a token at a time. False when the connection closed first.
       */
      async toolCalls(shaped: ShapedToolCalls, schedule: Schedule): Promise<boolean> {
        const due = async () => {
          const ok = await waitMs(res, schedule.ttftMs + schedule.tokenIntervalMs * sent - (performance.now() - t0));
          sent++;
          return ok;
        };
        for (const [index, { call, fragments }] of shaped.calls.entries()) {
          const head = { index, ...(call.id ? { id: call.id } : {}), type: 'function', function: { name: call.name, arguments: '' } };
          const first = sent === 0;
          if (!(await due())) return false;
          await write(res, chunk({ ...(first ? { role: 'assistant', content: null } : {}), tool_calls: [head] }, null));
          for (const fragment of fragments) {
            if (!(await due())) return false;
            await write(res, chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }, null));
          }
        }
        return true;
      },
      async finish(finishReason: string, usage: Usage): Promise<void> {
        if (res.destroyed) return;
        await write(res, chunk(sent === 0 ? { role: 'assistant', content: '' } : {}, finishReason));
        if (withUsage) await write(res, `data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
        await write(res, 'data: [DONE]\n\n');
        res.end();
      },
    };
  }

  function control(path: string, method: string, body: string, res: ServerResponse): void {
    if (method === 'GET' && path === '/_test/requests') return sendJson(res, 200, requests);
    if (method === 'POST' && path === '/_test/script') {
      script = compileScript(JSON.parse(body) as Script);
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === '/_test/reset') {
      requests.length = 0;
      chatCount = 0;
      return sendJson(res, 200, { ok: true });
    }
    sendError(res, 404, { message: `Unknown control URL: ${method} ${path}`, type: 'invalid_request_error' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    events,
    setScript(next) {
      script = compileScript(next);
    },
    setLatency(next) {
      latency = { ...ZERO_LATENCY, ...next };
    },
    setPrefixCache(next) {
      cache = next ? new PrefixCache(next) : undefined;
    },
    setSlots(next) {
      slots = checkSlots(next);
      admitWaiting();
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = () => {
          if (!predicate(requests)) return;
          events.off('request', check);
          events.off('admit', check);
          events.off('end', check);
          resolve();
        };
        events.on('request', check);
        events.on('admit', check);
        events.on('end', check);
        check();
      });
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

type Usage = ReturnType<typeof usageOf>;

function checkSlots(slots: number | undefined): number | undefined {
  if (slots !== undefined && !(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`slots must be a whole number of at least 1, not ${slots}`);
  return slots;
}

/** Usage as OpenAI reports it; `prompt_tokens_details` only from a server that caches prefixes. */
function usageOf(schedule: Schedule, caching: boolean) {
  return {
    prompt_tokens: schedule.promptTokens,
    completion_tokens: schedule.completionTokens,
    total_tokens: schedule.promptTokens + schedule.completionTokens,
    ...(caching ? { prompt_tokens_details: { cached_tokens: schedule.cachedTokens } } : {}),
  };
}

/** The request as the script sees it, or a message saying why it is not a valid chat-completions request. */
function parseChatRequest(body: string): TestChatRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'The request body must be a JSON object.';
  const b = parsed as Record<string, unknown>;
  if (typeof b.model !== 'string') return "Missing required parameter: 'model'.";
  if (!Array.isArray(b.messages)) return "Missing required parameter: 'messages'.";
  const messages: TestChatMessage[] = (b.messages as Array<Record<string, unknown>>).map((m) => ({
    role: String(m.role),
    content: textOf(m.content),
    ...(typeof m.tool_call_id === 'string' ? { toolCallId: m.tool_call_id } : {}),
    ...(Array.isArray(m.tool_calls) ? { toolCalls: (m.tool_calls as Array<Record<string, unknown>>).map(callOf) } : {}),
  }));
  const tools = toolsOf(b);
  if (typeof tools === 'string') return tools;
  const toolChoice = toolChoiceOf(b.tool_choice);
  if (b.tool_choice !== undefined && toolChoice === undefined) return "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.";
  if (tools.length === 0 && toolChoice !== undefined) {
    return "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.";
  }
  if (b.parallel_tool_calls !== undefined && tools.length === 0) {
    return "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.";
  }
  const sequence = toolMessageProblem(messages);
  if (sequence) return sequence;
  const stop = typeof b.stop === 'string' ? [b.stop] : Array.isArray(b.stop) ? b.stop.map(String) : [];
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  const streamOptions = b.stream_options as { include_usage?: boolean } | undefined;
  return {
    model: b.model,
    messages,
    stop,
    stream: b.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    tools,
    ...(toolChoice !== undefined ? { toolChoice } : {}),
    parallelToolCalls: b.parallel_tool_calls !== false,
    body: b,
  };
}

function callOf(call: Record<string, unknown>): { id: string; name: string; arguments: string } {
  const fn = (call.function ?? {}) as Record<string, unknown>;
  return { id: String(call.id ?? ''), name: String(fn.name ?? ''), arguments: String(fn.arguments ?? '') };
}

/** `tools` as the API checks it: a non-empty list of functions with valid names. */
function toolsOf(b: Record<string, unknown>): TestTool[] | string {
  if (b.tools === undefined || b.tools === null) return [];
  if (!Array.isArray(b.tools)) return "Invalid type for 'tools': expected an array.";
  if (b.tools.length === 0) return "Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.";
  const tools: TestTool[] = [];
  for (const [i, raw] of (b.tools as Array<Record<string, unknown>>).entries()) {
    const fn = raw?.function as Record<string, unknown> | undefined;
    if (raw?.type !== 'function' || typeof fn !== 'object' || fn === null) return `Invalid 'tools[${i}]': expected a function tool.`;
    if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      return `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`;
    }
    tools.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      ...(typeof fn.parameters === 'object' && fn.parameters !== null ? { parameters: fn.parameters as Record<string, unknown> } : {}),
    });
  }
  return tools;
}

function toolChoiceOf(value: unknown): TestToolChoice | undefined {
  if (value === 'none' || value === 'auto' || value === 'required') return value;
  const fn = (value as { type?: unknown; function?: { name?: unknown } } | undefined)?.function;
  if ((value as { type?: unknown })?.type === 'function' && typeof fn?.name === 'string') return { function: fn.name };
  return undefined;
}

/**
 * The API's rule for tool messages: an assistant message with `tool_calls` is followed by one `tool` message per
 * call id, and a `tool` message answers a call of the assistant message before it.
 */
function toolMessageProblem(messages: readonly TestChatMessage[]): string | undefined {
  let open: Set<string> | undefined;
  for (const [i, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!open || message.toolCallId === undefined || !open.has(message.toolCallId)) {
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages.[${i}])`;
      }
      open.delete(message.toolCallId);
      continue;
    }
    if (open?.size) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
    }
    open = message.role === 'assistant' && message.toolCalls?.length ? new Set(message.toolCalls.map((c) => c.id)) : undefined;
  }
  if (open?.size) {
    return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`;
  }
  return undefined;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
  }
  return '';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendError(
  res: ServerResponse,
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { param: null, code: null, ...error } }, headers);
}

/** Resolves once the data is handed to the socket, so a cut right after it still delivers it. */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(data, () => resolve());
  });
}

/** Waits `ms` (≤ 0: not at all); false when the connection closed meanwhile. */
async function waitMs(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms > 0 && !res.destroyed) {
    const closed = new AbortController();
    const onClose = () => closed.abort();
    res.once('close', onClose);
    try {
      await sleep(ms, undefined, { signal: closed.signal });
    } catch {
      // Closed meanwhile.
    } finally {
      res.off('close', onClose);
    }
  }
  return !res.destroyed;
}

function untilClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.once('close', () => resolve());
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Standalone process

/** The JSON file of `--script`: a reply list, or a JSON script with the server's settings. */
export type ScriptFile =
  | Reply[]
  | (JsonScript & Pick<OpenAITestServerOptions, 'latency' | 'prefixCache' | 'reportUsage' | 'models' | 'apiKey' | 'slots'>);

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const scriptPath = arg('--script');
  const file: ScriptFile = scriptPath ? (JSON.parse(readFileSync(scriptPath, 'utf8')) as ScriptFile) : [];
  const settings = Array.isArray(file) ? {} : file;
  const script: Script = Array.isArray(file) ? file : { replies: file.replies, rules: file.rules, fallback: file.fallback };
  const server = await startOpenAITestServer({
    script,
    latency: settings.latency,
    prefixCache: settings.prefixCache,
    reportUsage: settings.reportUsage,
    models: settings.models,
    apiKey: settings.apiKey,
    slots: settings.slots,
    port: Number(arg('--port') ?? 0),
  });
  if (argv.includes('--verbose')) {
    server.events.on('end', (r) => process.stderr.write(`${r.method} ${r.path} ${r.status ?? ''} ${r.end ?? ''}\n`));
  }
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Bundled into the benchmark, `require.main === module` holds for the bundle too: check the script really is this file.
if (require.main === module && /openaiTestServer\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
