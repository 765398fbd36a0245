import * as path from 'node:path';
import type * as GptTokenizer from './gptTokenizer';
import type { ChatMessage } from '../shared/types';

let tokenizer: typeof GptTokenizer | undefined;

/**
 * The tokenizer is loaded on the first count, not when the extension activates (at start-up, to offer its models in
 * the Chat picker): parsing its tables and building the encoder take about half a second. Bundles find it as
 * `tokenizer.js` beside them; from source it is the package itself. The name is computed so bundlers leave it out.
 */
function gptTokenizer(): typeof GptTokenizer {
  if (!tokenizer) {
    const id = path.extname(__filename) === '.ts' ? 'gpt-tokenizer' : path.join(__dirname, 'tokenizer.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use, see above
    tokenizer = require(id) as typeof GptTokenizer;
  }
  return tokenizer;
}

// Special-token strings such as `<|endoftext|>` can appear in workspace text; count them as plain text instead of
// letting the tokenizer throw.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of `text` in the o200k_base encoding (GPT-4o family); an estimate for other models. */
export function countTextTokens(text: string): number {
  return gptTokenizer().countTokens(text, PLAIN_TEXT);
}

/**
 * Tokens of a chat prompt: content plus OpenAI's documented framing (3 per message, 3 to prime the reply), so the
 * figure matches what OpenAI-style servers report as `prompt_tokens` closely enough for budgets and estimates.
 * Tool results count as the `tool` messages they are sent as, calls as their names and JSON arguments.
 */
export function countChatTokens(messages: readonly Pick<ChatMessage, 'content' | 'toolCalls' | 'toolResults'>[]): number {
  let total = 3;
  for (const message of messages) {
    const results = message.toolResults ?? [];
    for (const result of results) total += 3 + countTextTokens(result.content);
    // A message of results alone is sent as its tool messages only.
    if (message.content || results.length === 0) total += 3 + countTextTokens(message.content);
    for (const call of message.toolCalls ?? []) total += countTextTokens(call.name) + countTextTokens(JSON.stringify(call.input));
  }
  return total;
}
