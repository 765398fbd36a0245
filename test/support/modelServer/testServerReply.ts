// How the OpenAI test server shapes a text reply: stop sequences, max tokens, the per-token pieces it streams and the
// time each piece is due.
import { decodeGenerator, encode, decode } from 'gpt-tokenizer';
import type { LatencyModel } from './testServerScript';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export interface ShapedReply {
  text: string;
  /** One entry per streamed chunk: a token's text (a character split over tokens comes whole with its last token). */
  pieces: string[];
  completionTokens: number;
  finishReason: 'stop' | 'length';
}

/** The server's computed timeline for one request, recorded so tests can check the latency model without clocks. */
export interface Schedule {
  promptTokens: number;
  /** Prompt tokens served from the prefix cache: they cost no prefill time. */
  cachedTokens: number;
  completionTokens: number;
  ttftMs: number;
  tokenIntervalMs: number;
}

export function shapeReply(text: string, stop: readonly string[], maxTokens: number | undefined): ShapedReply {
  let cut = text;
  for (const s of stop) {
    const at = s === '' ? -1 : cut.indexOf(s);
    if (at >= 0) cut = cut.slice(0, at);
  }
  let tokens = encode(cut, PLAIN_TEXT);
  let finishReason: ShapedReply['finishReason'] = 'stop';
  if (maxTokens !== undefined && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    cut = decode(tokens);
    finishReason = 'length';
  }
  return { text: cut, pieces: [...decodeGenerator(tokens)], completionTokens: tokens.length, finishReason };
}

/** Prefill is paid only for the prompt tokens past the cached prefix. */
export function computeSchedule(
  prompt: { tokens: number; cached: number },
  reply: ShapedReply,
  latency: LatencyModel,
): Schedule {
  return {
    promptTokens: prompt.tokens,
    cachedTokens: prompt.cached,
    completionTokens: reply.completionTokens,
    ttftMs: latency.ttftBaseMs + latency.prefillMsPerToken * (prompt.tokens - prompt.cached),
    tokenIntervalMs: latency.tokensPerSecond > 0 ? 1000 / latency.tokensPerSecond : 0,
  };
}
