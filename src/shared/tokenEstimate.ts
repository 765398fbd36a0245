/** Roughly four characters a token: budgets and fallback counts are approximate by design, the model's tokenizer decides. */
export const CHARS_PER_TOKEN = 4;

/** Rough token count for when a model reports no usage; such figures are flagged as estimated. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** How a budget counts text: a token count, and the longest start of a text within a count. */
export interface TokenMeasure {
  count(text: string): number;
  /** The length (UTF-16 units) of the longest start of `text` that counts at most `tokens`. */
  prefixWithin(text: string, tokens: number): number;
  /** The most a text of `chars` characters can count. */
  worst(chars: number): number;
}

/** Four characters a token: the budgets of a run whose model says nothing of its context, as they always were. */
export const ROUGH_MEASURE: TokenMeasure = {
  count: estimateTokens,
  prefixWithin: (text, tokens) => Math.max(0, Math.min(text.length, Math.floor(tokens) * CHARS_PER_TOKEN)),
  worst: (chars) => Math.ceil(chars / CHARS_PER_TOKEN),
};

/**
 * An upper bound on what a server whose tokenizer is not known may count, in sixths of a token per character:
 * letters and whitespace a third, ASCII punctuation a half, digits a whole (some tokenizers split numbers into
 * digits), other characters one and a half, and each half of a surrogate pair two. Measured against cl100k and
 * o200k on this project's sources (numbered as read_file shows them): 1.3–1.6 times their count, never less than
 * one token per three characters; only hash-dense data such as lock files comes near to one.
 */
const SIXTHS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    table[c] = /[0-9]/.test(ch) ? 6 : /[A-Za-z\s]/.test(ch) ? 2 : 3;
  }
  return table;
})();

function sixths(code: number): number {
  if (code < 128) return SIXTHS[code]!;
  return code >= 0xd800 && code <= 0xdfff ? 12 : 9;
}

/** Counts with the bound above: linear in the text, the same count for the same text. */
export const CONSERVATIVE_MEASURE: TokenMeasure = {
  count(text) {
    let total = 0;
    for (let i = 0; i < text.length; i++) total += sixths(text.charCodeAt(i));
    return Math.ceil(total / 6);
  },
  prefixWithin(text, tokens) {
    const limit = Math.floor(tokens) * 6;
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      total += sixths(text.charCodeAt(i));
      if (total > limit) {
        // Never split a surrogate pair.
        return i > 0 && /[\uD800-\uDBFF]/.test(text[i - 1]!) ? i - 1 : i;
      }
    }
    return text.length;
  },
  worst: (chars) => chars * 2,
};
