import { countTokens } from 'gpt-tokenizer';
import type { ChatMessage } from '../shared/types';

// Special-token strings such as `<|endoftext|>` can appear in workspace text; count them as plain text instead of
// letting the tokenizer throw.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of `text` in the o200k_base encoding (GPT-4o family); an estimate for other models. */
export function countTextTokens(text: string): number {
  return countTokens(text, PLAIN_TEXT);
}

/**
 * Tokens of a chat prompt: content plus OpenAI's documented framing (3 per message, 3 to prime the reply), so the
 * figure matches what OpenAI-style servers report as `prompt_tokens` closely enough for budgets and estimates.
 */
export function countChatTokens(messages: readonly Pick<ChatMessage, 'content'>[]): number {
  let total = 3;
  for (const message of messages) total += 3 + countTextTokens(message.content);
  return total;
}
