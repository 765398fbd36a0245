// A model's context window as each kind of server keeps it: what its metadata endpoints say, and what it does with a
// request longer than the window, in the shapes their documentation gives:
// - llama.cpp: `GET /props` → `default_generation_settings.n_ctx`, `POST /tokenize` `{content}` → `{tokens}`; a prompt
//   of the window or more is refused: 400 `exceed_context_size_error` with `n_prompt_tokens` and `n_ctx`; a reply
//   that would run past it stops there (`finish_reason: "length"`);
// - vLLM: `max_model_len` in `GET /v1/models`; a prompt plus `max_tokens` past it is refused: 400, "This model's
//   maximum context length is N tokens. However, you requested …" (`BadRequestError`, in the `error` object);
// - LM Studio: `GET /api/v0/models` → the loaded model's `loaded_context_length`; 400 `{"error": "Trying to keep the
//   first P tokens when context the overflows. However, the model is loaded with context length of only N tokens…"}`;
// - Ollama: `GET /api/ps` → the loaded model's `context_length`, `POST /api/show` → its Modelfile `parameters` and
//   `model_info`; an over-long prompt is not refused: messages after the system ones are dropped from the front until
//   it fits, the last one always kept (server/prompt.go), and the reply stops at the window;
// - OpenAI: no metadata; a prompt plus `max_tokens` past the window is refused: 400 `context_length_exceeded`.
// The server counts one token per three characters: more than the client's tokenizer, as a server whose tokenizer
// the client does not know may.
import type { ServerResponse } from 'node:http';
import { sendError, sendJson } from '../http';
import { contentText } from '../serving/promptTokens';
import type { ServerState } from '../serverState';

export type ContextServerKind = 'llama.cpp' | 'vllm' | 'lm-studio' | 'ollama' | 'openai';

export interface ServerContext {
  kind: ContextServerKind;
  /** The window, in this server's tokens (one per three characters). */
  tokens: number;
  /** Ollama and LM Studio: the model is loaded, so `/api/ps` and `/api/v0/models` report its window (default true). */
  loaded?: boolean;
  /** Ollama: a release whose `/api/ps` entries carry no `context_length`. */
  oldRelease?: boolean;
  /** Ollama: the Modelfile's `num_ctx`, shown by `/api/show`. */
  numCtx?: number;
}

const CHARS_PER_SERVER_TOKEN = 3;

function tokensOf(text: string): number {
  return Math.ceil(text.length / CHARS_PER_SERVER_TOKEN);
}

/** A request's prompt as this server counts it: three tokens of framing per message, and the tool definitions. */
export function serverPromptTokens(body: Record<string, unknown>): number {
  let total = 3;
  if (Array.isArray(body.tools) && body.tools.length > 0) total += tokensOf(JSON.stringify(body.tools));
  for (const message of messagesOf(body)) total += messageTokens(message);
  return total;
}

function messagesOf(body: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
}

function messageTokens(message: Record<string, unknown>): number {
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ id?: string; function?: { name?: string; arguments?: string } }>) : [];
  return 4 + tokensOf(contentText(message.content)) + calls.reduce((n, c) => n + tokensOf(`${c.id ?? ''}${c.function?.name ?? ''}${c.function?.arguments ?? ''}`), 0);
}

/** What the server does with a chat request against its window. */
export type ContextOutcome =
  | { kind: 'fits'; promptTokens: number; maxTokens?: number }
  | { kind: 'refused'; status: number; body: Record<string, unknown>; promptTokens: number }
  | { kind: 'truncated'; body: Record<string, unknown>; dropped: number; promptTokens: number; maxTokens?: number };

export function checkContext(context: ServerContext | undefined, body: Record<string, unknown>, maxTokens: number | undefined): ContextOutcome {
  const prompt = serverPromptTokens(body);
  if (!context) return { kind: 'fits', promptTokens: prompt, ...(maxTokens !== undefined ? { maxTokens } : {}) };
  const n = context.tokens;
  const left = (promptTokens: number) => Math.max(0, Math.min(maxTokens ?? Infinity, n - promptTokens));
  switch (context.kind) {
    case 'llama.cpp':
      if (prompt >= n) {
        return {
          kind: 'refused',
          status: 400,
          promptTokens: prompt,
          body: {
            error: {
              code: 400,
              message: `request (${prompt} tokens) exceeds the available context size (${n} tokens), try increasing it`,
              type: 'exceed_context_size_error',
              n_prompt_tokens: prompt,
              n_ctx: n,
            },
          },
        };
      }
      return { kind: 'fits', promptTokens: prompt, maxTokens: left(prompt) };
    case 'vllm':
    case 'openai': {
      const completion = maxTokens ?? 0;
      if (prompt + completion <= n) return { kind: 'fits', promptTokens: prompt, ...(maxTokens !== undefined ? { maxTokens } : {}) };
      const message =
        `This model's maximum context length is ${n} tokens. However, you requested ${prompt + completion} tokens ` +
        `(${prompt} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`;
      const error =
        context.kind === 'vllm'
          ? { message, type: 'BadRequestError', param: null, code: 400 }
          : { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' };
      return { kind: 'refused', status: 400, promptTokens: prompt, body: { error } };
    }
    case 'lm-studio':
      if (prompt < n) return { kind: 'fits', promptTokens: prompt, maxTokens: left(prompt) };
      return {
        kind: 'refused',
        status: 400,
        promptTokens: prompt,
        body: {
          error:
            `Trying to keep the first ${prompt} tokens when context the overflows. However, the model is loaded with context length of only ${n} tokens, ` +
            'which is not enough. Try to load the model with a larger context length, or provide a shorter input',
        },
      };
    case 'ollama': {
      if (prompt <= n) return { kind: 'fits', promptTokens: prompt, maxTokens: left(prompt) };
      // Drops messages after the system ones from the front until the rest fits, keeping the last one.
      const messages = messagesOf(body);
      const system = messages.filter((m) => m.role === 'system');
      let start = 0;
      for (; start < messages.length - 1; start++) {
        const kept = [...system.filter((m) => messages.indexOf(m) < start), ...messages.slice(start)];
        if (serverPromptTokens({ ...body, messages: kept }) <= n) break;
      }
      const kept = [...system.filter((m) => messages.indexOf(m) < start), ...messages.slice(start)];
      const truncated = { ...body, messages: kept };
      const promptTokens = serverPromptTokens(truncated);
      return { kind: 'truncated', body: truncated, dropped: messages.length - kept.length, promptTokens, maxTokens: left(promptTokens) };
    }
  }
}

function notServed(res: ServerResponse, method: string, path: string): void {
  sendError(res, 404, { message: `Unknown request URL: ${method} ${path}`, type: 'invalid_request_error', code: 'unknown_url' });
}

/** llama.cpp's `GET /props`. */
export function serveProps(state: ServerState, res: ServerResponse): void {
  const context = state.context;
  if (context?.kind !== 'llama.cpp') return notServed(res, 'GET', '/props');
  sendJson(res, 200, {
    default_generation_settings: { id: 0, id_task: -1, n_ctx: context.tokens, speculative: false, is_processing: false, params: { n_predict: -1 } },
    total_slots: 1,
    model_path: `/models/${state.models[0] ?? 'model'}.gguf`,
    chat_template: '',
    modalities: { vision: false },
    build_info: 'b0000-test',
  });
}

/** llama.cpp's `POST /tokenize`: as many tokens as the server counts. */
export function serveTokenize(state: ServerState, res: ServerResponse, body: string): void {
  if (state.context?.kind !== 'llama.cpp') return notServed(res, 'POST', '/tokenize');
  let content = '';
  try {
    const parsed = JSON.parse(body) as { content?: unknown };
    if (typeof parsed.content === 'string') content = parsed.content;
  } catch {
    return sendError(res, 400, { message: 'invalid JSON', type: 'invalid_request_error' });
  }
  sendJson(res, 200, { tokens: Array.from({ length: tokensOf(content) }, (_, i) => i + 1) });
}

/** LM Studio's `GET /api/v0/models`. */
export function serveLmStudioModels(state: ServerState, res: ServerResponse): void {
  const context = state.context;
  if (context?.kind !== 'lm-studio') return notServed(res, 'GET', '/api/v0/models');
  const loaded = context.loaded ?? true;
  sendJson(res, 200, {
    object: 'list',
    data: state.models.map((id) => ({
      id,
      object: 'model',
      type: 'llm',
      publisher: 'test',
      arch: 'qwen2',
      compatibility_type: 'gguf',
      quantization: 'Q4_K_M',
      state: loaded ? 'loaded' : 'not-loaded',
      max_context_length: 32_768,
      ...(loaded ? { loaded_context_length: context.tokens } : {}),
    })),
  });
}

/** Ollama's `GET /api/ps`: the loaded models. */
export function serveOllamaRunning(state: ServerState, res: ServerResponse): void {
  const context = state.context;
  if (context?.kind !== 'ollama') return notServed(res, 'GET', '/api/ps');
  const loaded = context.loaded ?? true;
  sendJson(res, 200, {
    models: loaded
      ? state.models.map((name) => ({
          name,
          model: name,
          size: 5_000_000_000,
          digest: 'f'.repeat(64),
          details: { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
          expires_at: '2030-01-01T00:00:00Z',
          size_vram: 5_000_000_000,
          ...(context.oldRelease ? {} : { context_length: context.tokens }),
        }))
      : [],
  });
}

/** Ollama's `POST /api/show`: the Modelfile's parameters and the model's own context. */
export function serveOllamaShow(state: ServerState, res: ServerResponse): void {
  const context = state.context;
  if (context?.kind !== 'ollama') return notServed(res, 'POST', '/api/show');
  sendJson(res, 200, {
    modelfile: '# Modelfile',
    parameters: `stop "<|im_end|>"${context.numCtx ? `\nnum_ctx ${context.numCtx}` : ''}`,
    template: '{{ .Prompt }}',
    details: { format: 'gguf', family: 'qwen2', parameter_size: '7.6B', quantization_level: 'Q4_K_M' },
    model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32_768 },
    capabilities: ['completion', 'tools'],
  });
}
