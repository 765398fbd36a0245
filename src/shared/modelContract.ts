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
  stream(messages: ChatMessage[], options: ModelRequestOptions): AsyncIterable<ModelChunk>;
}
