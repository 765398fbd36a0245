import type { ServerContext } from '../context/contextWindow';
import type { PrefixCacheOptions } from './prefixCache';
import type { ChatTemplate } from './promptTokens';
import type { LatencyModel } from '../testServerScript';

/** How a kind of model server answers: its latency, its prompt-prefix cache and how many requests it serves at once. */
export interface ServerProfile {
  name: 'hosted' | 'local';
  /** One line for reports: what is modelled, from which figures. */
  description: string;
  latency: LatencyModel;
  prefixCache: PrefixCacheOptions;
  /** How its model reads a request: what the prompt's tokens are, tool definitions included. */
  chatTemplate: ChatTemplate;
  /**
   * Whether such a server runs on the user's machine: what `readAhead: auto` goes by, so the clients of this
   * profile read the joiner's prompt ahead exactly when they would by default against a real server of its kind.
   */
  onThisMachine: boolean;
  /** Requests processed at once; the others wait their turn. Undefined: any number. */
  slots?: number;
  /** The model's name, and its context as the server reports and enforces it. */
  model: string;
  context: ServerContext;
}

/**
 * A hosted GPT-4o-mini-class model behind OpenAI's API. Output 60 tokens/s (gpt-4o-mini measured at 59 tokens/s on
 * average, OpenAI community forum "Inference speed of different models", 2025); time to first token about 0.45 s at
 * 1 000 prompt tokens (Artificial Analysis' medians for GPT-4o-class models on OpenAI's API). Prefill: OpenAI's
 * Prompt Caching 201 cookbook measures a cached 1 024-token prompt 7% faster to its first token, which puts reading
 * 1 000 tokens at ~30 ms (0.03 ms/token) on top of a ~420 ms fixed part. Caching as OpenAI documents it: prompts of
 * 1 024 tokens or more, hits in 128-token increments, request prefixes only (not replies); entries outlive a session.
 * Prompts are billed as OpenAI bills them, function definitions by the formula of OpenAI's cookbook (promptTokens.ts).
 */
export const HOSTED_PROFILE: ServerProfile = {
  name: 'hosted',
  description: 'GPT-4o-mini class on OpenAI: 420 ms + 0.03 ms/uncached prompt token to the first token, then 60 tokens/s; prefix cache from 1 024 tokens in 128-token blocks; function definitions billed as OpenAI counts them',
  latency: { ttftBaseMs: 420, prefillMsPerToken: 0.03, tokensPerSecond: 60 },
  prefixCache: { blockTokens: 128, minTokens: 1024, entries: 256, keepReplies: false },
  chatTemplate: 'openai',
  onThisMachine: false,
  // OpenAI reports no context; gpt-4o-mini's 128,000 tokens come from its published table.
  model: 'gpt-4o-mini',
  context: { kind: 'openai', tokens: 128_000 },
};

/**
 * A 7B Q4 model on a developer laptop through Ollama / llama.cpp: llama.cpp's Apple Silicon benchmark (discussion
 * #4167, LLaMA 7B Q4_0 on an M1 Pro with 16 GPU cores) reads prompts at 266 tokens/s (3.76 ms/token) and writes
 * 36.4 tokens/s; the first token costs the prefill plus one decoding step (27 ms). Caching as llama.cpp's server does
 * it under Ollama's default of one parallel request: one slot keeps the last request's prompt and reply, and a new
 * prompt reuses what it shares with it; counted here in vLLM's default 16-token blocks (llama.cpp reuses to the
 * token, so this gives away at most 15 tokens a request). One request at a time: Ollama serves one parallel request per
 * model by default (OLLAMA_NUM_PARALLEL, FAQ "How does Ollama handle concurrent requests?"), as does a llama.cpp
 * server started with one slot; a request that arrives while another is processed waits for it. The model reads
 * requests through Qwen2.5-Instruct's chat template (a 7B model of the same class that calls tools natively): tool
 * definitions as JSON in the system prompt, results as `<tool_response>` blocks.
 */
export const LOCAL_PROFILE: ServerProfile = {
  name: 'local',
  description: '7B Q4 on an M1 Pro through llama.cpp/Ollama: 27 ms + 3.76 ms/uncached prompt token (266 tokens/s) to the first token, then 36.4 tokens/s; one request at a time (one slot) that keeps its prompt and reply, 16-token blocks; prompts as Qwen2.5\'s chat template writes them (tools as JSON in the system prompt)',
  latency: { ttftBaseMs: 27, prefillMsPerToken: 1000 / 266, tokensPerSecond: 36.4 },
  prefixCache: { blockTokens: 16, minTokens: 0, entries: 1, keepReplies: true },
  chatTemplate: 'qwen2.5',
  onThisMachine: true,
  slots: 1,
  // A 7B model served with an 8,192-token context (llama-server -c 8192, or Ollama's OLLAMA_CONTEXT_LENGTH=8192).
  model: 'qwen2.5-coder-7b',
  context: { kind: 'llama.cpp', tokens: 8192 },
};

export const SERVER_PROFILES: readonly ServerProfile[] = [HOSTED_PROFILE, LOCAL_PROFILE];
