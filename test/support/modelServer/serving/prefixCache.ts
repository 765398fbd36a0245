// A model server's prompt-prefix cache: recent token sequences (see promptTokens.ts), and a request reuses the longest
// prefix it shares with one of them, counted in whole blocks.
import type { ServerResponse } from 'node:http';
import { waitMs } from '../http';
import type { ChatTemplate } from './promptTokens';
import { promptTokenIds } from './promptTokens';

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

export function readPrompt(cache: PrefixCache | undefined, body: Record<string, unknown>, template: ChatTemplate): PromptRead {
  const tokens = promptTokenIds(body, template);
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
