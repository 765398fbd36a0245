import * as path from 'node:path';
import type * as GptTokenizer from './gptTokenizer';
import type { ChatMessage } from '../shared/modelContract';
import { CHARS_PER_TOKEN } from '../shared/tokenEstimate';

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

/**
 * Byte-pair merging is quadratic in the length of one pre-tokenized piece, and a run of one character class (80 000
 * letters, 400 KB of spaces) is one piece: runs longer than this are counted in slices of this length. The count of
 * such a run is off by a token or so per slice; ordinary words never get near it.
 */
const MAX_RUN = 128;
/** Text is handed to the tokenizer in segments of about this size, cut where a piece cannot span the cut. */
const SEGMENT = 4_096;
/**
 * Characters counted exactly per call (a few tens of milliseconds); the rest is extrapolated from the ratio found so
 * far, so one call never holds the event loop long whatever the size of the text.
 */
const EXACT_CHARS = 131_072;

// Runs of one class: whitespace, letters and marks, digits, anything else. The tokenizer's pieces never join two runs
// except a single leading space or punctuation mark, which a cut placed before a whitespace run leaves intact.
const RUN = /\s+|[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]+/gu;

/** A counting budget shared by the texts of one call. */
class Counter {
  private exactChars = 0;
  private exactTokens = 0;
  total = 0;

  add(text: string): void {
    const room = EXACT_CHARS - this.exactChars;
    if (room <= 0) {
      this.total += this.extrapolate(text.length);
      return;
    }
    // Cutting at `room` may split a piece: the part past the budget is estimated anyway.
    const exact = text.length > room ? text.slice(0, room) : text;
    const tokens = countSegments(exact);
    this.exactChars += exact.length;
    this.exactTokens += tokens;
    this.total += tokens;
    if (exact.length < text.length) this.total += this.extrapolate(text.length - exact.length);
  }

  private extrapolate(chars: number): number {
    const ratio = this.exactChars > 0 && this.exactTokens > 0 ? this.exactTokens / this.exactChars : 1 / CHARS_PER_TOKEN;
    return Math.ceil(chars * ratio);
  }
}

function countSegments(text: string): number {
  const count = (t: string) => gptTokenizer().countTokens(t, PLAIN_TEXT);
  if (text.length <= MAX_RUN) return count(text);
  let total = 0;
  let segment = '';
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const run = m[0];
    const cutBefore = segment.length >= SEGMENT && (run[0] === ' ' || run[0] === '\t');
    if (cutBefore || run.length > MAX_RUN) {
      if (segment) total += count(segment);
      segment = '';
    }
    if (run.length <= MAX_RUN) {
      segment += run;
      continue;
    }
    for (let i = 0; i < run.length; ) {
      let end = Math.min(run.length, i + MAX_RUN);
      // Never split a surrogate pair.
      if (end < run.length && /[\uD800-\uDBFF]/.test(run[end - 1]!)) end++;
      total += count(run.slice(i, end));
      i = end;
    }
  }
  if (segment) total += count(segment);
  return total;
}

/**
 * Tokens of `text` in the o200k_base encoding (GPT-4o family); an estimate for other models, for runs of one
 * character class longer than 128 characters, and beyond the first 128 K characters.
 */
export function countTextTokens(text: string): number {
  const counter = new Counter();
  counter.add(text);
  return counter.total;
}

/** `<|start|>`, the role, `<|message|>` and `<|end|>`. */
const PER_MESSAGE = 4;

/**
 * Tokens of a chat prompt: content plus OpenAI's framing as its cookbook counts it for the GPT-4o family (3 per
 * message and the role's own token, 3 to prime the reply), so the figure matches what OpenAI-style servers report as
 * `prompt_tokens` closely enough for budgets and estimates. Tool results count as the `tool` messages they are sent
 * as, calls as their names and JSON arguments.
 */
export function countChatTokens(messages: readonly Pick<ChatMessage, 'content' | 'toolCalls' | 'toolResults'>[]): number {
  const counter = new Counter();
  let framing = 3;
  for (const message of messages) {
    const results = message.toolResults ?? [];
    for (const result of results) {
      framing += PER_MESSAGE;
      counter.add(result.content);
    }
    // A message of results alone is sent as its tool messages only.
    if (message.content || results.length === 0) {
      framing += PER_MESSAGE;
      counter.add(message.content);
    }
    for (const call of message.toolCalls ?? []) {
      counter.add(call.name);
      counter.add(JSON.stringify(call.input));
    }
  }
  return framing + counter.total;
}
