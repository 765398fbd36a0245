import { raceAbort, sleep } from '../../src/base/abortable';
import { abortError } from '../../src/base/errors';
import type { ChatMessage, ModelChunk, ModelClient, ModelRequestOptions, ModelToolCall } from '../../src/shared/modelContract';

/**
 * A piece of a scripted reply: text to stream, a tool call (delivered whole, as model clients do once the stream
 * has ended; only when the request offers tools), or a point where the stream waits for the test to go on.
 */
export type ReplyPart = string | { wait: Promise<unknown> } | { error: Error } | { toolCall: ModelToolCall };
export type ScriptedReply = string | ReplyPart[];

export interface ScriptedModelOptions {
  /** Characters per streamed chunk (default: whole parts). */
  chunkSize?: number;
  /** Pause before each chunk, in milliseconds (default 0: the next macrotask). */
  delayMs?: number;
  /** Report usage as a provider would (default true), counting four characters a token. */
  reportUsage?: boolean;
  id?: string;
}

export interface ScriptedModel extends ModelClient {
  readonly requests: Array<{ messages: ChatMessage[]; options: ModelRequestOptions }>;
}

/**
 * A model for core tests: replies are scripted per call (in order, or computed from the messages) and streamed
 * with controllable pacing; `{ wait }` parts let a test hold the stream at an exact point.
 */
export function createScriptedModel(
  replies: ScriptedReply[] | ((messages: ChatMessage[], call: number) => ScriptedReply),
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const requests: ScriptedModel['requests'] = [];
  return {
    id: options.id ?? 'scripted',
    requests,
    async *stream(messages, requestOptions): AsyncGenerator<ModelChunk> {
      const call = requests.length;
      requests.push({ messages: [...messages], options: requestOptions });
      const reply = typeof replies === 'function' ? replies(messages, call) : replies[call];
      if (reply === undefined) throw new Error(`scripted model has no reply for call ${call + 1}`);
      const { signal, stop } = requestOptions;
      let text = '';
      for (const part of typeof reply === 'string' ? [reply] : reply) {
        if (typeof part !== 'string') {
          if ('error' in part) throw part.error;
          if ('toolCall' in part) {
            await new Promise((resolve) => setImmediate(resolve));
            if (signal.aborted) throw abortError(signal.reason);
            if (requestOptions.tools?.length) yield { type: 'tool-call', call: part.toolCall };
            continue;
          }
          await raceAbort(part.wait, signal);
          continue;
        }
        const size = options.chunkSize ?? Math.max(1, part.length);
        for (let i = 0; i < part.length; i += size) {
          if (options.delayMs) await sleep(options.delayMs, signal);
          else await new Promise((resolve) => setImmediate(resolve));
          if (signal.aborted) throw abortError(signal.reason);
          let chunk = part.slice(i, i + size);
          const stopAt = firstStop(text + chunk, stop);
          if (stopAt !== undefined) {
            chunk = (text + chunk).slice(text.length, stopAt);
            if (chunk) yield { type: 'text', text: chunk };
            text += chunk;
            return yield* usage(messages, text, options);
          }
          text += chunk;
          yield { type: 'text', text: chunk };
        }
      }
      yield* usage(messages, text, options);
    },
  };
}

function firstStop(text: string, stop: string[] | undefined): number | undefined {
  const hits = (stop ?? []).map((s) => text.indexOf(s)).filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : undefined;
}

function* usage(messages: ChatMessage[], text: string, options: ScriptedModelOptions): Generator<ModelChunk> {
  if (options.reportUsage === false) return;
  const input = messages.reduce((n, m) => n + m.content.length + (m.toolResults ?? []).reduce((r, t) => r + t.content.length, 0), 0);
  yield { type: 'usage', usage: { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(text.length / 4), estimated: false } };
}

/** A promise with its resolver, for `{ wait }` parts. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
