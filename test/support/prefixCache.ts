// The prompt-prefix cache of a model server, as the loopback server models it: recent prompts' token sequences are
// kept, and a request reuses the longest prefix it shares with one of them, counted in whole blocks.

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
   * output token). The sequence that served it becomes the most recently used.
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
    return usable - (usable % this.options.blockTokens);
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
