// The model client's contract: messages, options, chunks and usage. The only model interface the core knows.
import type { JsonObject } from './json';
import type { ModelPurpose } from './modes';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** An assistant's calls of the request's tools (only for callers that pass `tools`, such as VS Code's agents). */
  toolCalls?: ModelToolCall[];
  /** In a user message: the results of earlier tool calls, sent before its text. */
  toolResults?: ModelToolResult[];
}

/** A tool offered to the model itself (function calling), as opposed to the compiler's planned tool calls. */
export interface ModelToolSpec {
  name: string;
  description: string;
  /** JSON schema of the tool's input object. */
  inputSchema?: object;
}

export interface ModelToolCall {
  id: string;
  name: string;
  input: JsonObject;
}

export interface ModelToolResult {
  callId: string;
  content: string;
}

export interface ModelRequestOptions {
  signal: AbortSignal;
  /** Stop sequences; the model stops before writing any of them. */
  stop?: string[];
  purpose: ModelPurpose;
  maxOutputTokens?: number;
  /** Tools the model may call; its calls arrive as `tool-call` chunks. */
  tools?: ModelToolSpec[];
  /** `required`: the model must call one of `tools`. Default `auto`. */
  toolMode?: 'auto' | 'required';
}

export interface ModelUsage {
  inputTokens: number;
  /** Of `inputTokens`, those the server read from its prompt-prefix cache, when it says (OpenAI's `cached_tokens`). */
  cachedInputTokens?: number;
  outputTokens: number;
  /** True when the server did not report usage and the figures come from a tokenizer. */
  estimated: boolean;
}

export type ModelChunk = { type: 'text'; text: string } | { type: 'tool-call'; call: ModelToolCall } | { type: 'usage'; usage: ModelUsage };

/** The servers whose context the model clients know how to learn, and so how to raise. */
export type ContextServer = 'llama.cpp' | 'vllm' | 'lm-studio' | 'ollama' | 'openai' | 'vscode';

/** What a model can read and write in one request, as its server or its API says. */
export interface ModelContext {
  /** The context window in tokens: the prompt and the output it reserves together (see `separateOutput`). */
  tokens: number;
  /** Where the figure came from, for the run log: `llama.cpp /props at http://…`, `OpenAI's model list`. */
  source: string;
  /** True when nothing answered and `tokens` is a conservative default: the run log says so. */
  assumed?: boolean;
  /** The server's kind, when it is known: what the fix for a small context names. */
  server?: ContextServer;
  /** True when `tokens` is the server's default rather than a configured size (Ollama's 4,096, say). */
  serverDefault?: boolean;
  /** How to give the model a larger context on this server, in one sentence. */
  raise?: string;
  /** True when `tokens` bounds the prompt alone and the output has its own limit (VS Code's `maxInputTokens`). */
  separateOutput?: boolean;
  /** Counts text as the model's tokenizer does, when that is known here (GPT-4o's o200k); else counts are bounded. */
  count?(text: string): number;
  /** The server's own count of a text (llama.cpp's `/tokenize`, VS Code's `countTokens`); rejects when it cannot. */
  exactCount?(text: string, signal: AbortSignal): Promise<number>;
}

/**
 * The only model interface the core knows. Implementations: the OpenAI-compatible client, VS Code's Language Model
 * API, the scripted model of the tests. Errors are thrown as `CompilerError`s with a model reason; an aborted signal
 * ends the iteration with an `AbortError`.
 */
export interface ModelClient {
  /** Shown to users, e.g. `openai:gpt-4o-mini` or `vscode-lm:copilot/gpt-4o`. */
  readonly id: string;
  /**
   * True when a prompt sent ahead pays off: the server keeps prompt prefixes and reads prompts slowly against the
   * wait for tools (a local server), so the joiner's prompt is read in while the plan's last tasks run.
   */
  readonly readsAhead?: boolean;
  /**
   * The model's context, learned once per endpoint and model and then kept. Never rejects for want of an answer:
   * a server that says nothing gets a conservative default, marked `assumed`. Absent: the context is not known,
   * and the run's budgets are its settings alone.
   */
  context?(signal: AbortSignal): Promise<ModelContext>;
  stream(messages: ChatMessage[], options: ModelRequestOptions): AsyncIterable<ModelChunk>;
}
