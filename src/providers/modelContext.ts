// What an OpenAI-compatible server says of a model's context, asked the way each server answers, and kept per
// endpoint and model. The shapes follow each server's documentation:
// - llama.cpp's server: `GET /props` → `default_generation_settings.n_ctx` (a slot's context; tools/server/README.md),
//   and `POST /tokenize` `{content}` → `{tokens: [...]}` for exact counts;
// - LM Studio: `GET /api/v0/models` → the model's `loaded_context_length` once it is loaded (REST API v0);
// - Ollama: `GET /api/ps` → the loaded model's `context_length`; else `POST /api/show` → a Modelfile's `num_ctx` in
//   `parameters`, or Ollama's documented default (docs/context-length: 4,096 tokens below 24 GiB of VRAM; 2,048 in
//   releases whose `/api/ps` did not report it yet), within the model's own `<arch>.context_length`;
// - vLLM: `max_model_len` of the model in `GET /v1/models`;
// - OpenAI: a table of its published context windows (platform.openai.com/docs/models).
import { LruCache } from '../base/lruCache';
import { raceAbort } from '../base/abortable';
import { abortError } from '../base/errors';
import type { ContextServer, ModelContext } from '../shared/modelContract';
import { baseUrlOf } from './openaiClient';
import type { OpenAIEndpointOptions } from './openaiClient';
import type { Fetch } from './retryAfterLimit';

/** What a server that says nothing gets: room for the compact prompts, and no more. */
export const ASSUMED_CONTEXT_TOKENS = 8192;
/** Ollama's default for a machine with less than 24 GiB of VRAM, and the one of its older releases. */
export const OLLAMA_DEFAULT_CONTEXT = 4096;
export const OLLAMA_OLD_DEFAULT_CONTEXT = 2048;

const PROBE_TIMEOUT_MS = 3_000;
const COUNT_TIMEOUT_MS = 10_000;
/** A metadata answer larger than this is not read (LM Studio lists every model on disk; `/props` holds a template). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * OpenAI's published context windows (platform.openai.com/docs/models, each model's page), by model id prefix;
 * the longest prefix wins. Their tokenizer is o200k, which the bounded count stays above.
 */
const OPENAI_CONTEXTS: ReadonlyArray<readonly [string, number]> = [
  ['gpt-5', 400_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4', 8_192],
  ['gpt-3.5-turbo', 16_385],
  ['o1-mini', 128_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
];

/** How to give a model more context on each server, in one sentence. */
export const RAISE_CONTEXT: Readonly<Record<ContextServer, string>> = {
  'llama.cpp': 'Start llama-server with a larger context: `llama-server -c 8192` (with several slots, `--parallel`, each gets its share).',
  ollama: 'Raise it on the server: `OLLAMA_CONTEXT_LENGTH=8192 ollama serve`, or a Modelfile with `PARAMETER num_ctx 8192` (then `ollama create`).',
  'lm-studio': "Load the model with a larger context length in LM Studio: the model's load settings, or `lms load <model> --context-length 8192`.",
  vllm: 'Start vLLM with a larger `--max-model-len`, e.g. `vllm serve <model> --max-model-len 8192`.',
  openai: 'Choose a model with a larger context.',
  vscode: 'Choose a model with a larger context in the Chat view’s model picker.',
};

/** Learned contexts, per endpoint and model: one question's learning serves the process's later ones. */
export class ContextCache {
  private readonly entries = new LruCache<string, Promise<ModelContext>>(64);

  /** The context of `key`, learned by `learn` the first time; a learning that reached no server is not kept. */
  get(key: string, learn: () => Promise<{ context: ModelContext; keep: boolean }>): Promise<ModelContext> {
    let entry = this.entries.get(key);
    if (!entry) {
      const learning = learn();
      entry = learning.then((r) => r.context);
      this.entries.set(key, entry);
      learning.then(
        (r) => {
          if (!r.keep && this.entries.get(key) === entry) this.entries.delete(key);
        },
        () => this.entries.delete(key),
      );
    }
    return entry;
  }

  /** A server said the context is smaller than was learned (its refusal of a request): keep its figure. */
  lower(key: string, tokens: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.set(
      key,
      entry.then((c) => (tokens < c.tokens ? { ...c, tokens, source: `${c.source}; the server's refusal said ${tokens}`, serverDefault: false } : c)),
    );
  }
}

/** The cache of the process: the CLI's question, the MCP server's and VS Code's questions. */
export const PROCESS_CONTEXT_CACHE = new ContextCache();

export interface ContextOptions extends OpenAIEndpointOptions {
  model: string;
}

export function contextKey(options: ContextOptions): string {
  return `${baseUrlOf(options)}\u0000${options.model}`;
}

/** The model's context as its server says it, learned once per endpoint and model. Rejects only when `signal` aborts. */
export function learnContext(options: ContextOptions, signal: AbortSignal, cache: ContextCache = PROCESS_CONTEXT_CACHE): Promise<ModelContext> {
  return raceAbort(
    cache.get(contextKey(options), () => askServer(options)),
    signal,
  );
}

/** Asks every kind of server at once (each answers only its own paths) and takes the most telling answer. */
async function askServer(options: ContextOptions): Promise<{ context: ModelContext; keep: boolean }> {
  const baseURL = baseUrlOf(options);
  const table = openAIContext(options.model);
  if (isOpenAI(baseURL)) {
    if (table) return { context: { tokens: table, source: `OpenAI's published context of ${options.model}`, server: 'openai', raise: RAISE_CONTEXT.openai }, keep: true };
    return { context: assumed(baseURL, 'OpenAI publishes no context for this model here'), keep: true };
  }
  const http = new Probe(options);
  const [llama, lmStudio, ollama, vllm] = await Promise.all([fromLlamaCpp(http), fromLmStudio(http, options.model), fromOllama(http, options.model), fromVllm(http, options.model)]);
  const context = llama ?? lmStudio ?? ollama?.context ?? vllm;
  // An Ollama model not loaded yet is asked again: once loaded, /api/ps tells what it got.
  if (context) return { context, keep: context !== ollama?.context || !ollama.provisional };
  if (table) return { context: { tokens: table, source: `OpenAI's published context of ${options.model}`, server: 'openai', raise: RAISE_CONTEXT.openai }, keep: true };
  // A server that answered but said nothing is asked no more; one that did not answer is asked again next time.
  return { context: assumed(baseURL, 'it answers none of llama.cpp /props, LM Studio /api/v0/models, Ollama /api/ps, vLLM max_model_len'), keep: http.answered };
}

function assumed(baseURL: string, why: string): ModelContext {
  return { tokens: ASSUMED_CONTEXT_TOKENS, source: `the server at ${baseURL}: ${why}`, assumed: true };
}

function isOpenAI(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

function openAIContext(model: string): number | undefined {
  const id = model.toLowerCase();
  let best: readonly [string, number] | undefined;
  for (const entry of OPENAI_CONTEXTS) if (id.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}

/** The server's root (the base URL without its `/v1`), where llama.cpp, LM Studio and Ollama keep their own paths. */
function rootOf(baseURL: string): string {
  return baseURL.replace(/\/v1$/, '');
}

/** One server's metadata requests: bounded in time and size, the API key sent as for chat, failures as no answer. */
class Probe {
  /** True once any request got an HTTP response. */
  answered = false;
  readonly baseURL: string;
  readonly root: string;
  private readonly fetch: Fetch;

  constructor(private readonly options: ContextOptions) {
    this.baseURL = baseUrlOf(options);
    this.root = rootOf(this.baseURL);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async json(url: string, body?: unknown, timeoutMs = PROBE_TIMEOUT_MS, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await this.fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: combined,
      });
      this.answered = true;
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      return JSON.parse(await boundedText(response, MAX_ANSWER_BYTES)) as unknown;
    } catch {
      if (signal?.aborted) throw abortError(signal.reason);
      return undefined;
    }
  }
}

/** A response's text, refused past `maxBytes`. */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error('metadata answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.map(record).filter((v): v is Record<string, unknown> => v !== undefined) : [];
}

async function fromLlamaCpp(http: Probe): Promise<ModelContext | undefined> {
  const props = record(await http.json(`${http.root}/props`));
  const tokens = positive(record(props?.default_generation_settings)?.n_ctx);
  if (tokens === undefined) return undefined;
  return {
    tokens,
    source: `llama.cpp /props at ${http.root}`,
    server: 'llama.cpp',
    raise: RAISE_CONTEXT['llama.cpp'],
    // The server's tokenizer counts exactly: used when the bounded count leaves less than the output limit.
    exactCount: async (text, signal) => {
      const answer = record(await http.json(`${http.root}/tokenize`, { content: text }, COUNT_TIMEOUT_MS, signal));
      if (!Array.isArray(answer?.tokens)) throw new Error('no token count');
      return answer.tokens.length;
    },
  };
}

async function fromLmStudio(http: Probe, model: string): Promise<ModelContext | undefined> {
  const models = list(record(await http.json(`${http.root}/api/v0/models`))?.data);
  const entry = models.find((m) => m.id === model);
  const tokens = entry?.state === 'loaded' ? positive(entry.loaded_context_length) : undefined;
  if (tokens === undefined) return undefined;
  return { tokens, source: `LM Studio /api/v0/models at ${http.root}`, server: 'lm-studio', raise: RAISE_CONTEXT['lm-studio'] };
}

async function fromOllama(http: Probe, model: string): Promise<{ context: ModelContext; provisional?: boolean } | undefined> {
  const running = record(await http.json(`${http.root}/api/ps`));
  if (!running || !Array.isArray(running.models)) return undefined;
  const names = new Set([model, model.includes(':') ? model : `${model}:latest`]);
  const loaded = list(running.models).find((m) => names.has(String(m.name)) || names.has(String(m.model)));
  const base = { server: 'ollama' as const, raise: RAISE_CONTEXT.ollama };
  if (loaded) {
    const tokens = positive(loaded.context_length);
    if (tokens !== undefined) {
      return { context: { ...base, tokens, source: `Ollama /api/ps at ${http.root}`, ...(isOllamaDefault(tokens) ? { serverDefault: true } : {}) } };
    }
    // Releases before `context_length` was reported had a default of 2,048.
    const source = `Ollama at ${http.root}, a release whose /api/ps reports no context: its default`;
    return { context: { ...base, tokens: OLLAMA_OLD_DEFAULT_CONTEXT, source, serverDefault: true } };
  }
  // Not loaded yet: what its Modelfile sets, else the default it will be loaded with.
  const shown = record(await http.json(`${http.root}/api/show`, { model }));
  const unloaded = `Ollama at ${http.root}: the model is not loaded yet; Ollama's default`;
  if (!shown) return { context: { ...base, tokens: OLLAMA_DEFAULT_CONTEXT, source: unloaded, serverDefault: true }, provisional: true };
  const configured = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(typeof shown.parameters === 'string' ? shown.parameters : '');
  if (configured) return { context: { ...base, tokens: Number(configured[1]), source: `Ollama /api/show at ${http.root}: the Modelfile's num_ctx` } };
  const info = record(shown.model_info) ?? {};
  const trained = Object.entries(info).find(([k]) => k.endsWith('.context_length'))?.[1];
  const tokens = Math.min(OLLAMA_DEFAULT_CONTEXT, positive(trained) ?? OLLAMA_DEFAULT_CONTEXT);
  return { context: { ...base, tokens, source: unloaded, serverDefault: true }, provisional: true };
}

function isOllamaDefault(tokens: number): boolean {
  return tokens === OLLAMA_DEFAULT_CONTEXT || tokens === OLLAMA_OLD_DEFAULT_CONTEXT;
}

async function fromVllm(http: Probe, model: string): Promise<ModelContext | undefined> {
  const models = list(record(await http.json(`${http.baseURL}/models`))?.data);
  const tokens = positive(models.find((m) => m.id === model)?.max_model_len);
  if (tokens === undefined) return undefined;
  return { tokens, source: `vLLM max_model_len at ${http.baseURL}/models`, server: 'vllm', raise: RAISE_CONTEXT.vllm };
}
