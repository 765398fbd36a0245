// The prompt as a model server reads it, and its prefix cache.
// A chat-completions request is one token sequence: the tool definitions first (where OpenAI puts them, in the system
// part), then each message framed by three special tokens (function calls as their names and JSON arguments), then
// three that prime the reply; without tool definitions its length equals `countChatTokens`. The cache keeps recent
// sequences, and a request reuses the longest prefix it shares with one of them, counted in whole blocks.
import type { ServerResponse } from 'node:http';
import { encode } from 'gpt-tokenizer';
import { waitMs } from './http';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

// Special tokens sit outside the tokenizer's ids, so text never produces them.
const START = -1;
const SEPARATOR = -2;
const ROLE_IDS: Record<string, number> = { system: -10, developer: -11, user: -12, assistant: -13, tool: -14 };
const OTHER_ROLE = -19;

function frame(role: string): number[] {
  return [START, ROLE_IDS[role] ?? OTHER_ROLE, SEPARATOR];
}

/** The request body's messages and tools as one token sequence. */
export function promptTokenIds(body: Record<string, unknown>): number[] {
  const out: number[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.push(...frame('system'), ...encode(JSON.stringify(body.tools), PLAIN_TEXT));
  }
  for (const message of Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : []) {
    out.push(...frame(String(message.role)), ...messageTokens(message));
  }
  out.push(...frame('assistant'));
  return out;
}

/** A reply as it reads when it comes back in the next request's assistant message. */
export function replyTokenIds(text: string, toolCalls: ReadonlyArray<{ name: string; arguments: string }> = []): number[] {
  return messageTokens({ content: text, tool_calls: toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) });
}

/** A message's text, then each of its function calls as its name and its JSON arguments. */
function messageTokens(message: Record<string, unknown>): number[] {
  const out = encode(contentText(message.content), PLAIN_TEXT);
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Array<{ function?: { name?: string; arguments?: string } }>) : [];
  for (const call of calls) out.push(...encode(call.function?.name ?? '', PLAIN_TEXT), ...encode(call.function?.arguments ?? '', PLAIN_TEXT));
  return out;
}

/** A message's text: its string content, or the text parts of a list. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
  }
  return '';
}

export interface PrefixCacheOptions {
  /** Cache hits count in whole blocks of this many tokens (OpenAI: 128; vLLM's default block: 16). */
  blockTokens: number;
  /** Prompts shorter than this are neither served from nor written to the cache (OpenAI: 1024). */
  minTokens: number;
  /** How many token sequences are kept; the least recently used goes first (Ollama's default: one slot). */
  entries: number;
  /**
   * True: what is kept is the prompt followed by the reply, as a llama.cpp slot keeps its whole sequence; false:
   * the prompt only, as hosted APIs cache request prefixes.
   */
  keepReplies: boolean;
}

export class PrefixCache {
  // Most recently used last.
  private readonly kept: Array<readonly number[]> = [];

  constructor(readonly options: PrefixCacheOptions) {
    if (!(options.blockTokens >= 1 && options.entries >= 1)) throw new RangeError('blockTokens and entries must be at least 1');
  }

  /**
   * Tokens of `prompt` served from the cache: its longest common prefix with a kept sequence, rounded down to whole
   * blocks and never the whole prompt (the last token is always computed, as servers do to produce the first
   * output token); none when that is under the minimum, since a cached prefix is itself a prompt of at least that
   * length (OpenAI's hits are 1 024 tokens, then 1 152, 1 280 and so on). The sequence that served it becomes the
   * most recently used.
   */
  lookup(prompt: readonly number[]): number {
    if (prompt.length < this.options.minTokens) return 0;
    let best = 0;
    let bestAt = -1;
    this.kept.forEach((seq, at) => {
      const shared = commonPrefix(seq, prompt);
      if (shared > best) {
        best = shared;
        bestAt = at;
      }
    });
    if (bestAt >= 0) this.kept.push(...this.kept.splice(bestAt, 1));
    const usable = Math.min(best, prompt.length - 1);
    const blocks = usable - (usable % this.options.blockTokens);
    return blocks < this.options.minTokens ? 0 : blocks;
  }

  /** Keeps what a finished request left in the cache: its prompt, and its reply when replies are kept. */
  store(prompt: readonly number[], reply: readonly number[] = []): void {
    if (prompt.length < this.options.minTokens) return;
    const seq = this.options.keepReplies ? [...prompt, ...reply] : [...prompt];
    // A kept sequence the new one extends (or repeats) is superseded by it: the same blocks, now longer.
    for (let at = this.kept.length - 1; at >= 0; at--) {
      const old = this.kept[at]!;
      if (old.length <= seq.length && commonPrefix(old, seq) === old.length) this.kept.splice(at, 1);
    }
    this.kept.push(seq);
    while (this.kept.length > this.options.entries) this.kept.shift();
  }

  get size(): number {
    return this.kept.length;
  }
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * A request's prompt as the server read it: its tokens, how many of them the cache served, and the cache it was read
 * against (a replacement made meanwhile starts empty of it).
 */
export interface PromptRead {
  tokens: number[];
  cached: number;
  cache: PrefixCache | undefined;
}

export function readPrompt(cache: PrefixCache | undefined, body: Record<string, unknown>): PromptRead {
  const tokens = promptTokenIds(body);
  return { tokens, cache, cached: cache?.lookup(tokens) ?? 0 };
}

/**
 * Waits out the prompt's prefill, then keeps the prompt in the cache it was read against: its blocks are reusable
 * from then on, before the reply is done, and never before they have been read. False when the connection closed
 * first.
 */
export async function prefill(res: ServerResponse, ttftMs: number, read: PromptRead): Promise<boolean> {
  if (!(await waitMs(res, ttftMs))) return false;
  read.cache?.store(read.tokens);
  return true;
}
