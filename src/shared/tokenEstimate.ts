/** Roughly four characters a token: budgets and fallback counts are approximate by design, the model's tokenizer decides. */
export const CHARS_PER_TOKEN = 4;

/** Rough token count for when a model reports no usage; such figures are flagged as estimated. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
